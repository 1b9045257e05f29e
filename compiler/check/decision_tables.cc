// decision_tables.cc — decision tables (`table NAME hit POLICY { … }`) and generalised lookup
// tables (`table NAME: (string, int) -> T { … }` with cells as keys): columns and their types,
// cells against their columns, outputs and row values, members, and the coverage proofs (gaps,
// overlaps under `unique`/`any`, rows never chosen under `first`/`priority`), each reported
// with row numbers and a counterexample input. The cell algebra is in cells.h; the proofs walk
// the product of the columns' segments by recursion on columns, carrying the set of rows still
// matching as a bit set and visiting each (column, row set) once.
#include <algorithm>
#include <bit>
#include <set>

#include <fmt/format.h>

#include "compiler/check/cells.h"
#include "compiler/check/checker_impl.h"

namespace credo::check {

namespace {

using Bits = std::vector<uint64_t>;

bool Test(const Bits& b, int r) { return (b[size_t(r) / 64] >> (r % 64)) & 1; }
void Set(Bits& b, int r) { b[size_t(r) / 64] |= uint64_t(1) << (r % 64); }
int Lowest(const Bits& b) {
  for (size_t w = 0; w < b.size(); ++w)
    if (b[w]) return int(w * 64) + std::countr_zero(b[w]);
  return -1;
}
bool None(const Bits& b) { return Lowest(b) < 0; }

// What a proof is asked to show.
struct ProofSpec {
  bool gaps = false;                     // every input takes a row (no `else`, not a collect)
  bool disjoint = false;                 // `unique`: no input takes two rows
  bool agree = false;                    // `any`: overlapping rows give the same outputs
  std::vector<std::string> outputs;      // `any`: per row, its outputs as one key
  bool reachable = false;                // `first`/`priority`: every row is chosen somewhere
  std::vector<int> rank;                 // `priority`: per row, lower is chosen first (else row order)
};

struct Finding {
  std::vector<int32_t> input;            // per column, a segment
  int a = -1, b = -1;                    // rows
};

struct ProofResult {
  std::optional<Finding> gap;
  std::vector<Finding> overlaps;
  std::vector<Bits> choosers;            // reachable: per row, rows chosen where it matched
  std::vector<std::optional<Finding>> matched_at;  // per row: an input it matches
  Bits chosen;                           // rows chosen somewhere
  bool gave_up = false;
};

class Prover {
 public:
  Prover(const std::vector<ColumnModel>& cols, const std::vector<std::vector<Bits>>& masks, int rows, const ProofSpec& spec)
      : cols_(cols), masks_(masks), rows_(rows), words_(size_t(std::max(1, (rows + 63) / 64))), spec_(spec) {
    domains_.reserve(cols.size());
    for (auto& c : cols) domains_.push_back(c.Domain());
    seen_.resize(cols.size() + 1);
    r_.choosers.assign(size_t(rows), Bits(words_, 0));
    r_.matched_at.resize(size_t(rows));
    r_.chosen.assign(words_, 0);
  }

  ProofResult Run() {
    Bits all(words_, 0);
    for (int r = 0; r < rows_; ++r) Set(all, r);
    path_.assign(cols_.size(), 0);
    for (size_t c = 0; c < cols_.size(); ++c)
      if (domains_[c].empty()) return r_;  // a column with no value at all: nothing to prove
    Walk(0, all);
    return r_;
  }

 private:
  static constexpr size_t kBudget = 400'000;

  void Walk(size_t col, const Bits& set) {
    if (++steps_ > kBudget) {
      r_.gave_up = true;
      return;
    }
    if (col == cols_.size()) return Leaf(set);
    if (!seen_[col].insert(set).second) return;
    std::set<Bits> here;
    for (int32_t s : domains_[col]) {
      Bits next(words_);
      const Bits& m = masks_[col][size_t(s)];
      for (size_t w = 0; w < words_; ++w) next[w] = set[w] & m[w];
      if (!here.insert(next).second) continue;  // an earlier segment leads to the same rows
      path_[col] = s;
      if (None(next)) {
        if (spec_.gaps && !r_.gap) {
          for (size_t c = col + 1; c < cols_.size(); ++c) path_[c] = domains_[c][0];
          r_.gap = Finding{path_};
        }
        continue;
      }
      Walk(col + 1, next);
      if (r_.gave_up) return;
    }
  }

