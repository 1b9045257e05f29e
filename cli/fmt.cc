// credo fmt — rewrites policies in the canonical layout (compiler/format), or with --check
// lists those that are not in it.
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/read_input.h"
#include "cli/fmt_paths.h"
#include "cli/options.h"
#include "cli/output_file.h"
#include "compiler/format/format.h"

namespace credo::cli {

namespace {
const char* kFmtUsage =
    "usage: credo fmt [--check] [PATH...]\n"
    "\n"
    "Formats policies in credo's canonical layout (docs/language.md, \"Layout\"): indentation,\n"
    "spacing, aligned columns; comments and literals are kept as written, the meaning never changes.\n"
    "Each PATH is a .credo file or a directory, searched recursively for *.credo files (except those\n"
    "its .credofmtignore files list). Files are rewritten in place when their layout changes. With no\n"
    "PATH, or PATH '-', the policy is read from stdin and written to stdout.\n"
    "\n"
    "  --check   write nothing; list the files whose layout would change (stdin: '<stdin>')\n"
    "\n"
    "A file that does not parse is reported as `credo check` reports it and left as it is.\n"
    "\n"
    "exit codes: 0 formatted (or, with --check, already formatted), 1 a file would change (--check)\n"
    "or does not parse, 2 usage, 3 a file that cannot be read or written\n";

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool WriteFile(const std::string& path, const std::string& text, std::string& error) {
  OutputFile out;
  if (!out.Open(path, error)) return false;
  if (std::fwrite(text.data(), 1, text.size(), out.file()) != text.size()) {
    error = "cannot write " + out.name();
    return false;
  }
  return out.Commit(error);
}

// Formats one file (or stdin); returns its exit code.
int FormatOne(const std::string& path, bool check) {
  std::string text, error;
  if (!ReadInput(path, text, error)) {
    std::fprintf(stderr, "credo fmt: %s\n", error.c_str());
    return kFailure;
  }
  std::string name = path == "-" ? "<stdin>" : path;
  SourceFile source(name, text);
  Diagnostics diags;
  std::optional<std::string> formatted = FormatSource(source, diags);
  if (!formatted) {
    std::fputs(diags.Render(source).c_str(), stderr);
    size_t errors = diags.error_count(), warnings = diags.all().size() - errors;
    std::fprintf(stderr, "%s: %zu error%s, %zu warning%s\n", name.c_str(), errors, errors == 1 ? "" : "s", warnings,
                 warnings == 1 ? "" : "s");
    return kPolicyError;
  }
  // The byte-order mark SourceFile drops stays where it was.
  if (std::string_view(text).substr(0, kBom.size()) == kBom) formatted->insert(0, kBom);
  bool changed = *formatted != text;
  if (check) {
    if (changed) std::printf("%s\n", name.c_str());
    return changed ? kPolicyError : kOk;
  }
  if (path == "-") {
    std::fwrite(formatted->data(), 1, formatted->size(), stdout);
    return kOk;
  }
  if (changed && !WriteFile(path, *formatted, error)) {
    std::fprintf(stderr, "credo fmt: %s\n", error.c_str());
    return kFailure;
  }
  return kOk;
}

}  // namespace

int Fmt(const std::vector<std::string>& args) {
  bool check = false;
  std::vector<std::string> paths;
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::fputs(kFmtUsage, stdout);
      return kOk;
    }
    if (a == "--check") {
      check = true;
    } else if (a.size() > 1 && a[0] == '-') {
      return UsageError("fmt", kFmtUsage, fmt::format("unknown option '{}'", a));
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) paths.push_back("-");
  FmtTargets targets = CollectFmtTargets(paths);
  int exit = kOk;
  for (const std::string& error : targets.errors) {
    std::fprintf(stderr, "credo fmt: %s\n", error.c_str());
    exit = kFailure;
  }
  for (const std::string& file : targets.files) exit = std::max(exit, FormatOne(file, check));
  return exit;
}

}  // namespace credo::cli
