#include "compiler/lsp/analysis.h"

#include "compiler/syntax/imports.h"
#include "compiler/syntax/parser.h"

namespace credo::lsp {

std::shared_ptr<const Analysis> Analyze(const std::string& path, const std::string& text) {
  auto a = std::make_shared<Analysis>();
  a->source = std::make_unique<SourceFile>(path, text);
  a->bom = static_cast<uint32_t>(text.size() - WithoutBom(text).size());
  a->comments = LexComments(*a->source);
  // The same stages as CompileSource (compiler/driver/compile.cc), stopping before lowering.
  auto ast = Parse(*a->source, a->diagnostics);
  if (!ast) return a;
  size_t errors = a->diagnostics.error_count();
  ResolveImports(*ast, *a->source, a->diagnostics);
  if (a->diagnostics.error_count() != errors) return a;
  a->checked = check::CheckForTools(std::move(ast), *a->source, a->diagnostics);
  a->index = BuildIndex(*a->checked, *a->source, a->comments);
  return a;
}

}  // namespace credo::lsp
