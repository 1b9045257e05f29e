#include "compiler/base/source.h"

#include <algorithm>

namespace credo {

Utf8Unit Utf8At(std::string_view text, size_t at) {
  auto byte = [&](size_t i) { return at + i < text.size() ? static_cast<unsigned char>(text[at + i]) : 0u; };
  unsigned lead = byte(0);
  if (lead < 0x80) return {1, true};
  // How many bytes the lead byte announces, and the range its second byte must be in (narrower
  // after E0, ED, F0 and F4: that excludes overlong forms, surrogates and code points > U+10FFFF).
  uint32_t size = 0;
  unsigned lo = 0x80, hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    size = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    size = 3;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    size = 4;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
  } else {
    return {1, false};  // a continuation byte without a lead, C0, C1 or F5..FF
  }
  for (uint32_t i = 1; i < size; ++i) {
    unsigned b = byte(i);
    if (b < (i == 1 ? lo : 0x80u) || b > (i == 1 ? hi : 0xBFu)) return {i, false};
  }
  return {size, true};
}

std::string_view WithoutBom(std::string_view text) {
  return text.substr(0, 3) == "\xEF\xBB\xBF" ? text.substr(3) : text;
}

SourceFile::SourceFile(std::string path, std::string text, uint32_t base)
    : path_(std::move(path)), text_(std::move(text)), base_(base) {
  if (WithoutBom(text_).size() != text_.size()) text_.erase(0, 3);
  line_starts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

uint32_t SourceFile::next_base() const {
  uint32_t end = base_ + static_cast<uint32_t>(text_.size()) + 1;
  for (const auto& f : attached_) end = std::max(end, f->next_base());
  return end;
}

const SourceFile& SourceFile::FileAt(uint32_t offset) const {
  for (const auto& f : attached_)
    if (offset >= f->base_ && offset < f->next_base()) return f->FileAt(offset);
  return *this;
}

LineCol SourceFile::Locate(uint32_t offset) const {
  const SourceFile& file = FileAt(offset);
  if (&file != this) return file.Locate(offset);
  offset = offset >= base_ ? offset - base_ : 0;
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - line_starts_.begin());
  return {line, offset - line_starts_[line - 1] + 1};
}

std::string_view SourceFile::Line(uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  uint32_t begin = line_starts_[line - 1];
  uint32_t end = line < line_starts_.size() ? line_starts_[line] : text_.size();
  std::string_view text(text_.data() + begin, end - begin);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

std::string_view SourceFile::Slice(Span span) const {
  const SourceFile& file = FileAt(span.begin);
  if (&file != this) return file.Slice(span);
  span.begin = span.begin >= base_ ? span.begin - base_ : 0;
  span.end = span.end >= base_ ? span.end - base_ : 0;
  uint32_t end = std::min<uint32_t>(span.end, text_.size());
  uint32_t begin = std::min(span.begin, end);
  return std::string_view(text_).substr(begin, end - begin);
}

std::string OnOneLine(std::string_view text, size_t max_bytes) {
  std::string out;
  bool blank = false, in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (!in_string && c == '/' && i + 1 < text.size() && (text[i + 1] == '/' || text[i + 1] == '*')) {
      bool line = text[i + 1] == '/';
      size_t end = line ? text.find('\n', i) : text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : (line ? end : end + 1);
      blank = !out.empty();
      continue;
    }
    if (!in_string && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
      blank = !out.empty();
      continue;
    }
    if (blank) out += ' ';
    blank = false;
    out += c;
    if (c == '"') in_string = !in_string;
    else if (c == '\\' && in_string && i + 1 < text.size()) out += text[++i];
  }
  if (out.size() > max_bytes) {
    size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    out = out.substr(0, cut) + "…";
  }
  return out;
}

}  // namespace credo