  void Leaf(const Bits& set) {
    std::vector<int> rows;
    for (size_t w = 0; w < words_; ++w)
      for (uint64_t m = set[w]; m; m &= m - 1) rows.push_back(int(w * 64) + std::countr_zero(m));
    if (rows.empty()) return;
    if (spec_.disjoint && rows.size() >= 2 && reported_.insert({rows[0], rows[1]}).second && r_.overlaps.size() < 8)
      r_.overlaps.push_back({path_, rows[0], rows[1]});
    if (spec_.agree)
      for (size_t i = 1; i < rows.size(); ++i)
        if (spec_.outputs[size_t(rows[i])] != spec_.outputs[size_t(rows[0])]) {
          if (reported_.insert({rows[0], rows[i]}).second && r_.overlaps.size() < 8)
            r_.overlaps.push_back({path_, rows[0], rows[i]});
          break;
        }
    int chosen = rows[0];
    if (!spec_.rank.empty())
      for (int r : rows)
        if (spec_.rank[size_t(r)] < spec_.rank[size_t(chosen)]) chosen = r;
    Set(r_.chosen, chosen);
    for (int r : rows) {
      if (!r_.matched_at[size_t(r)]) r_.matched_at[size_t(r)] = Finding{path_, chosen};
      if (r != chosen) Set(r_.choosers[size_t(r)], chosen);
    }
  }

