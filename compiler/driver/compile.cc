#include "compiler/driver/compile.h"

#include <mutex>
#include <unordered_map>

#include "compiler/check/partial.h"
#include "compiler/lower/lower.h"
#include "compiler/syntax/imports.h"
#include "compiler/syntax/parser.h"

namespace credo {

Compilation CompileSource(std::string path, std::string text) { return CompileSource(std::move(path), std::move(text), {}); }

Compilation CompileSource(std::string path, std::string text, LowerOptions options) {
  Compilation c;
  c.source = std::make_unique<SourceFile>(std::move(path), std::move(text));
  ParsedPolicy parsed = ParseForCheck(*c.source, c.diagnostics);
  if (!parsed.policy) return c;
  bool parsed_clean = !c.diagnostics.has_errors();
  // Imported libraries become more files of the compilation, their declarations the policy's.
  size_t errors = c.diagnostics.error_count();
  ResolveImports(*parsed.policy, *c.source, c.diagnostics);
  if (c.diagnostics.error_count() != errors) return c;
  // After a syntax error, the rest of the file is still checked, but never run.
  if (!parsed.complete) {
    check::CheckPartial(std::move(parsed.policy), *c.source, parsed.broken_words, c.diagnostics);
    return c;
  }
  c.checked = check::Check(std::move(parsed.policy), *c.source, c.diagnostics);
  if (!parsed_clean) c.checked.reset();  // a slip such as `=` for `==` was reported
  if (!c.checked) return c;
  options.source = c.source.get();
  ir::Program program = Lower(*c.checked, options);
  if (std::string why = ir::Verify(program); !why.empty()) {
    // A lowering bug, not the author's: say so plainly rather than run a broken program.
    c.diagnostics.Report(DiagKind::SyntaxError, {}, "internal error: the lowered program is invalid: " + why,
                         "please report this policy to the credo maintainers");
    return c;
  }
  if (!options.probes) program.hash = ir::Hash(program);  // with probes, Lower set the hash without them
  c.program = std::move(program);
  return c;
}

std::shared_ptr<const Compilation> CompileCached(const std::string& path, const std::string& text) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::shared_ptr<const Compilation>> cache;
  uint64_t h = 1469598103934665603ull;  // FNV-1a over path and text
  for (unsigned char c : path + '\0' + text) h = (h ^ c) * 1099511628211ull;
  std::string key = std::to_string(h) + ":" + std::to_string(text.size());
  std::lock_guard<std::mutex> lock(mutex);
  // A hit needs the same policy text and the same text in every file it imported.
  auto imports_unchanged = [](const Compilation& c) {
    for (const auto& file : c.source->attached()) {
      std::string now, why;
      if (!ReadSourceFile(file->path(), now, why) || WithoutBom(now) != file->text()) return false;
    }
    return true;
  };
  if (auto it = cache.find(key);
      it != cache.end() && it->second->source->text() == WithoutBom(text) && imports_unchanged(*it->second))
    return it->second;
  auto compiled = std::make_shared<const Compilation>(CompileSource(path, text));
  cache[key] = compiled;
  return compiled;
}

bool CompileFile(const std::string& path, Compilation& out, std::string& error) {
  return CompileFile(path, out, error, LowerOptions{});
}

bool CompileFile(const std::string& path, Compilation& out, std::string& error, const LowerOptions& options) {
  std::string text;
  if (!ReadSourceFile(path, text, error)) {
    error = "cannot read " + path + ": " + error;
    return false;
  }
  out = CompileSource(path, std::move(text), options);
  return true;
}

}  // namespace credo
