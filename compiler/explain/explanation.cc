// explanation.cc — Explainer (explanation.h): the probes' tree with the record's values from the
// trace, in policy order; titles and scorecard arithmetic from the checked policy.
#include "compiler/explain/explanation.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "compiler/explain/reject.h"
#include "runtime/exec/runner.h"

namespace credo::explain {
namespace {

using ir::ProbeKind;

// What the author wrote about an element, by the source offset its probe has: its title, its
// rule set (for a rule), its expression.
struct Written {
  std::string title, section;
  const ast::Expr* expr = nullptr;
};
struct Authored {
  std::map<uint32_t, Written> at;

  explicit Authored(const ast::Policy& ast) {
    for (const auto& let : ast.lets) at[let.name.span.begin] = {"", "", let.value.get()};
    for (const auto& set : ast.rule_sets)
      for (const auto& rule : set.rules) at[rule.code.span.begin] = {rule.title, set.name.text, rule.when.get()};
    for (const auto& card : ast.scorecards) {
      at[card.name.span.begin] = {card.title, ""};
      for (const auto& ch : card.characteristics) at[ch.code.span.begin] = {ch.title, card.name.text, ch.subject.get()};
    }
    for (const auto& band : ast.bands) at[band.name.span.begin] = {"", "", band.subject.get()};
    for (const auto& block : ast.warnings)
      for (const auto& w : block.warnings) at[w.code.span.begin] = {w.title, "", w.when.get()};
    for (const auto& t : ast.decision_tables) {
      at[t.name.span.begin] = {t.title, ""};
      for (const auto& row : t.rows) at[row.span.begin] = {row.title, t.name.text};
    }
    for (const auto& g : ast.groups)
      for (const auto& stmt : g.stmts) {
        if (stmt.kind == ast::GroupStmt::Let) at[stmt.name.span.begin] = {"", "", stmt.expr.get()};
        for (const auto& a : stmt.actions) at[a.span.begin] = {a.title, "", stmt.expr.get()};
      }
  }
};

}  // namespace

// Per probe, its node without the record's values; the tree's shape; top levels in source order.
struct Explainer::Layout {
  std::vector<Node> nodes;
  std::vector<std::vector<size_t>> children;
  std::vector<size_t> top[2];  // [0]: the record program's, [1]: the group program's

  explicit Layout(const Compilation& c) {
    const ir::Program& p = *c.program;
    const SourceFile& source = *c.source;
    Authored authored(c.checked->ast());
    children.resize(p.probes.size());
    for (size_t i = 0; i < p.probes.size(); ++i) {
      const ir::Probe& probe = p.probes[i];
      Node n;
      n.kind = probe.kind;
      n.name = probe.name;
      n.text = probe.text;
      n.group = probe.group;
      if (!probe.text.empty()) {
        LineCol lc = source.Locate(probe.offset);
        const SourceFile& file = source.FileAt(probe.offset);
        n.at = &file == &source ? fmt::format("{}:{}", lc.line, lc.column)
                                : fmt::format("{}:{}:{}", file.path(), lc.line, lc.column);
        if (auto it = authored.at.find(probe.offset); it != authored.at.end()) {
          n.title = it->second.title;
          n.section = it->second.section;
          if (it->second.expr) n.expr = OnOneLine(source.Slice(it->second.expr->span));
        }
      }
      nodes.push_back(std::move(n));
      if (probe.parent >= 0)
        children[size_t(probe.parent)].push_back(i);
      else if (probe.kind != ProbeKind::Input && !(probe.kind == ProbeKind::Output && !probe.group))
        top[probe.group].push_back(i);
    }
    for (auto& t : top)
      std::stable_sort(t.begin(), t.end(), [&](size_t a, size_t b) { return p.probes[a].offset < p.probes[b].offset; });
  }
};

namespace {

class Builder {
 public:
  Builder(const Explainer::Layout& layout, const Context& c, size_t r)
      : layout_(layout), c_(c), p_(*c.compilation.program), info_(p_.info), source_(*c.compilation.source), r_(r) {}

