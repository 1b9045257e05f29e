// locations.h — compiler spans as LSP ranges and locations of a document, or of a file it
// imports, and LSP positions as offsets into the document.
#pragma once

#include "compiler/lsp/documents.h"
#include "compiler/lsp/positions.h"

namespace credo::lsp {

// The lines of `file` (the document's source or one attached to it) as the client counts them.
LineIndex LinesOf(const Analysis& analysis, const SourceFile& file, Encoding encoding);
// The offset in the document's spans of a position in it.
uint32_t OffsetAt(const Analysis& analysis, Position position, Encoding encoding);
// The range of `span` in the document; a span in an imported file gives the range 0:0.
json RangeInDocument(const Analysis& analysis, Span span, Encoding encoding);
// A Location: the document's URI for its own spans, the imported file's for the others.
json LocationJson(const Document& doc, const Analysis& analysis, Span span, Encoding encoding);
// Whether `span` is in the document itself (not in a file it imports).
bool InDocument(const Analysis& analysis, Span span);
// The end (one past its `}`) of the first `{ ... }` block at or after `from` in `text`, strings
// and comments skipped; `from` when there is none. The AST has no span for some blocks.
uint32_t BlockEnd(std::string_view text, uint32_t from);

}  // namespace credo::lsp
