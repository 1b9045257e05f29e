#include "compiler/format/render.h"

#include <algorithm>
#include <map>

namespace credo::format {
namespace {

class Renderer {
 public:
  Renderer(const std::vector<Token>& tokens, const Structure& s)
      : tokens_(tokens), lines_(s.lines), roles_(s.roles), column_(tokens.size(), 0), first_(tokens.size(), false),
        start_(s.lines.size(), 0), aligned_(s.lines.size()) {
    for (size_t l = 0; l < lines_.size(); ++l) {
      first_[lines_[l].toks.front()] = true;
      start_[l] = Indent(l);
    }
  }

  std::string Run() {
    FindAnchors();
    for (size_t begin = 0; begin < lines_.size();) {
      size_t end = begin + 1;
      while (end < lines_.size() && (lines_[end].run == lines_[begin].run || lines_[end].comment_only)) ++end;
      LayOutRun(begin, end);
      begin = end;
    }
    PlaceCommentLines();
    return Join();
  }

 private:
  int Indent(size_t l) const { return 2 * lines_[l].depth; }

  // Spaces between adjacent tokens `a` and `b` of one line, before alignment.
  int Space(size_t a, size_t b) const {
    const Token& A = tokens_[a];
    const Token& B = tokens_[b];
    if (A.IsComment() || B.IsComment()) return 1;
    if (B.kind != TokKind::Punct && A.kind != TokKind::Punct) return 1;
    if (B.Is(",") || B.Is(")") || B.Is("]") || B.Is("?") || B.Is(":")) return 0;
    if (A.Is("(") || A.Is("[") || A.Is(".") || B.Is(".")) return 0;
    if (A.Is("-") && roles_.unary[a] && (B.kind != TokKind::Punct || B.Is("("))) return B.kind == TokKind::String;
    if (B.Is("(") || B.Is("[")) {
      bool callee = (A.kind == TokKind::Word && !IsHardKeyword(A.text)) || A.Is(")") || A.Is("]");
      if (!callee) return 1;
      // A name first on its line may be an item's code or a soft keyword (`check (a or b)`):
      // keep the author's choice there.
      if (first_[a]) return B.line == A.line && B.column == A.column + Width(A.text) ? 0 : 1;
      return 0;
    }
    if (A.Is("{")) return roles_.set_brace[a] || B.Is("}") ? 0 : 1;
    if (B.Is("}")) return roles_.set_brace[b] ? 0 : 1;
    return 1;
  }

  // The spaces before the token at position `k` of line `l`, alignment included, when the line
  // so far is `width` wide.
  int SpacesBefore(size_t l, size_t k, int width) const {
    const Line& line = lines_[l];
    size_t tok = line.toks[k];
    int spaces = Space(line.toks[k - 1], tok);
    for (const Stop& stop : line.stops) {
      if (stop.tok != tok) continue;
      spaces = std::max(spaces, stop.gap);
      auto it = aligned_[l].find(stop.key);
      if (it != aligned_[l].end()) spaces = std::max(spaces, it->second - width);
    }
    return spaces;
  }

  // The width of line `l` up to (not including) its token at position `end`, recording columns.
  int WidthBefore(size_t l, size_t end) {
    const Line& line = lines_[l];
    int width = start_[l];
    for (size_t k = 0; k < end && k < line.toks.size(); ++k) {
      if (k > 0) width += SpacesBefore(l, k, width);
      column_[line.toks[k]] = width;
      width += int(Width(tokens_[line.toks[k]].text));
    }
    return width;
  }

  size_t Position(size_t l, size_t tok) const {
    const auto& toks = lines_[l].toks;
    return size_t(std::find(toks.begin(), toks.end(), tok) - toks.begin());
  }

  // Width of line `l` from its token at `k` to its end, with plain spacing.
  int RestWidth(size_t l, size_t k) const {
    const auto& toks = lines_[l].toks;
    int width = int(Width(tokens_[toks[k]].text));
    for (size_t j = k + 1; j < toks.size(); ++j) width += Space(toks[j - 1], toks[j]) + int(Width(tokens_[toks[j]].text));
    return width;
  }

  // The token a continuation line was aligned under: the nearest earlier line of the same item
  // with a token at the column the continuation starts at (the item's first token excluded).
  void FindAnchors() {
    anchor_.assign(lines_.size(), -1);
    offset_.assign(lines_.size(), 2);
    for (size_t l = 0; l < lines_.size(); ++l) {
      const Line& line = lines_[l];
      if (!line.continuation) continue;
      uint32_t col = tokens_[line.toks.front()].column;
      size_t item = size_t(line.item);
      for (size_t j = l; j-- > item && anchor_[l] < 0;) {
        if (j != item && !(lines_[j].continuation && lines_[j].item == line.item)) continue;
        for (size_t tok : lines_[j].toks) {
          if (tok == lines_[item].toks.front() || tokens_[tok].IsComment()) continue;
          if (tokens_[tok].column == col) {
            anchor_[l] = int(tok);
            break;
          }
        }
      }
      int item_col = int(tokens_[lines_[item].toks.front()].column);
      offset_[l] = std::max(2, int(col) - item_col);
      start_[l] = int(col);  // the first guess; LayOutRun settles it
    }
  }

