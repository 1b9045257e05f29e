// features.h — the language features, one function per LSP request: each reads an open
// document and returns the request's result as JSON (null where the protocol allows "nothing").
// navigation.cc: hover, definition, references; outline.cc: document symbols; completion.cc:
// completion; editing.cc: diagnostics and formatting.
#pragma once

#include "compiler/lsp/documents.h"
#include "compiler/lsp/positions.h"

namespace credo::lsp {

// textDocument/publishDiagnostics params: every diagnostic of the document's current text.
json PublishDiagnosticsParams(const Document& doc, Encoding encoding);
// textDocument/formatting: one edit replacing the whole text with `credo fmt`'s layout; [] when
// it is already formatted; null when it does not parse (the diagnostics say why).
json Formatting(const Document& doc, Encoding encoding);

json Hover(const Document& doc, Position position, Encoding encoding);
json Definition(const Document& doc, Position position, Encoding encoding);
json References(const Document& doc, Position position, bool include_declaration, Encoding encoding);
json DocumentSymbols(const Document& doc, Encoding encoding);
json Completion(const Document& doc, Position position, Encoding encoding);

}  // namespace credo::lsp