  Explanation Build() {
    Explanation e;
    e.policy = info_.name;
    e.version = info_.version;
    e.file = source_.path();
    e.hash = p_.hash;
    e.row = int64_t(r_) + 1;
    e.line = c_.records.line[r_];
    e.id = c_.records.ids[r_];
    e.id_field = info_.inputs.empty() ? "id" : info_.inputs[0].name;
    e.accepted = c_.trace.status[r_] == 0;
    e.inputs = Inputs();
    std::vector<Node> nodes = Tree(false);
    if (e.accepted) {
      e.nodes = std::move(nodes);
      e.output_row = OutputRow(info_, c_.trace, r_);
      e.outputs = Outputs();
    } else {
      e.reject = DescribeReject(c_, r_);
      e.output_row = RejectRow(info_, c_.records, c_.trace, r_);
      // Where an evaluation error came from: the elements whose value carries one.
      if (e.reject->kind == "error")
        for (auto& n : nodes)
          if (n.value && !n.value->error.empty()) e.nodes.push_back(std::move(n));
    }
    if (info_.group_key >= 0) e.group_key = info_.inputs[size_t(info_.group_key)].name;
    if (info_.group_key >= 0 && c_.trace.member[r_] >= 0) e.group = Group();
    return e;
  }

 private:
  Value ValueOf(int32_t reg, bool group) const {
    Value v;
    const auto& code = group ? p_.group_code : p_.code;
    const rt::ValueType& type = code[size_t(reg)].type;
    // A declared value is a Use of its expression, error-free itself: the error is the operand's.
    int32_t from = code[size_t(reg)].op == ir::Op::Use ? code[size_t(reg)].args[0] : reg;
    if (int32_t site = c_.trace.Error(from, r_, group); site > 0) v.error = info_.reasons[size_t(site)].text;
    v.present = c_.trace.Present(reg, r_, group);
    if (v.present) exec::AppendValue(info_, type, c_.trace.Value(reg, r_, group), true, v.text);
    return v;
  }

  Node NodeOf(size_t i) const {
    const ir::Probe& probe = p_.probes[i];
    Node n = layout_.nodes[i];
    bool evaluated = !probe.group || c_.trace.member[r_] >= 0;
    // A decision table's value is an internal row index; its matching rows say it for a reader.
    bool shown = probe.kind != ProbeKind::DecisionTable;
    if (probe.value >= 0 && evaluated && shown) n.value = ValueOf(probe.value, probe.group);
    if (probe.hit >= 0 && evaluated) {
      Value hit = ValueOf(probe.hit, probe.group);
      n.hit = hit.present && hit.text == "true";
    }
    for (size_t child : layout_.children[i]) {
      Node c = NodeOf(child);
      if (!Alternative(c.kind) || c.hit.value_or(false)) n.children.push_back(std::move(c));
    }
    return n;
  }
  // Of a bin, range, entry or row, only the one(s) the record met are part of its story.
  static bool Alternative(ProbeKind k) {
    return k == ProbeKind::Bin || k == ProbeKind::BandRange || k == ProbeKind::TableEntry ||
           k == ProbeKind::DecisionRow;
  }

  // The probes of one program (record or group) as a tree, top level in source order.
  std::vector<Node> Tree(bool group) const {
    std::vector<Node> nodes;
    for (size_t i : layout_.top[group]) {
      nodes.push_back(NodeOf(i));
      if (nodes.back().kind == ProbeKind::Scorecard) Score(nodes.back());
    }
    return nodes;
  }

