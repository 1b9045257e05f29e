// source.h — a policy source file, byte-offset spans, the line table that turns an offset
// into line:column when a diagnostic is rendered, and UTF-8 decoding.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace credo {

// A half-open byte range [begin, end) in the one source file of a compilation.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct LineCol {
  uint32_t line = 1;    // 1-based
  uint32_t column = 1;  // 1-based, in bytes
};

// One UTF-8 sequence at a position: its length, and whether it is well-formed (RFC 3629: no
// overlong form, no surrogate, at most U+10FFFF). An ill-formed one is its longest start of a
// valid sequence, at least one byte, so that a character cut short counts as one problem.
struct Utf8Unit {
  uint32_t size = 1;
  bool valid = true;
};
Utf8Unit Utf8At(std::string_view text, size_t at);

// `text` without a leading UTF-8 byte-order mark.
std::string_view WithoutBom(std::string_view text);

class SourceFile {
 public:
  // A leading byte-order mark is dropped: offsets and columns count from the first character.
  SourceFile(std::string path, std::string text);

  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  LineCol Locate(uint32_t offset) const;
  // The text of the given 1-based line, without its line end.
  std::string_view Line(uint32_t line) const;
  std::string_view Slice(Span span) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

}  // namespace credo
