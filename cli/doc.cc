// credo doc — a policy as a document for sign-off (compiler/doc/doc.h), in Markdown or HTML.
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/compile_policy.h"
#include "cli/options.h"
#include "cli/output_file.h"
#include "cli/same_file.h"
#include "compiler/doc/doc.h"
#include "compiler/driver/compile.h"

namespace credo::cli {

namespace {
const char* kDocUsage =
    "usage: credo doc POLICY [--html] [--out FILE]\n"
    "\n"
    "Writes POLICY as a document for review and sign-off: its name, version and content hash\n"
    "(the hash of the compiled policy), the input and its validation, derived values, every rule,\n"
    "scorecard (bins and points), band, table and decision table, the decision, warnings, group\n"
    "pass, outputs and enums, with the author's comments. Expressions are shown as written.\n"
    "A policy with errors is refused: its diagnostics are printed as by `credo check`.\n"
    "\n"
    "  --html       one self-contained HTML page (inline CSS, no script, prints cleanly)\n"
    "               instead of Markdown\n"
    "  --out FILE   write the document to FILE (replaced only once it is complete) instead of\n"
    "               stdout; FILE may not be the policy itself\n"
    "\n"
    "exit codes: 0 written, 1 the policy has errors, 2 usage, 3 unreadable policy or unwritable output\n";
}  // namespace

int Doc(const std::vector<std::string>& args) {
  std::string policy, out = "-";
  bool html = false, out_given = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kDocUsage, stdout);
      return kOk;
    } else if (a == "--html") {
      html = true;
    } else if (a == "--out" || a.rfind("--out=", 0) == 0) {
      if (out_given) return UsageError("doc", kDocUsage, "--out is given twice");
      if (a == "--out" && i + 1 >= args.size()) return UsageError("doc", kDocUsage, "--out needs a file");
      out = a == "--out" ? args[++i] : a.substr(6);
      if (out.empty()) return UsageError("doc", kDocUsage, "--out needs a file");
      out_given = true;
    } else if (a.rfind("--", 0) == 0) {
      return UsageError("doc", kDocUsage, fmt::format("unknown option '{}'", a));
    } else if (policy.empty()) {
      policy = a;
    } else {
      return UsageError("doc", kDocUsage, fmt::format("unexpected argument '{}': give one policy", a));
    }
  }
  if (policy.empty()) return UsageError("doc", kDocUsage, "no policy file");
  if (policy == "-") return UsageError("doc", kDocUsage, "the policy must be a file (its imports are found beside it)");
  if (std::string why = CheckDistinctFiles(policy, {{"--out", out}}); !why.empty()) return UsageError("doc", kDocUsage, why);

  Compilation c;
  if (CompilePolicy(policy, c) == kFailure) return kFailure;
  if (!c.ok()) {
    size_t errors = c.diagnostics.error_count();
    std::fprintf(stderr, "%s: %zu error%s: no document written\n", policy.c_str(), errors, errors == 1 ? "" : "s");
    return kPolicyError;
  }
  // Nor over a library the policy imports (known only now).
  for (const auto& library : c.source->attached())
    if (std::string why = CheckDistinctFiles(library->path(), {{"--out", out}}); !why.empty())
      return UsageError("doc", kDocUsage, why);
  doc::Document document = doc::Collect(*c.checked, *c.source, c.program->hash);
  std::string text = html ? doc::RenderHtml(document) : doc::RenderMarkdown(document);

  OutputFile file;
  std::string error;
  if (!file.Open(out, error) || std::fwrite(text.data(), 1, text.size(), file.file()) != text.size() ||
      !file.Commit(error)) {
    if (error.empty()) error = fmt::format("cannot write {}", file.name());
    std::fprintf(stderr, "credo: %s\n", error.c_str());
    return kFailure;
  }
  return kOk;
}

}  // namespace credo::cli
