// editing.cc — what the server tells the client as the text changes: diagnostics (those of
// `credo check`), and the formatting of `credo fmt`.
#include <fmt/format.h>

#include "compiler/format/format.h"
#include "compiler/lsp/features.h"
#include "compiler/lsp/locations.h"

namespace credo::lsp {

namespace {

json DiagnosticJson(const Document& doc, const Analysis& a, const Diagnostic& d, Encoding encoding) {
  const DiagKindInfo& info = Info(d.kind);
  std::string message = d.message;
  if (!InDocument(a, d.span)) {  // in an imported file: shown at the top, saying where
    const SourceFile& file = a.source->FileAt(d.span.begin);
    LineCol at = file.Locate(d.span.begin);
    message = fmt::format("{}:{}:{}: {}", file.path(), at.line, at.column, message);
  }
  if (!d.hint.empty()) message += "\nhint: " + d.hint;
  json out = {{"range", RangeInDocument(a, d.span, encoding)},
              {"severity", info.severity == Severity::Error ? 1 : 2},
              {"code", info.code},
              {"source", "credo"},
              {"message", message}};
  json related = json::array();
  for (const Note& note : d.notes)
    related.push_back({{"location", LocationJson(doc, a, note.span, encoding)}, {"message", note.message}});
  if (!related.empty()) out["relatedInformation"] = std::move(related);
  return out;
}

}  // namespace

json PublishDiagnosticsParams(const Document& doc, Encoding encoding) {
  json list = json::array();
  for (const Diagnostic& d : doc.analysis->diagnostics.all()) list.push_back(DiagnosticJson(doc, *doc.analysis, d, encoding));
  return {{"uri", doc.uri}, {"version", doc.version}, {"diagnostics", std::move(list)}};
}

json Formatting(const Document& doc, Encoding encoding) {
  const Analysis& a = *doc.analysis;
  Diagnostics ignored;  // a text that does not parse already has its diagnostics published
  std::optional<std::string> formatted = FormatSource(*a.source, ignored);
  if (!formatted) return nullptr;
  // The client's text includes the byte-order mark the compiler dropped: keep it, as `credo fmt` does.
  formatted->insert(0, doc.text.substr(0, a.bom));
  if (*formatted == doc.text) return json::array();
  LineIndex lines = LinesOf(a, *a.source, encoding);
  json range = {{"start", ToJson({0, 0})}, {"end", ToJson(lines.At(static_cast<uint32_t>(a.source->text().size())))}};
  return json::array({{{"range", range}, {"newText", *formatted}}});
}

}  // namespace credo::lsp