  const std::vector<ColumnModel>& cols_;
  const std::vector<std::vector<Bits>>& masks_;
  int rows_;
  size_t words_;
  const ProofSpec& spec_;
  std::vector<std::vector<int32_t>> domains_;
  std::vector<std::set<Bits>> seen_;
  std::set<std::pair<int, int>> reported_;
  std::vector<int32_t> path_;
  size_t steps_ = 0;
  ProofResult r_;
};

// A constant output value as a key for `any` (equal keys: equal values), or "" when not constant.
std::string ConstantKey(const Expr& e) {
  switch (e.kind) {
    case ExprKind::IntLit:
    case ExprKind::DecimalLit: {
      // 0.50 and 0.5 are the same value: compare at a common scale
      int64_t v = e.int_value;
      int scale = e.scale;
      while (scale > 0 && v % 10 == 0) v /= 10, --scale;
      return fmt::format("n{}e{}", v, scale);
    }
    case ExprKind::StringLit: return "s" + e.text;
    case ExprKind::BoolLit: return e.int_value ? "true" : "false";
    case ExprKind::MissingLit: return "missing";
    case ExprKind::NameRef: return e.resolved.enum_value ? fmt::format("e{}", e.resolved.index) : "";
    case ExprKind::Neg: {
      std::string inner = e.args[0]->kind == ExprKind::IntLit || e.args[0]->kind == ExprKind::DecimalLit ? ConstantKey(*e.args[0]) : "";
      return inner.empty() ? "" : "-" + inner;
    }
    default: return "";
  }
}

}  // namespace

std::string Checker::TableInputText(const std::vector<ast::Name>& labels, const std::vector<ColumnModel>& cols,
                                    const std::vector<int32_t>& input) const {
  std::vector<std::string> parts;
  for (size_t c = 0; c < cols.size(); ++c)
    parts.push_back(labels.empty() ? cols[c].Example(input[c]) : fmt::format("{} = {}", labels[c].text, cols[c].Example(input[c])));
  if (labels.empty()) return parts.size() == 1 ? parts[0] : fmt::format("({})", fmt::join(parts, ", "));
  return fmt::format("{}", fmt::join(parts, ", "));
}

bool Checker::TableCell(const ast::Cell& cell, ColumnModel& col, const std::string& label, CellModel& out) {
  out.kind = cell.kind;
  out.negated = cell.negated;
  out.lo_closed = cell.lo_closed;
  out.hi_closed = cell.hi_closed;
  out.op = cell.op;
  std::string type = TypeName(col.type.Required(), out_.enums);
  auto bad = [&](Span span, const std::string& message, const std::string& hint) {
    diags_.Report(DiagKind::CellMismatch, span, message, hint);
    return false;
  };
  using K = rt::TableColumn::Kind;
  bool ordered = col.column.kind == K::Ordered || col.column.kind == K::Float;
  if ((cell.kind == ast::Cell::Interval || (cell.kind == ast::Cell::Compare && cell.op != ast::CompareOp::Eq &&
                                            cell.op != ast::CompareOp::Ne)) && !ordered)
    return bad(cell.span, fmt::format("column {} is {}: its values have no order", label, type),
               "test it with a value, a set {a, b} or not {a, b}");
  auto key = [&](const ast::BinValue& v, CellKey& k) {
    std::string want = col.Key(v, k);
    if (want.empty()) return true;
    std::string hint = col.type.is(Base::Enum)
                           ? SuggestOrList(v.text, col.names, "the values are")
                           : fmt::format("write {}", want);
    return bad(v.span, fmt::format("'{}' does not fit column {} ({})", Snippet(v.span, v.text.c_str()), label, type), hint);
  };
  if (cell.kind == ast::Cell::Interval) {
    if (!key(cell.lo, out.lo) || !key(cell.hi, out.hi)) return false;
    bool empty = col.column.kind == K::Float ? (out.lo.f > out.hi.f || (out.lo.f == out.hi.f && !(cell.lo_closed && cell.hi_closed)))
                                            : (out.lo.i > out.hi.i || (out.lo.i == out.hi.i && !(cell.lo_closed && cell.hi_closed)));
    if (empty)
      return bad(cell.span, fmt::format("the interval {} holds no value", Snippet(cell.span, "")),
                 "write the lower bound first: [low, high)");
  }
  for (auto& v : cell.values) {
    out.values.emplace_back();
    if (!key(v, out.values.back())) return false;
  }
  return true;
}

// The column models of a table, its cells resolved (`cells[row][col]`), and per column and
// segment the bit set of matching rows in row order.
bool Checker::TableModel(std::vector<ColumnModel>& cols, const std::vector<ast::Name>& labels,
                         const std::vector<std::vector<const ast::Cell*>>& cells, std::vector<std::vector<Bits>>& masks) {
  bool ok = true;
  for (auto& col : cols)
    for (const CellModel& b : col.bounds) col.AddPoints(b);
  std::vector<std::vector<CellModel>> models(cells.size());
  for (size_t r = 0; r < cells.size(); ++r)
    for (size_t c = 0; c < cols.size(); ++c) {
      models[r].emplace_back();
      if (!TableCell(*cells[r][c], cols[c], labels[c].text, models[r].back())) ok = false;
      else cols[c].AddPoints(models[r].back());
    }
  if (!ok) return false;
  size_t words = std::max<size_t>(1, (cells.size() + 63) / 64);
  masks.assign(cols.size(), {});
  for (size_t c = 0; c < cols.size(); ++c) {
    cols[c].Finish();
    masks[c].assign(size_t(cols[c].column.segments + 1), Bits(words, 0));
    for (int32_t s = 0; s <= cols[c].column.segments; ++s)
      for (size_t r = 0; r < cells.size(); ++r)
        if (cols[c].Matches(models[r][c], s)) Set(masks[c][size_t(s)], int(r));
  }
  return true;
}

// The compiled matcher: masks re-laid in bit order `order` (bit b holds row order[b]).
static rt::CompiledTable Compile(const std::vector<ColumnModel>& cols, const std::vector<std::vector<Bits>>& masks,
                                 int rows, bool has_else, const std::vector<int32_t>& order) {
  rt::CompiledTable t;
  t.rows = rows;
  t.words = std::max(1, (rows + 63) / 64);
  t.has_else = has_else;
  t.order = order;
  for (size_t c = 0; c < cols.size(); ++c) {
    rt::TableColumn col = cols[c].column;
    col.masks.assign(size_t(col.segments + 1) * size_t(t.words), 0);
    for (int32_t s = 0; s <= col.segments; ++s)
      for (int b = 0; b < rows; ++b)
        if (Test(masks[c][size_t(s)], order[size_t(b)])) col.masks[size_t(s) * size_t(t.words) + size_t(b) / 64] |= uint64_t(1) << (b % 64);
    t.columns.push_back(std::move(col));
  }
  return t;
}

Type Checker::CheckDecisionTable(int index) {
  ast::DecisionTable& t = policy_.decision_tables[size_t(index)];
  TableInfo& info = out_.tables[size_t(out_.decision_table_ids[size_t(index)])];
  using H = ast::HitPolicy;
  Scope scope;
  bool ok = true;
  std::vector<ColumnModel> cols(t.inputs.size());
  for (size_t c = 0; c < t.inputs.size(); ++c) {
    Type in = Value(*t.inputs[c], scope);
    if (in.error()) {
      ok = false;
      continue;
    }
    if (!ColumnKindOf(in, out_.enums, cols[c])) {
      diags_.Report(DiagKind::CellMismatch, t.inputs[c]->span,
                    fmt::format("a table cannot test column {}: it is {}", t.labels[c].text, TypeName(in, out_.enums)),
                    "give the column a bool, number, money, date, string or enum value");
      ok = false;
    }
    info.columns.push_back(in);
    // An input that is a field with `where` bounds (`dpd: int where dpd >= 0`): the proofs
    // consider only the values the input accepts.
    using K = rt::TableColumn::Kind;
    if (t.inputs[c]->kind == ExprKind::NameRef && (cols[c].column.kind == K::Ordered || cols[c].column.kind == K::Float) &&
        !in.is(Base::Date)) {
      NumericDomain domain;
      DomainOf(t.inputs[c]->resolved.symbol, domain);
      auto bound = [&](bool lower) {
        CellModel b;
        b.kind = ast::Cell::Compare;
        bool closed = lower ? domain.bounds.lo_closed : domain.bounds.hi_closed;
        b.op = lower ? (closed ? ast::CompareOp::Ge : ast::CompareOp::Gt) : (closed ? ast::CompareOp::Le : ast::CompareOp::Lt);
        b.values.emplace_back();
        if (cols[c].Key(lower ? domain.bounds.lo : domain.bounds.hi, b.values.back()).empty()) cols[c].bounds.push_back(b);
      };
      if (domain.bounded_below) bound(true);
      if (domain.bounded_above) bound(false);
    }
  }
  for (auto& ref : t.output_types) info.outputs.push_back(ResolveType(ref, true));
  int hit_output = -1;
  if (t.hit == H::Priority || t.hit == H::CollectSum || t.hit == H::CollectMin || t.hit == H::CollectMax) {
    for (size_t o = 0; o < t.outputs.size(); ++o)
      if (t.outputs[o].text == t.hit_output.text) hit_output = int(o);
    std::vector<std::string> names;
    for (auto& o : t.outputs) names.push_back(o.text);
    if (hit_output < 0) {
      diags_.Report(DiagKind::UnknownHitPolicy, t.hit_output.span,
                    fmt::format("table {} has no output '{}'", t.name.text, t.hit_output.text),
                    names.empty() ? "declare it under `outputs`" : SuggestOrList(t.hit_output.text, names, "the outputs are"));
      ok = false;
    } else {
      const Type& ht = info.outputs[size_t(hit_output)];
      if (t.hit == H::Priority && !ht.error() && !ht.is(Base::Enum)) {
        diags_.Report(DiagKind::UnknownHitPolicy, t.hit_output.span,
                      fmt::format("priority by {}: the output is {}, not an enum", t.hit_output.text,
                                  ht.is(Base::Decimal) && ht.scale < 0 ? "decimal" : TypeName(ht, out_.enums)),
                      "priorities come from an enum's declared order (first declared = highest)");
        ok = false;
      }
      if (t.hit != H::Priority && !ht.error() && !ht.is_numeric()) {
        diags_.Report(DiagKind::UnknownHitPolicy, t.hit_output.span,
                      fmt::format("{} adds up output {}, which is {}", Snippet(t.hit_span, "collect"), t.hit_output.text,
                                  TypeName(ht, out_.enums)),
                      "sum, min and max take an int, money, decimal or number output");
        ok = false;
      }
    }
  }
  info.hit_output = hit_output;
  // rows: cells and values
  std::vector<ast::DecisionRow*> rows;
  for (auto& row : t.rows) rows.push_back(&row);
  if (t.else_row) rows.push_back(&*t.else_row);
  std::vector<int> rank(t.rows.size(), 0);
  std::vector<std::string> keys(t.rows.size());
  int scale = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    ast::DecisionRow& row = *rows[r];
    bool is_else = r == t.rows.size();
    if (!is_else && row.cells.size() != t.inputs.size()) {
      diags_.Report(DiagKind::TableShape, row.span,
                    fmt::format("row {} ({}) has {} cell{}; table {} has {} input{}", r + 1, row.code.text, row.cells.size(),
                                row.cells.size() == 1 ? "" : "s", t.name.text, t.inputs.size(), t.inputs.size() == 1 ? "" : "s"),
                    "write one cell per input, `-` where the row does not care");
      ok = false;
    }
    if (row.values.size() != t.outputs.size()) {
      diags_.Report(DiagKind::TableShape, row.span,
                    fmt::format("{} has {} value{}; table {} has {} output{}",
                                is_else ? std::string("the else row") : fmt::format("row {} ({})", r + 1, row.code.text),
                                row.values.size(), row.values.size() == 1 ? "" : "s", t.name.text, t.outputs.size(),
                                t.outputs.size() == 1 ? "" : "s"),
                    "write one value per output after `=>`, separated by `|`");
      ok = false;
      continue;
    }
    for (size_t o = 0; o < row.values.size(); ++o) {
      Type declared = info.outputs[o];
      Expr& v = *row.values[o];
      Type vt = Value(v, scope, declared.error() ? nullptr : &declared);
      if (vt.error() || declared.error()) {
        ok = false;
        continue;
      }
      if (declared.is(Base::Decimal) && declared.scale < 0) {
        if (!vt.is_exact())
          diags_.Report(DiagKind::DeclaredTypeMismatch, v.span,
                        fmt::format("output {} holds decimals but this value is {}", t.outputs[o].text, TypeName(vt, out_.enums)),
                        "write a decimal number such as 0.25");
        else if (vt.optional)
          Fit(vt, declared.Optional(false).is(Base::Decimal) ? Type::Dec(vt.scale) : declared, v.span,
              fmt::format("output {}", t.outputs[o].text));
        scale = std::max<int>(scale, vt.scale);
      } else if (!(declared.is(Base::Number) && IsNumericLiteral(v))) {  // a literal is exact as a number too
        Fit(vt, declared, v.span, fmt::format("output {} of table {}", t.outputs[o].text, t.name.text));
      }
      bool need_constant = (t.hit == H::Priority && int(o) == hit_output && !is_else) || (t.hit == H::Any && !is_else);
      std::string key = ConstantKey(v);
      if (need_constant && key.empty()) {
        diags_.Report(DiagKind::NotConstant, v.span,
                      t.hit == H::Any ? "an `any` table's outputs must be constants (so that the checker can prove that overlapping rows agree)"
                                      : "the priority output's values must be enum values",
                      "write the value itself");
        ok = false;
      }
      if (!is_else) keys[r] += key + "|";
      if (!is_else && int(o) == hit_output && t.hit == H::Priority) rank[r] = v.resolved.index;
    }
  }
  for (size_t o = 0; o < info.outputs.size(); ++o)
    if (info.outputs[o].is(Base::Decimal) && info.outputs[o].scale < 0) info.outputs[o].scale = int8_t(scale);
  if (!ok) return Type{};
  // the model and the proofs
  std::vector<std::vector<const ast::Cell*>> cells;
  for (auto& row : t.rows) {
    cells.emplace_back();
    for (auto& c : row.cells) cells.back().push_back(&c);
  }
  std::vector<std::vector<Bits>> masks;
  if (!TableModel(cols, t.labels, cells, masks)) return Type{};
  ProofSpec spec;
  bool collect = t.hit >= H::Collect;
  spec.gaps = !t.else_row && !collect;
  spec.disjoint = t.hit == H::Unique;
  spec.agree = t.hit == H::Any;
  spec.outputs = keys;
  spec.reachable = t.hit == H::First || t.hit == H::Priority;
  if (t.hit == H::Priority) spec.rank = rank;
  int n = int(t.rows.size());
  ProofResult result = Prover(cols, masks, n, spec).Run();
  auto row_name = [&](int r) { return fmt::format("row {} ({})", r + 1, t.rows[size_t(r)].code.text); };
  info.total = t.else_row.has_value() || (!collect && !result.gave_up);
  if (result.gave_up) {
    diags_.Report(DiagKind::TableNotProven, t.name.span,
                  fmt::format("table {} has too many combinations of cells for the checker to prove {}", t.name.text,
                              spec.gaps ? "that every input takes a row" : "that every row can be chosen"),
                  spec.gaps ? "add an `else` row (until then its outputs may be missing), or split the table"
                            : "split the table into smaller ones; it runs as written");
  } else {
    if (result.gap)
      diags_.Report(DiagKind::TableGap, t.name.span,
                    fmt::format("table {} has no row for {}: none of its {} rows matches it", t.name.text, TableInputText(t.labels, cols, result.gap->input), n),
                    "add a row for it, or an `else` row");
    for (auto& f : result.overlaps) {
      auto& d = diags_.Report(
          DiagKind::TableOverlap, t.rows[size_t(f.b)].span,
          t.hit == H::Unique
              ? fmt::format("{} and {} both match {}; a `unique` table allows one", row_name(f.a), row_name(f.b),
                            TableInputText(t.labels, cols, f.input))
              : fmt::format("{} and {} both match {} but give different outputs; an `any` table needs them to agree",
                            row_name(f.a), row_name(f.b), TableInputText(t.labels, cols, f.input)),
          "narrow one of the rows, or use `hit first` (rows in order) or `hit priority by OUTPUT`");
      d.notes.push_back({t.rows[size_t(f.a)].span, fmt::format("{} is here", row_name(f.a))});
    }
    if (spec.reachable)
      for (int r = 0; r < n; ++r) {
        if (Test(result.chosen, r)) continue;
        const ast::DecisionRow& row = t.rows[size_t(r)];
        if (!result.matched_at[size_t(r)]) {
          diags_.Report(DiagKind::ShadowedRow, row.span,
                        fmt::format("{} is never chosen: no input matches all its cells", row_name(r)),
                        "a `missing` cell over a value that is never missing, or cells that exclude each other; fix or remove the row");
          continue;
        }
        std::vector<std::string> by;
        for (int b = 0; b < n; ++b)
          if (Test(result.choosers[size_t(r)], b)) by.push_back(row_name(b));
        const Finding& f = *result.matched_at[size_t(r)];
        auto& d = diags_.Report(
            DiagKind::ShadowedRow, row.span,
            fmt::format("{} is never chosen: {} {} every input it matches (e.g. {} goes to {})", row_name(r),
                        fmt::join(by, ", "), by.size() == 1 ? "takes" : "take", TableInputText(t.labels, cols, f.input),
                        row_name(f.a)),
            t.hit == H::Priority ? "rows of higher or equal priority earlier in the table win; narrow them or remove this row"
                                 : "rows are tried in order; move it before the rows that cover it, or remove it");
        for (int b = 0; b < n && d.notes.size() < 3; ++b)
          if (Test(result.choosers[size_t(r)], b)) d.notes.push_back({t.rows[size_t(b)].span, fmt::format("{} is here", row_name(b))});
      }
  }
  std::vector<int32_t> order(static_cast<size_t>(n));
  for (int r = 0; r < n; ++r) order[size_t(r)] = r;
  if (t.hit == H::Priority)
    std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return rank[size_t(a)] < rank[size_t(b)]; });
  info.compiled = Compile(cols, masks, n, t.else_row.has_value(), order);
  return Type{};
}