  // A scorecard's characteristics: bin, points, best points and shortfall; its reasons' ranking.
  void Score(Node& card) const {
    const auto& ast = c_.compilation.checked->ast();
    size_t index = 0;
    while (index < ast.scorecards.size() && ast.scorecards[index].name.text != card.name) ++index;
    if (index == ast.scorecards.size()) return;
    const auto& table = c_.compilation.checked->scorecards[index];
    const check::Scaling& scaling = c_.compilation.checked->scalings[index];
    bool unrounded = scaling.scaled && scaling.rounding != check::Scaling::PerBin;
    struct Short {
      double amount;
      size_t node;
      std::string text;
    };
    std::vector<Short> shorts;
    size_t c = 0;
    for (size_t k = 0; k < card.children.size(); ++k) {
      Node& ch = card.children[k];
      if (ch.kind != ProbeKind::Characteristic || c >= table.size()) continue;
      Node::Score s;
      s.points = ch.value ? ch.value->text : "";
      double points = std::atof(s.points.c_str());
      double best = unrounded ? table[c].best : double(table[c].max_points);
      s.max_points = unrounded ? fmt::format("{}", best) : std::to_string(table[c].max_points);
      double shortfall = best - points;
      s.shortfall = unrounded ? fmt::format("{}", shortfall) : std::to_string(int64_t(std::llround(shortfall)));
      for (const Node& bin : ch.children)
        if (bin.kind == ProbeKind::Bin && bin.hit.value_or(false)) s.bin = bin.text;
      if (shortfall > 0) shorts.push_back({shortfall, k, s.shortfall});
      ch.score = std::move(s);
      ++c;
    }
    // As RankReason ranks: largest shortfall first, ties in declaration order.
    std::stable_sort(shorts.begin(), shorts.end(), [](const Short& a, const Short& b) { return a.amount > b.amount; });
    const auto& decl = ast.scorecards[index];
    size_t kept = decl.reasons > 0 ? size_t(decl.reasons) : decl.characteristics.size();
    for (Node& n : card.children) {
      if (n.kind != ProbeKind::Reasons) continue;
      for (size_t i = 0; i < shorts.size(); ++i) {
        const Node& ch = card.children[shorts[i].node];
        n.ranking.push_back({ch.name, ch.title, shorts[i].text, i < kept ? int(i + 1) : 0});
      }
    }
  }

  std::vector<InputValue> Inputs() const {
    std::vector<InputValue> inputs;
    const auto& fields = c_.compilation.checked->ast().inputs[0].fields;
    const auto& cells = c_.records.cells[r_];
    for (size_t f = 0; f < info_.inputs.size(); ++f) {
      InputValue in;
      in.name = info_.inputs[f].name;
      in.type = fields[f].type.name.text + (fields[f].type.optional ? "?" : "");
      if (f < cells.size()) in.text = cells[f];
      in.read = c_.records.parse_field[r_] < 0 || int32_t(f) < c_.records.parse_field[r_];
      const rt::Column& col = c_.records.batch.fields[f];
      in.value.present = col.valid[r_];
      if (in.value.present) exec::AppendValue(info_, info_.inputs[f].type, col.values[r_], true, in.value.text);
      inputs.push_back(std::move(in));
    }
    return inputs;
  }

  std::vector<OutputValue> Outputs() const {
    std::vector<OutputValue> outputs;
    bool grouped = c_.trace.member[r_] >= 0;
    for (const auto& column : info_.outputs) {
      OutputValue o;
      o.name = column.name;
      const rt::ValueType& type = info_.state[size_t(column.state)];
      const rt::Column& col = c_.trace.state.slots[size_t(column.state)];
      exec::AppendValue(info_, type, col.values[r_], !type.optional || col.valid[r_], o.value);
      if (grouped) {  // the record program's value, before the group pass
        Value before = ValueOf(p_.state_regs[size_t(column.state)], false);
        if (before.text != o.value) o.before_group = before.text;
      }
      outputs.push_back(std::move(o));
    }
    return outputs;
  }

  GroupPart Group() const {
    GroupPart g;
    const rt::Column& key = c_.records.batch.fields[size_t(info_.group_key)];
    exec::AppendValue(info_, info_.inputs[size_t(info_.group_key)].type, key.values[r_], true, g.key);
    int32_t id = c_.records.batch.group[r_];
    for (size_t r = 0; r < c_.records.size(); ++r)
      if (c_.records.batch.group[r] == id && c_.trace.member[r] >= 0) g.member_lines.push_back(c_.records.line[r]);
    g.nodes = Tree(true);
    return g;
  }

  const Explainer::Layout& layout_;
  const Context& c_;
  const ir::Program& p_;
  const rt::PolicyInfo& info_;
  const SourceFile& source_;
  size_t r_;
};

}  // namespace

Explainer::Explainer(const Context& context)
    : context_(context), layout_(std::make_unique<Layout>(context.compilation)) {}
Explainer::~Explainer() = default;
Explanation Explainer::Explain(size_t r) const { return Builder(*layout_, context_, r).Build(); }

}  // namespace credo::explain
