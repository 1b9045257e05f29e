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

// Lines longer than this are shown as a window around the span, so a generated or binary file
// with one huge line gives a readable snippet (with `…` where the line was cut).
constexpr uint32_t kMaxShownLine = 160;
constexpr uint32_t kContextBefore = 40;

// Moves a byte offset back to the start of the UTF-8 character it is in.
uint32_t CharStart(std::string_view line, uint32_t i) {
  while (i > 0 && i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) --i;
  return i;
}

}  // namespace

// The source line with a caret run under the span (clipped to the first line of the span).
// Columns are characters: a UTF-8 sequence takes one, and so does an invalid one, which is
// shown as U+FFFD, like a control character, so that the terminal gets plain valid text.
void RenderSnippet(std::string& out, const SourceFile& sources, Span span, const std::string& label) {
  const SourceFile& source = sources.FileAt(span.begin);
  LineCol at = source.Locate(span.begin);
  std::string_view line = source.Line(at.line);
  std::string number = std::to_string(at.line);
  std::string pad(number.size(), ' ');
  uint32_t start = std::min<uint32_t>(at.column - 1, line.size());
  uint32_t end = std::min<uint32_t>(start + std::max<uint32_t>(span.end - span.begin, 1), line.size());
  uint32_t from = 0, to = line.size();
  if (line.size() > kMaxShownLine) {
    from = CharStart(line, start > kContextBefore ? start - kContextBefore : 0);
    if (from + kMaxShownLine < line.size()) to = CharStart(line, from + kMaxShownLine);  // start stays inside
  }
  std::string shown = from > 0 ? "\u2026" : "", marker = from > 0 ? " " : "";
  size_t carets = 0;
  for (uint32_t i = from; i < to;) {
    Utf8Unit unit = Utf8At(line, i);
    unit.size = std::min<uint32_t>(unit.size, line.size() - i);
    unsigned char c = line[i];
    bool control = (c < 0x20 && c != '\t') || c == 0x7F;
    shown += unit.valid && !control ? line.substr(i, unit.size) : "\uFFFD";
    if (i < start) marker += line[i] == '\t' ? '\t' : ' ';
    else if (i < end) ++carets;
    i += unit.size;
  }
  if (to < line.size()) shown += "\u2026";
  marker.append(std::max<size_t>(carets, 1), '^');
  out += fmt::format(" {} |\n {} | {}\n {} | {}{}{}\n", pad, number, shown, pad, marker,
                     label.empty() ? "" : " ", label);
}

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
    out += fmt::format("{}:{}:{}: {}[{}]: {}\n", source.FileAt(d->span.begin).path(), at.line, at.column,
                       info.severity == Severity::Error ? "error" : "warning", info.code,
                       d->message);
    RenderSnippet(out, source, d->span, "");
    for (const Note& note : d->notes) {
      LineCol n = source.Locate(note.span.begin);
      out += fmt::format("  note: {} ({}:{}:{})\n", note.message, source.FileAt(note.span.begin).path(), n.line, n.column);
      RenderSnippet(out, source, note.span, "");
    }
    if (!d->hint.empty()) out += fmt::format("  = hint: {}\n", d->hint);
    out += "\n";
  }
  return out;
}

}  // namespace credo
