#include "compiler/lsp/locations.h"

namespace credo::lsp {

LineIndex LinesOf(const Analysis& analysis, const SourceFile& file, Encoding encoding) {
  // A byte-order mark the compiler dropped is still a character of the client's first line.
  uint32_t lead = &file == analysis.source.get() && analysis.bom ? (encoding == Encoding::Utf8 ? analysis.bom : 1) : 0;
  return LineIndex(file.text(), encoding, lead);
}

uint32_t OffsetAt(const Analysis& analysis, Position position, Encoding encoding) {
  return LinesOf(analysis, *analysis.source, encoding).OffsetOf(position);
}

bool InDocument(const Analysis& analysis, Span span) { return &analysis.source->FileAt(span.begin) == analysis.source.get(); }

json RangeInDocument(const Analysis& analysis, Span span, Encoding encoding) {
  LineIndex lines = LinesOf(analysis, *analysis.source, encoding);
  if (!InDocument(analysis, span)) return RangeJson(lines, 0, 0);
  return RangeJson(lines, span.begin, span.end);
}

json LocationJson(const Document& doc, const Analysis& analysis, Span span, Encoding encoding) {
  const SourceFile& file = analysis.source->FileAt(span.begin);
  if (&file == analysis.source.get()) return {{"uri", doc.uri}, {"range", RangeInDocument(analysis, span, encoding)}};
  LineIndex lines = LinesOf(analysis, file, encoding);
  return {{"uri", UriOfPath(file.path())}, {"range", RangeJson(lines, span.begin - file.base(), span.end - file.base())}};
}

uint32_t BlockEnd(std::string_view text, uint32_t from) {
  int depth = 0;
  for (size_t i = from; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\') ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      size_t end = text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + 1;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && depth > 0 && --depth == 0) {
      return static_cast<uint32_t>(i + 1);
    }
  }
  return from;
}

}  // namespace credo::lsp