Type Checker::DecisionTableMember(Expr& e, const Symbol& sym) {
  ast::DecisionTable& t = policy_.decision_tables[size_t(sym.decl)];
  TableInfo& info = out_.tables[size_t(out_.decision_table_ids[size_t(sym.decl)])];
  using H = ast::HitPolicy;
  const std::string& m = e.member.text;
  auto set = [&](MemberKind kind, int index, Type type, unsigned used) {
    e.resolved.member = static_cast<int>(kind);
    e.resolved.index = index;
    info.used |= used;
    return type;
  };
  if (e.is_call)
    diags_.Report(DiagKind::WrongArgumentCount, e.span, fmt::format("'{}' is not a function", m),
                  fmt::format("remove the parentheses: {}.{}", t.name.text, m));
  if (m == "row") return set(MemberKind::TableRow, -1, Type::Of(Base::String), kUsesRow | kUsesCode);
  if (m == "count") return set(MemberKind::TableCount, -1, Type::Of(Base::Int), kUsesCount);
  if (m == "matched") return set(MemberKind::TableMatched, -1, Type::Of(Base::Bool), kUsesMatched);
  if (m == "rows") {
    if (t.rows.size() > kMaxCodes) {
      diags_.Report(DiagKind::TooManyRows, e.member.span,
                    fmt::format("table {} has {} rows; its rows as a list hold at most {}", t.name.text, t.rows.size(), kMaxCodes),
                    "use .count or .row, or split the table");
      return Type{};
    }
    return set(MemberKind::TableRows, -1, Type::Of(Base::Codes), kUsesRows);
  }
  std::vector<std::string> options = {"row", "rows", "count", "matched"};
  for (size_t o = 0; o < t.outputs.size(); ++o) {
    options.push_back(t.outputs[o].text);
    if (t.outputs[o].text != m) continue;
    Type type = info.outputs[o];
    if (t.hit == H::Collect || t.hit == H::CollectCount || (t.hit >= H::CollectSum && int(o) != info.hit_output)) {
      diags_.Report(DiagKind::UnknownMember, e.member.span,
                    fmt::format("table {} collects every matching row: it has no single value of output {}", t.name.text, m),
                    "use .rows or .count, or `hit collect sum(OUTPUT)` / min / max for an aggregate");
      return Type{};
    }
    if (type.error()) return Type{};
    if ((t.hit == H::CollectMin || t.hit == H::CollectMax) && !t.else_row) type = type.Optional(true);
    if (!info.total && t.hit < H::Collect) type = type.Optional(true);  // not proven: may take no row
    return set(MemberKind::TableOutput, int(o), type, kUsesRow);
  }
  return UnknownMember(e, options);
}

