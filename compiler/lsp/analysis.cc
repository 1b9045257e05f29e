#include "compiler/lsp/analysis.h"

#include "compiler/check/partial.h"
#include "compiler/syntax/imports.h"
#include "compiler/syntax/parser.h"

namespace credo::lsp {

std::shared_ptr<const Analysis> Analyze(const std::string& path, const std::string& text) {
  auto a = std::make_shared<Analysis>();
  a->source = std::make_unique<SourceFile>(path, text);
  a->bom = static_cast<uint32_t>(text.size() - WithoutBom(text).size());
  a->comments = LexComments(*a->source);
  // The same stages as CompileSource (compiler/driver/compile.cc), stopping before lowering.
  ParsedPolicy parsed = ParseForCheck(*a->source, a->diagnostics);
  if (!parsed.policy) return a;
  size_t errors = a->diagnostics.error_count();
  ResolveImports(*parsed.policy, *a->source, a->diagnostics);
  if (a->diagnostics.error_count() != errors) return a;
  // After a syntax error the rest of the file is still checked, as `credo check` does, for its
  // diagnostics only: the symbol index stays the last one built from a text that parsed.
  if (!parsed.complete) {
    check::CheckPartial(std::move(parsed.policy), *a->source, parsed.broken_words, a->diagnostics);
    return a;
  }
  a->checked = check::CheckForTools(std::move(parsed.policy), *a->source, a->diagnostics);
  a->index = BuildIndex(*a->checked, *a->source, a->comments);
  return a;
}

}  // namespace credo::lsp
