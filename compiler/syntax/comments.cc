#include "compiler/syntax/comments.h"

namespace credo {

std::vector<Comment> LexComments(const SourceFile& source) {
  const std::string& text = source.text();
  std::vector<Comment> comments;
  size_t i = 0, n = text.size();
  while (i < n) {
    char c = text[i];
    if (c == '"') {  // a string literal: skip to its closing quote (or the line's end)
      for (++i; i < n && text[i] != '"' && text[i] != '\n'; ++i) {
        if (text[i] == '\\' && i + 1 < n) ++i;
      }
      ++i;
      continue;
    }
    if (c != '/' || i + 1 >= n || (text[i + 1] != '/' && text[i + 1] != '*')) {
      ++i;
      continue;
    }
    bool block = text[i + 1] == '*';
    size_t end = block ? text.find("*/", i + 2) : text.find('\n', i);
    end = end == std::string::npos ? n : block ? end + 2 : end;
    if (!block && end > i && text[end - 1] == '\r') --end;
    size_t line_start = text.rfind('\n', i == 0 ? 0 : i - 1);
    line_start = line_start == std::string::npos || i == 0 ? 0 : line_start + 1;
    bool own_line = text.find_first_not_of(" \t", line_start) == i;
    comments.push_back({{uint32_t(source.base() + i), uint32_t(source.base() + end)}, text.substr(i, end - i), block,
                        own_line});
    i = end;
  }
  return comments;
}

std::string DocComment(const SourceFile& source, const std::vector<Comment>& comments, uint32_t decl) {
  uint32_t line = source.Locate(decl).line;
  std::vector<std::string> lines;
  for (size_t k = comments.size(); k-- > 0;) {
    const Comment& c = comments[k];
    if (c.span.begin >= decl) continue;
    if (c.block || !c.own_line || source.Locate(c.span.begin).line != line - 1) break;
    std::string body = c.text.substr(2);
    if (!body.empty() && body[0] == ' ') body.erase(0, 1);
    lines.insert(lines.begin(), body);
    --line;
  }
  std::string doc;
  for (const std::string& l : lines) doc += (doc.empty() ? "" : "\n") + l;
  return doc;
}

}  // namespace credo
