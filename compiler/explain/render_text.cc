// render_text.cc — RenderText (render.h): the explanation as a reader follows the policy, one
// block per element, the values each used indented under it.
#include <fmt/format.h>

#include "compiler/explain/render.h"

namespace credo::explain {
namespace {

using K = ir::ProbeKind;

std::string Shown(const Value& v) {
  if (!v.error.empty()) return fmt::format("error ({})", v.error);  // the value itself means nothing then
  if (!v.present) return "missing";
  return v.text.empty() ? "\"\"" : v.text;
}
std::string Shown(const std::optional<Value>& v) { return v ? Shown(*v) : "not evaluated"; }
bool Failed(const Node& n) { return n.value && !n.value->error.empty(); }
std::string Titled(const Node& n) { return n.title.empty() ? n.name : fmt::format("{} \"{}\"", n.name, n.title); }

class Writer {
 public:
  std::string out;

  void Line(int depth, const std::string& text) { out += std::string(size_t(depth), ' ') + text + "\n"; }

  // The values an element read and the steps it took (caps, roundings), one per line.
  void Steps(const Node& n, int depth) {
    for (const Node& c : n.children) {
      if (c.kind == K::Step && !(n.kind == K::Characteristic && c.name == "shortfall"))
        Line(depth, fmt::format("{} = {}", c.name, Shown(c.value)));
      if (c.kind == K::Fallback && c.hit.value_or(false))
        Line(depth, fmt::format("`{}`: the left side is missing, so the fallback is used", c.text));
      if (c.kind == K::MissingFalse && c.hit.value_or(false))
        Line(depth, "the condition is missing: it counts as false (`missing means false`)");
    }
  }

  // The child elements of kind `kind` (bins, ranges, entries, rows), the one hit marked.
  void Choices(const Node& n, K kind, int depth, const char* taken) {
    for (const Node& c : n.children)
      if (c.kind == kind && c.hit.value_or(false)) Line(depth, fmt::format("{}: {}  (line {})", taken, c.text, c.at));
  }

  // A rule or a warning: whether its condition held (or the error it met), then the condition.
  void Condition(const Node& n, int depth, const char* held, const char* not_held) {
    Line(depth, fmt::format("{}: {}", Titled(n),
                            Failed(n)               ? Shown(*n.value)
                            : n.hit.value_or(false) ? held
                                                    : not_held));
    Line(depth + 2, "when " + n.expr);
    Steps(n, depth + 2);
  }

  void Element(const Node& n, int depth) {
    switch (n.kind) {
      case K::Let:
        Line(depth, fmt::format("let {} = {}", n.name, Shown(n.value)));
        Line(depth + 2, "= " + n.expr);
        Steps(n, depth + 2);
        break;
      case K::Rule: Condition(n, depth, "FIRED", "not fired"); break;
      case K::Scorecard: Scorecard(n, depth); break;
      case K::Band:
        Line(depth, fmt::format("band {} = {}", n.name, Shown(n.value)));
        Steps(n, depth + 2);
        Choices(n, K::BandRange, depth + 2, "range");
        break;
      case K::Table:
        Line(depth, fmt::format("table {} = {}", n.name, Shown(n.value)));
        Choices(n, K::TableEntry, depth + 2, "entry");
        break;
      case K::DecisionTable:
        Line(depth, fmt::format("table {}{}", n.name, n.title.empty() ? "" : fmt::format(" \"{}\"", n.title)));
        for (const Node& c : n.children)
          if (c.kind == K::DecisionRow && c.hit.value_or(false))
            Line(depth + 2,
                 fmt::format("row {} applies{}", c.name, c.title.empty() ? "" : fmt::format(" \"{}\"", c.title)));
        Steps(n, depth + 2);
        break;
      case K::Decision: Decision(n, depth); break;
      case K::Warning: Condition(n, depth, "RAISED", "not raised"); break;
      case K::GroupLet:
        Line(depth, fmt::format("let {} = {}  (the group's value)", n.name, Shown(n.value)));
        Line(depth + 2, "= " + n.expr);
        Steps(n, depth + 2);
        break;
      case K::GroupAction:
        Line(depth, fmt::format("{}: {}", n.title.empty() ? n.text : fmt::format("{} \"{}\"", n.name, n.title),
                                n.hit.value_or(false) ? "APPLIED to this record" : "not applied"));
        if (!n.expr.empty()) Line(depth + 2, "when " + n.expr);
        Steps(n, depth + 2);
        break;
      case K::Fallback:  // only when it changed something, as under the elements that contain one
        if (n.hit.value_or(false))
          Line(depth, fmt::format("`{}`: the left side is missing, so the fallback is used", n.text));
        break;
      case K::Output:
        Line(depth, fmt::format("{}{} = {}", n.group ? "per-group output " : "", n.name, Shown(n.value)));
        break;
      default: Line(depth, fmt::format("{} {} = {}", KindName(n.kind), n.name, Shown(n.value))); Steps(n, depth + 2);
    }
  }

