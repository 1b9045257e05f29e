// tokens.h — the formatter's view of a source: every token, comments included, with the line
// and column it was written at. The lexical rules are the grammar's (grammar/Credo.g4); the
// formatter runs only on text that parsed, so there is no bad character to report.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace credo::format {

enum class TokKind : uint8_t { Word, Int, Decimal, String, Punct, LineComment, BlockComment };

struct Token {
  TokKind kind;
  std::string text;     // as written (a line comment without its trailing blanks)
  uint32_t line = 0;    // 0-based line of its first character
  uint32_t column = 0;  // 0-based column, in characters (a UTF-8 sequence counts once)
  uint32_t end_line = 0;  // line of its last character (differs only for a block comment)

  bool Is(std::string_view t) const { return kind != TokKind::String && text == t; }
  bool IsComment() const { return kind == TokKind::LineComment || kind == TokKind::BlockComment; }
};

// Splits `text` (without a byte-order mark) into tokens.
std::vector<Token> Tokenize(std::string_view text);

// Display width of `text`: its UTF-8 sequences (continuation bytes do not count).
size_t Width(std::string_view text);

// Words the grammar reserves (never a name): they take a space before `(` and `[`.
bool IsHardKeyword(std::string_view word);

}  // namespace credo::format
