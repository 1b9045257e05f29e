// analysis.h — what the language server knows of one version of a document: its diagnostics
// (the same as `credo check` reports) and, when it parsed, the checked policy and its index.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/check/checker.h"
#include "compiler/lsp/symbol_index.h"
#include "compiler/syntax/comments.h"

namespace credo::lsp {

struct Analysis {
  std::unique_ptr<SourceFile> source;  // the document (imports attached)
  uint32_t bom = 0;                    // bytes of a byte-order mark the source dropped
  Diagnostics diagnostics;
  std::vector<Comment> comments;       // of the document itself
  // Set when the text parsed and its imports resolved; it may have errors (check::CheckForTools):
  // what the checker learnt about names and types.
  std::optional<check::CheckedPolicy> checked;
  SymbolIndex index;                   // empty without `checked`
};

// Parses, resolves imports (relative to `path`) and checks `text`.
std::shared_ptr<const Analysis> Analyze(const std::string& path, const std::string& text);

}  // namespace credo::lsp
