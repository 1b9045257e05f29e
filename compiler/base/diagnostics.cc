#include "compiler/base/diagnostics.h"

#include <algorithm>

#include <fmt/format.h>

namespace credo {

const std::vector<DiagKindInfo>& AllDiagKinds() {
  static const std::vector<DiagKindInfo> kinds = {
#define CREDO_DIAG(code, severity, name, summary) {#code, Severity::severity, #name, summary},
#include "compiler/base/diagnostic_kinds.def"
#undef CREDO_DIAG
  };
  return kinds;
}

const DiagKindInfo& Info(DiagKind kind) { return AllDiagKinds()[static_cast<size_t>(kind)]; }

Diagnostic& Diagnostics::Report(DiagKind kind, Span span, std::string message, std::string hint) {
  items_.push_back({kind, span, std::move(message), std::move(hint), {}});
  return items_.back();
}

size_t Diagnostics::error_count() const {
  return std::count_if(items_.begin(), items_.end(),
                       [](const Diagnostic& d) { return Info(d.kind).severity == Severity::Error; });
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

namespace {

// The source line with a caret run under the span (clipped to the first line of the span).
void RenderSnippet(std::string& out, const SourceFile& source, Span span, const std::string& label) {
  LineCol at = source.Locate(span.begin);
  std::string_view line = source.Line(at.line);
  std::string number = std::to_string(at.line);
  std::string pad(number.size(), ' ');
  uint32_t start = at.column - 1;
  uint32_t width = span.end > span.begin ? span.end - span.begin : 1;
  if (start > line.size()) start = line.size();
  if (start + width > line.size()) width = std::max<uint32_t>(1, line.size() - start);
  // One marker character per code point: UTF-8 continuation bytes take no column.
  auto continuation = [&](uint32_t i) { return (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80; };
  std::string marker;
  for (uint32_t i = 0; i < start; ++i)
    if (!continuation(i)) marker += line[i] == '\t' ? '\t' : ' ';
  size_t carets = 0;
  for (uint32_t i = start; i < start + width; ++i) carets += !continuation(i);
  marker.append(std::max<size_t>(carets, 1), '^');
  out += fmt::format(" {} |\n {} | {}\n {} | {}{}{}\n", pad, number, line, pad, marker,
                     label.empty() ? "" : " ", label);
}

}  // namespace

std::string Diagnostics::Render(const SourceFile& source) const {
  std::vector<const Diagnostic*> sorted;
  for (const auto& d : items_) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic* a, const Diagnostic* b) {
    return a->span.begin < b->span.begin;
  });
  std::string out;
  for (const Diagnostic* d : sorted) {
    const DiagKindInfo& info = Info(d->kind);
    LineCol at = source.Locate(d->span.begin);
    out += fmt::format("{}:{}:{}: {}[{}]: {}\n", source.path(), at.line, at.column,
                       info.severity == Severity::Error ? "error" : "warning", info.code,
                       d->message);
    RenderSnippet(out, source, d->span, "");
    for (const Note& note : d->notes) {
      LineCol n = source.Locate(note.span.begin);
      out += fmt::format("  note: {} ({}:{}:{})\n", note.message, source.path(), n.line, n.column);
      RenderSnippet(out, source, note.span, "");
    }
    if (!d->hint.empty()) out += fmt::format("  = hint: {}\n", d->hint);
    out += "\n";
  }
  return out;
}

}  // namespace credo