  int ContinuationStart(size_t l) const {
    int least = Indent(l) + 2;
    if (anchor_[l] >= 0) return std::max(least, column_[size_t(anchor_[l])]);
    return Indent(l) + offset_[l];
  }

  // The stop keys of lines [begin, end), in the order they first appear.
  std::vector<std::string> Keys(size_t begin, size_t end) const {
    std::vector<std::string> keys;
    for (size_t l = begin; l < end; ++l)
      for (const Stop& s : lines_[l].stops)
        if (std::find(keys.begin(), keys.end(), s.key) == keys.end()) keys.push_back(s.key);
    return keys;
  }

  void Align(size_t begin, size_t end, const std::string& key) {
    struct Part {
      size_t line;
      int natural, rest;
    };
    std::vector<Part> parts;
    bool capped = false;
    for (size_t l = begin; l < end; ++l) {
      for (const Stop& s : lines_[l].stops) {
        if (s.key != key) continue;
        size_t k = Position(l, s.tok);
        if (k == 0) continue;
        int width = WidthBefore(l, k);
        int spaces = std::max(Space(lines_[l].toks[k - 1], s.tok), s.gap);
        parts.push_back({l, width + spaces, RestWidth(l, k)});
        capped = capped || s.capped;
      }
    }
    if (parts.size() < 2) return;
    auto column = [&] {
      int c = 0;
      for (const Part& p : parts) c = std::max(c, p.natural);
      return c;
    };
    // Drop the widest part while aligning to it pushes another line past the limit.
    while (capped && parts.size() > 1) {
      int c = column();
      bool pushed = std::any_of(parts.begin(), parts.end(), [&](const Part& p) {
        return p.natural < c && c + p.rest > kMaxAlignedWidth;
      });
      if (!pushed) break;
      auto widest = std::max_element(parts.begin(), parts.end(),
                                     [](const Part& a, const Part& b) { return a.natural <= b.natural; });
      parts.erase(widest);
    }
    if (parts.size() < 2) return;
    int c = column();
    for (const Part& p : parts) aligned_[p.line][key] = c;
  }

  void LayOutRun(size_t begin, size_t end) {
    std::vector<std::string> keys = Keys(begin, end);
    for (int round = 0; round < 8; ++round) {
      for (size_t l = begin; l < end; ++l) aligned_[l].clear();
      for (const std::string& key : keys) Align(begin, end, key);
      for (size_t l = begin; l < end; ++l) WidthBefore(l, lines_[l].toks.size());
      bool settled = true;
      for (size_t l = begin; l < end; ++l) {
        if (!lines_[l].continuation) continue;
        int start = ContinuationStart(l);
        if (start != start_[l]) settled = false;
        start_[l] = start;
      }
      if (settled) return;
    }
    for (size_t l = begin; l < end; ++l) WidthBefore(l, lines_[l].toks.size());
  }

  // A comment line above a continued line starts where it does; any other at its indentation.
  void PlaceCommentLines() {
    for (size_t l = lines_.size(); l-- > 0;) {
      if (!lines_[l].comment_only) continue;
      start_[l] = Indent(l);
      size_t next = l + 1;
      while (next < lines_.size() && lines_[next].comment_only) ++next;
      if (next < lines_.size() && lines_[next].continuation) start_[l] = start_[next];
      WidthBefore(l, lines_[l].toks.size());
    }
  }

  bool OpensBlock(size_t l) const {
    for (size_t k = lines_[l].toks.size(); k-- > 0;) {
      size_t tok = lines_[l].toks[k];
      if (tokens_[tok].IsComment()) continue;
      return tokens_[tok].Is("{") && !roles_.set_brace[tok];
    }
    return false;
  }

  std::string Join() {
    std::string out;
    for (size_t l = 0; l < lines_.size(); ++l) {
      const Line& line = lines_[l];
      bool closes = tokens_[line.toks.front()].Is("}");
      if (l > 0 && line.blank_before && !closes && !OpensBlock(l - 1)) out += '\n';
      int width = 0;
      for (size_t k = 0; k < line.toks.size(); ++k) {
        size_t tok = line.toks[k];
        out.append(size_t(column_[tok] - width), ' ');
        out += tokens_[tok].text;
        width = column_[tok] + int(Width(tokens_[tok].text));
      }
      out += '\n';
    }
    return out;
  }

  const std::vector<Token>& tokens_;
  const std::vector<Line>& lines_;
  const TokenRoles& roles_;
  std::vector<int> column_;  // output column of each token
  std::vector<bool> first_;  // first token of its line
  std::vector<int> start_;   // start column of each line
  std::vector<std::map<std::string, int>> aligned_;  // per line: stop key → its column
  std::vector<int> anchor_, offset_;
};

}  // namespace

std::string Render(const std::vector<Token>& tokens, const Structure& structure) {
  if (structure.lines.empty()) return "";
  return Renderer(tokens, structure).Run();
}

}  // namespace credo::format
