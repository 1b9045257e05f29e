// positions.h — LSP positions (0-based line, character in the negotiated encoding: UTF-16 code
// units by default, or UTF-8 bytes) to and from the byte offsets of compiler spans.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/source.h"
#include "compiler/lsp/protocol.h"

namespace credo::lsp {

enum class Encoding { Utf16, Utf8 };

struct Position {
  uint32_t line = 0;
  uint32_t character = 0;
};

// The lines of one text. Offsets are bytes of `text`; `lead` characters (a byte-order mark the
// compiler dropped) are counted before the first line's text, so positions match the client's.
class LineIndex {
 public:
  LineIndex(std::string_view text, Encoding encoding, uint32_t lead = 0);
  Position At(uint32_t offset) const;
  // The offset of a position; a character past the line's end is its end, a line past the
  // last is the end of the text.
  uint32_t OffsetOf(Position position) const;

 private:
  std::string_view text_;
  Encoding encoding_;
  uint32_t lead_;
  std::vector<uint32_t> starts_;
};

json ToJson(Position p);
// {"line": L, "character": C} as sent by a client; throws json::exception or RpcError when malformed.
Position PositionFromJson(const json& j);
// An LSP Range of a span of one file (offsets relative to that file's first byte).
json RangeJson(const LineIndex& lines, uint32_t begin, uint32_t end);

}  // namespace credo::lsp
