// source.h — a policy source file, byte-offset spans, the line table that turns an offset
// into line:column when a diagnostic is rendered, and UTF-8 decoding.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace credo {

// A half-open byte range [begin, end) in the sources of a compilation: the policy's own file
// starts at offset 0, and each imported file at its SourceFile::base(), after the files before
// it (so one offset names one place in one file).
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

// A slice of policy text on one line, for reports: the author's comments (`//`, `/* */`) are
// left out as the lexer skips them and each run of blanks becomes one space; string literals
// are kept as written, blanks and `//` inside them included. Longer than `max_bytes`: cut there
// (at a whole UTF-8 character) and ended with "…".
std::string OnOneLine(std::string_view text, size_t max_bytes = std::string_view::npos);

class SourceFile {
 public:
  // A leading byte-order mark is dropped: offsets and columns count from the first character.
  // `base`: the offset of the first byte in the compilation's spans (0 for the policy's file).
  SourceFile(std::string path, std::string text, uint32_t base = 0);

  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  uint32_t base() const { return base_; }
  // The first offset after this file and every file attached to it (one past the end, so that
  // an end-of-file position still belongs to its file).
  uint32_t next_base() const;
  // Files imported into the compilation of this one (compiler/driver/imports.cc): their spans
  // follow this file's. The methods below take offsets of any of them.
  void Attach(std::unique_ptr<SourceFile> file) { attached_.push_back(std::move(file)); }
  const std::vector<std::unique_ptr<SourceFile>>& attached() const { return attached_; }
  // The file (this one or an attached one) that holds `offset`.
  const SourceFile& FileAt(uint32_t offset) const;
  // Line and column of `offset` in the file that holds it.
  LineCol Locate(uint32_t offset) const;
  // The text of the given 1-based line of this file, without its line end.
  std::string_view Line(uint32_t line) const;
  std::string_view Slice(Span span) const;

 private:
  std::string path_;
  std::string text_;
  uint32_t base_ = 0;
  std::vector<uint32_t> line_starts_;
  std::vector<std::unique_ptr<SourceFile>> attached_;
};

}  // namespace credo
