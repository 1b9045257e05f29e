// stops.cc — which columns a line aligns, by the kind of block it is in: what an author lines
// up by hand in each construct of the language.
#include <string>

#include "compiler/format/lines.h"

namespace credo::format {
namespace {

// A line's code tokens with their bracket depth relative to the line's start.
struct Scan {
  const std::vector<Token>& tokens;
  const Line& line;
  std::vector<size_t> code;  // token indices, comments left out
  std::vector<int> depth;    // depth before each code token

  Scan(const std::vector<Token>& t, const Line& l) : tokens(t), line(l) {
    int d = 0;
    for (size_t i : l.toks) {
      const Token& tok = t[i];
      if (tok.IsComment()) continue;
      if (tok.Is(")") || tok.Is("]") || tok.Is("}")) --d;
      code.push_back(i);
      depth.push_back(d);
      if (tok.Is("(") || tok.Is("[") || tok.Is("{")) ++d;
    }
  }
  const Token& at(size_t k) const { return tokens[code[k]]; }
  // The first code token at depth 0 (or below) equal to `text`, from `from`; code.size() if none.
  size_t Find(std::string_view text, size_t from = 0) const {
    for (size_t k = from; k < code.size(); ++k)
      if (depth[k] <= 0 && at(k).Is(text)) return k;
    return code.size();
  }
};

void Add(Line& line, const Scan& s, std::string key, size_t k, int gap = 1, bool capped = false) {
  if (k < s.code.size()) line.stops.push_back({std::move(key), s.code[k], gap, capped});
}

// `name: type where ...`: the types in a column, and the `where`s.
void FieldStops(Line& line, const Scan& s) {
  if (s.code.size() < 3 || !s.at(1).Is(":")) return;
  Add(line, s, "type", 2);
  Add(line, s, "where", s.Find("where"), 1, true);
}

// `CODE "title" when ... => effect` (and the `=>` of a condition continued on the next line).
void RuleStops(Line& line, const Scan& s, bool effects) {
  if (line.continuation) {
    if (effects) Add(line, s, "=>", s.Find("=>"), 1, true);
    return;
  }
  if (s.at(0).Is("missing")) return;  // `missing means false`
  if (s.code.size() > 1 && s.at(1).kind == TokKind::String) Add(line, s, "title", 1);
  size_t when = s.Find("when");
  Add(line, s, "when", when, 1, true);
  if (effects && when < s.code.size()) Add(line, s, "=>", s.Find("=>", when), 1, true);
}

// Bins (`test, test => points, ...`) and lookup entries (`keys => value, ...`): on lines with
// one per line the `=>`s line up; on lines with several, each one's start and `=>` line up in a
// grid. `gap`: spaces after the comma between two on a line.
void EntryStops(Line& line, const Scan& s, int gap) {
  if (line.continuation) return;
  int entry = 0;
  bool in_result = false;
  for (size_t k = 0; k < s.code.size(); ++k) {
    if (s.depth[k] > 0) continue;
    const Token& t = s.at(k);
    if (!in_result && t.Is("=>")) {
      Add(line, s, "=>" + std::to_string(entry), k);
      in_result = true;
    } else if (in_result && t.Is(",") && k + 1 < s.code.size() && s.depth[k + 1] <= 0 && !s.at(k + 1).Is("}")) {
      ++entry;
      in_result = false;
      Add(line, s, "entry" + std::to_string(entry), k + 1, gap);
    }
  }
}

// Decision table rows `CODE "title" | cell | cell => out | out`, the `else` row, and the
// `inputs` / `outputs` heads.
void DecisionTableStops(Line& line, const Scan& s) {
  if (line.continuation) return;
  const Token& first = s.at(0);
  if (first.Is("inputs") || first.Is("outputs")) {
    Add(line, s, "head", 1);
    return;
  }
  bool is_else = first.Is("else");
  if (!is_else && s.code.size() > 1 && s.at(1).kind == TokKind::String) Add(line, s, "title", 1);
  int column = 0, output = 0;
  bool outputs = false;
  for (size_t k = 1; k < s.code.size(); ++k) {
    if (s.depth[k] > 0) continue;
    if (s.at(k).Is("=>")) {
      Add(line, s, "=>", k);
      outputs = true;
    } else if (s.at(k).Is("|")) {
      Add(line, s, outputs ? "out" + std::to_string(++output) : "cell" + std::to_string(++column), k);
    }
  }
}

// One item per line with `NAME = expr` (or `KIND => "text"`): the `=` (`=>`) in a column.
void AssignmentStops(Line& line, const Scan& s, std::string_view op) {
  if (line.continuation) return;
  for (size_t k = 0; k + 1 < s.code.size(); ++k)
    if (s.depth[k] <= 0 && s.at(k).Is(",")) return;
  Add(line, s, std::string(op), s.Find(op), 1, true);
}

void LetStops(Line& line, const Scan& s) {
  if (line.continuation || !(s.at(0).Is("let") || s.at(0).Is("const"))) return;
  Add(line, s, "=", s.Find("="), 1, true);
}

}  // namespace

void AssignStops(const std::vector<Token>& tokens, Structure& structure) {
  for (Line& line : structure.lines) {
    if (line.comment_only) continue;
    Scan s(tokens, line);
    if (s.code.empty()) continue;
    if (!s.at(0).Is("}")) {
      switch (line.kind) {
        case BlockKind::Input: if (!line.continuation) FieldStops(line, s); break;
        case BlockKind::Rules: RuleStops(line, s, true); break;
        case BlockKind::Warnings: RuleStops(line, s, false); break;
        case BlockKind::Bins: EntryStops(line, s, 2); break;
        case BlockKind::Lookup: EntryStops(line, s, 1); break;
        case BlockKind::DecisionTable: DecisionTableStops(line, s); break;
        case BlockKind::Decision:
          Add(line, s, "=>", s.Find("=>"), 1, true);
          Add(line, s, "because", s.Find("because"), 1, true);
          break;
        case BlockKind::Group: LetStops(line, s); break;
        case BlockKind::Output: AssignmentStops(line, s, "="); break;
        case BlockKind::Rejects: AssignmentStops(line, s, "=>"); break;
        case BlockKind::Top: LetStops(line, s); break;
        default: break;
      }
    }
    const Token& last = tokens[line.toks.back()];
    bool one_line_comment = last.IsComment() && last.end_line == last.line;
    if (one_line_comment && line.toks.size() > 1) line.stops.push_back({"comment", line.toks.back(), 2, true});
  }
}

}  // namespace credo::format