// A lookup table whose keys are not all enums, or whose entries use cells: a `first` table with
// one output, on the decision tables' model. An `else => missing` entry makes it optional.
Type Checker::CheckGeneralTable(ast::Table& table) {
  int id = int(out_.tables.size());
  out_.tables.emplace_back();
  out_.lookup_table_ids[size_t(&table - policy_.tables.data())] = id;
  std::vector<Type> keys;
  std::vector<ColumnModel> cols(table.keys.size());
  std::vector<ast::Name> labels;
  bool ok = true;
  for (size_t k = 0; k < table.keys.size(); ++k) {
    Type key = ResolveType(table.keys[k]);
    if (!key.error() && !ColumnKindOf(key, out_.enums, cols[k])) {
      diags_.Report(DiagKind::TypeMismatch, table.keys[k].name.span,
                    fmt::format("a table cannot be keyed by {}", TypeName(key, out_.enums)),
                    "key it by string, int, number, money, decimal, date, bool or an enum");
      key = Type{};
    }
    ok &= !key.error();
    keys.push_back(key);
    labels.push_back({table.keys.size() == 1 ? "key" : fmt::format("key {}", k + 1), table.keys[k].name.span});
  }
  Type value = ResolveType(table.value, true);
  Scope scope;
  bool has_else = false, else_missing = false;
  int scale = 0;
  std::vector<std::vector<const ast::Cell*>> cells;
  std::vector<const ast::TableEntry*> row_entry;
  for (auto& entry : table.entries) {
    if (entry.keys.empty()) {
      has_else = true;
      else_missing = entry.value->kind == ExprKind::MissingLit;
    }
    for (size_t i = 0; i < entry.cells.size(); ++i) {
      std::vector<const ast::Cell*> tuple;
      if (keys.size() == 1 && entry.as_interval[i]) tuple.push_back(&*entry.as_interval[i]);
      else
        for (auto& c : entry.cells[i]) tuple.push_back(&c);
      if (tuple.size() != keys.size()) {
        diags_.Report(DiagKind::BadIndex, entry.cells[i].front().span,
                      fmt::format("table {} has {} key{}; this entry gives {}", table.name.text, keys.size(),
                                  keys.size() == 1 ? "" : "s", tuple.size()),
                      keys.size() == 1 ? "list single values: A, B => ..." : "write one cell per key, e.g. (A, >= 600) => ...");
        ok = false;
        continue;
      }
      cells.push_back(tuple);
      row_entry.push_back(&entry);
    }
    if (entry.value->kind == ExprKind::MissingLit && entry.keys.empty()) continue;
    Type t = Value(*entry.value, scope, value.error() || value.scale < 0 ? nullptr : &value);
    if (t.error() || value.error()) continue;
    if (value.is(Base::Decimal) && value.scale < 0) {
      if (!t.is_exact())
        diags_.Report(DiagKind::DeclaredTypeMismatch, entry.value->span,
                      fmt::format("table {} holds decimals but this value is {}", table.name.text, TypeName(t, out_.enums)),
                      "write a decimal number such as 0.25, or change the table's value type");
      scale = std::max<int>(scale, t.scale);
    } else if (!(value.is(Base::Number) && IsNumericLiteral(*entry.value))) {
      Fit(t, value.Optional(value.optional || t.optional), entry.value->span, fmt::format("table {}", table.name.text));
      if (t.optional) value.optional = true;
    }
  }
  if (value.is(Base::Decimal) && value.scale < 0) value.scale = static_cast<int8_t>(scale);
  if (else_missing) value.optional = true;
  table_types_[&table] = {keys, value};
  TableInfo& info = out_.tables[size_t(id)];
  info.columns = keys;
  info.outputs = {value};
  if (!ok) return value;
  std::vector<std::vector<Bits>> masks;
  if (!TableModel(cols, labels, cells, masks)) return value;
  ProofSpec spec;
  spec.gaps = !has_else;
  spec.reachable = true;
  int n = int(cells.size());
  ProofResult result = Prover(cols, masks, n, spec).Run();
  auto entry_name = [&](int r) {
    const ast::Cell& c = *cells[size_t(r)].front();
    return fmt::format("entry {}", Snippet({c.span.begin, cells[size_t(r)].back()->span.end}, "?"));
  };
  if (result.gave_up) {
    diags_.Report(DiagKind::TableNotProven, table.name.span,
                  fmt::format("table {} has too many combinations of keys for the checker to prove it", table.name.text),
                  "add an `else` entry (until then a lookup may be missing), or split the table");
    if (!has_else) table_types_[&table].second.optional = true;
  } else {
    if (result.gap)
      diags_.Report(DiagKind::TableIncomplete, table.name.span,
                    fmt::format("table {} has no entry for {}", table.name.text, TableInputText({}, cols, result.gap->input)),
                    "add an entry for it, an `else` entry, or `else => missing` if the policy never looks it up (the lookup is then optional)");
    for (int r = 0; r < n; ++r) {
      if (Test(result.chosen, r)) continue;
      std::vector<std::string> by;
      for (int b = 0; b < n; ++b)
        if (Test(result.choosers[size_t(r)], b)) by.push_back(entry_name(b));
      Span span{cells[size_t(r)].front()->span.begin, cells[size_t(r)].back()->span.end};
      if (by.empty())
        diags_.Report(DiagKind::ShadowedRow, span, fmt::format("{} is never chosen: no key matches it", entry_name(r)), "remove it");
      else
        diags_.Report(DiagKind::ShadowedRow, span,
                      fmt::format("{} is never chosen: {} {} every key it matches (e.g. {})", entry_name(r), fmt::join(by, ", "),
                                  by.size() == 1 ? "takes" : "take", TableInputText({}, cols, result.matched_at[size_t(r)]->input)),
                      "entries are tried in order; move it before the entries that cover it, or remove it");
    }
  }
  std::vector<int32_t> order(static_cast<size_t>(n));
  for (int r = 0; r < n; ++r) order[size_t(r)] = r;
  info.compiled = Compile(cols, masks, n, has_else, order);
  info.row_entry.clear();
  for (auto* e : row_entry) info.row_entry.push_back(int(e - table.entries.data()));
  return value;
}

// An enum grid as before (tables.cc), or a generalised table.
bool Checker::IsEnumGrid(const ast::Table& table) {
  for (auto& ref : table.keys) {
    auto it = enum_ids_.find(ref.name.text);
    if (it == enum_ids_.end()) return false;
  }
  for (auto& entry : table.entries) {
    if (entry.keys.empty() && entry.value->kind == ExprKind::MissingLit) return false;
    for (size_t i = 0; i < entry.cells.size(); ++i) {
      if (entry.as_interval[i] && table.keys.size() == 1) return false;
      for (auto& c : entry.cells[i]) {
        bool name = c.kind == ast::Cell::Value && c.values[0].kind == ast::BinValue::Name;
        if (!name && c.kind != ast::Cell::Any) return false;
        if (c.kind == ast::Cell::Any && Snippet(c.span, "_") != "_") return false;  // `-`
      }
    }
  }
  return true;
}

}  // namespace credo::check