  void Scorecard(const Node& n, int depth) {
    Line(depth, fmt::format("scorecard {}{}: score {}", n.name, n.title.empty() ? "" : fmt::format(" \"{}\"", n.title),
                            Shown(n.value)));
    for (const Node& c : n.children) {
      if (c.kind != K::Characteristic || !c.score) continue;
      const Node::Score& s = *c.score;
      Line(depth + 2, fmt::format("{}: {} points (best {}, shortfall {}), bin `{}`", Titled(c), s.points, s.max_points,
                                  s.shortfall, s.bin));
      Steps(c, depth + 4);
    }
    for (const Node& c : n.children) {
      if (c.kind != K::Reasons) continue;
      Line(depth + 2, fmt::format("reasons = {}", Shown(c.value)));
      Line(depth + 4, "ranked by shortfall, largest first; ties in declaration order; no shortfall, no reason:");
      for (const auto& r : c.ranking)
        Line(depth + 4, fmt::format("{} {}{} shortfall {}", r.rank ? fmt::format("{}.", r.rank) : "- ", r.code,
                                    r.title.empty() ? "" : fmt::format(" \"{}\"", r.title), r.shortfall) +
                            (r.rank ? "" : "  (beyond the reasons kept)"));
    }
  }

  // Every arm in order: those before the taken one did not apply, and why.
  void Decision(const Node& n, int depth) {
    Line(depth, fmt::format("{} = {}", n.name == "decision" ? n.name : "decision " + n.name, Shown(n.value)));
    bool taken = false;
    for (const Node& c : n.children) {
      if (c.kind != K::DecisionArm) continue;
      bool hit = c.hit.value_or(false);
      const char* mark = taken ? "not reached" : hit ? "TAKEN" : "not taken: its condition is false";
      Line(depth + 2, fmt::format("{}: {}  ({})", c.name, c.text, mark));
      if (!taken) Steps(c, depth + 4);
      taken |= hit;
    }
    Steps(n, depth + 2);
  }
};

}  // namespace

std::string RenderText(const Explanation& e) {
  Writer w;
  w.Line(0, fmt::format("{} {} ({}): record {} (line {}), {} {}", e.policy, e.version, e.file, e.row, e.line,
                        e.id_field, e.id));
  if (e.reject) {
    const Reject& r = *e.reject;
    w.Line(0, fmt::format("REJECTED: {}", r.reason));
    if (!r.field.empty()) w.Line(2, fmt::format("field: {}", r.field));
    if (r.text) w.Line(2, fmt::format("found: {}", r.text->empty() ? "an empty cell" : "`" + *r.text + "`"));
    if (!r.expected.empty()) w.Line(2, fmt::format("expected: {}", r.expected));
    if (!r.at.empty()) w.Line(2, fmt::format("policy: {}", r.at));
    if (r.kind == "error") w.Line(2, "where: the elements below whose value is an error");
    if (r.first_line) w.Line(2, fmt::format("first seen: line {}", r.first_line));
  }
  w.Line(0, "");
  w.Line(0, "input (as read)");
  size_t width = 0;
  for (const auto& in : e.inputs) width = std::max(width, in.name.size());
  for (const auto& in : e.inputs) {
    std::string shown = Shown(in.value);
    if (in.text && in.value.present && *in.text != in.value.text) shown += fmt::format("  (written `{}`)", *in.text);
    if (!in.text)
      shown = "no such cell";
    else if (!in.read && e.reject && e.reject->field == in.name)
      shown = fmt::format("does not read: `{}`", *in.text);
    else if (!in.read)
      shown = fmt::format("not read: `{}`", *in.text);
    w.Line(2, fmt::format("{:<{}}  {}", in.name, width, shown));
  }
  std::string section;
  for (const Node& n : e.nodes) {
    std::string here = n.kind == K::Rule ? "rules " + n.section : n.kind == K::Warning ? "warnings" : "";
    if (here != section || here.empty()) w.Line(0, "");
    if (here != section && !here.empty()) w.Line(0, here);
    section = here;
    w.Element(n, here.empty() ? 0 : 2);
  }
  if (e.group) {
    w.Line(0, "");
    std::string lines;
    for (int64_t l : e.group->member_lines) lines += (lines.empty() ? "" : ", ") + std::to_string(l);
    w.Line(0, fmt::format("group pass: group {}, {} accepted member(s) on line(s) {}", e.group->key,
                          e.group->member_lines.size(), lines));
    for (const Node& n : e.group->nodes) w.Element(n, 2);
  } else if (!e.group_key.empty()) {
    w.Line(0, "");
    w.Line(0, fmt::format("group pass: this record takes no part ({})",
                          e.accepted ? "its " + e.group_key + " is missing" : "it was rejected"));
  }
  if (e.accepted) {
    w.Line(0, "");
    w.Line(0, "output");
    for (const auto& o : e.outputs)
      w.Line(2, fmt::format("{} = {}{}", o.name, o.value.empty() ? "(empty)" : o.value,
                            o.before_group ? fmt::format("  (the group pass changed it from {})",
                                                         o.before_group->empty() ? "(empty)" : *o.before_group)
                                           : ""));
  }
  w.Line(0, "");
  w.Line(0, fmt::format("{} row: {}", e.accepted ? "output" : "rejects", e.output_row));
  return w.out;
}

}  // namespace credo::explain
