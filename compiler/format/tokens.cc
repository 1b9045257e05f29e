#include "compiler/format/tokens.h"

#include <array>

namespace credo::format {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsWordChar(char c) { return IsWordStart(c) || IsDigit(c); }

// INT: DIGIT ('_'? DIGIT)*; the end of the digits from `i`.
size_t DigitsEnd(std::string_view text, size_t i) {
  while (i < text.size()) {
    if (IsDigit(text[i])) {
      ++i;
    } else if (text[i] == '_' && i + 1 < text.size() && IsDigit(text[i + 1])) {
      i += 2;
    } else {
      break;
    }
  }
  return i;
}

constexpr std::array<std::string_view, 7> kTwoCharPuncts = {"=>", "->", "<=", ">=", "==", "!=", "??"};

}  // namespace

size_t Width(std::string_view text) {
  size_t width = 0;
  for (char c : text) width += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return width;
}

bool IsHardKeyword(std::string_view word) {
  static constexpr std::array<std::string_view, 21> kHard = {
      "policy", "enum", "where", "else", "let", "rules", "missing", "when", "scorecard", "true", "false",
      "by",     "not",  "present", "because", "is", "in", "if", "then", "and", "or"};
  for (std::string_view k : kHard)
    if (k == word) return true;
  return false;
}

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  uint32_t line = 0;
  size_t line_start = 0, i = 0;
  auto column = [&](size_t at) { return uint32_t(Width(text.substr(line_start, at - line_start))); };
  while (i < text.size()) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
      continue;
    }
    Token tok{TokKind::Punct, "", line, column(i), line};
    size_t end = i + 1;
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      tok.kind = TokKind::LineComment;
      end = text.find('\n', i);
      if (end == std::string_view::npos) end = text.size();
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      tok.kind = TokKind::BlockComment;
      end = text.find("*/", i + 2);
      end = end == std::string_view::npos ? text.size() : end + 2;
    } else if (c == '"') {
      tok.kind = TokKind::String;
      for (end = i + 1; end < text.size() && text[end] != '"' && text[end] != '\n'; ++end)
        if (text[end] == '\\' && end + 1 < text.size()) ++end;
      if (end < text.size() && text[end] == '"') ++end;
    } else if (IsDigit(c)) {
      tok.kind = TokKind::Int;
      end = DigitsEnd(text, i);
      if (end + 1 < text.size() && text[end] == '.' && IsDigit(text[end + 1])) {
        tok.kind = TokKind::Decimal;  // DECIMAL's fraction is DIGIT+, without '_'
        for (++end; end < text.size() && IsDigit(text[end]);) ++end;
      }
    } else if (IsWordStart(c)) {
      tok.kind = TokKind::Word;
      while (end < text.size() && IsWordChar(text[end])) ++end;
    } else {
      for (std::string_view two : kTwoCharPuncts)
        if (text.substr(i, 2) == two) end = i + 2;
    }
    std::string_view body = text.substr(i, end - i);
    if (tok.kind == TokKind::LineComment) {
      size_t last = body.find_last_not_of(" \t\r");
      body = body.substr(0, last == std::string_view::npos ? 0 : last + 1);
    }
    tok.text = std::string(body);
    for (size_t k = i; k < end; ++k) {  // a block comment may span lines
      if (text[k] == '\n') {
        ++line;
        line_start = k + 1;
      }
    }
    tok.end_line = line;
    tokens.push_back(std::move(tok));
    i = end;
  }
  return tokens;
}

}  // namespace credo::format
