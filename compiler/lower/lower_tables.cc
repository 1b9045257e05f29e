// lower_tables.cc — decision tables and generalised lookup tables (lower_tables.h). A table's
// inputs are lowered once; one TableRow finds the chosen row (bit sets, no per-row tests), a Pick
// per output takes that row's value, and the other members are TableRow modes or a TableAgg.
#include "compiler/lower/lower_tables.h"

namespace credo {

using check::MemberKind;
using ir::Instr;
using ir::Op;
using rt::Kind;
using rt::ValueType;

namespace {

int32_t Emit(TableLowering& l, Op op, ValueType type, std::vector<int32_t> args, int64_t imm = 0, int64_t imm2 = 0,
             int32_t site = 0) {
  Instr in{op, type, std::move(args)};
  in.imm = imm;
  in.imm2 = imm2;
  in.site = site;
  return l.emit(std::move(in));
}

int32_t AddTable(TableLowering& l, const check::TableInfo& info) {
  l.program.tables.push_back(info.compiled);
  return int32_t(l.program.tables.size() - 1);
}

// Pick(row, values…): the row's value; optional when the row or a value may be missing.
int32_t PickOf(TableLowering& l, int32_t row, const std::vector<int32_t>& values, ValueType type) {
  std::vector<int32_t> args{row};
  type.optional = l.type_of(row).optional;
  for (int32_t v : values) {
    args.push_back(v);
    type.optional |= l.type_of(v).optional;
  }
  return Emit(l, Op::Pick, type, args);
}

}  // namespace

std::map<std::pair<int, int>, int32_t> LowerDecisionTable(TableLowering& l, const check::CheckedPolicy& cp, int index) {
  const ast::DecisionTable& t = cp.ast().decision_tables[size_t(index)];
  const check::TableInfo& info = cp.tables[size_t(cp.decision_table_ids[size_t(index)])];
  std::map<std::pair<int, int>, int32_t> out;
  using H = ast::HitPolicy;
  int32_t id = AddTable(l, info);
  std::vector<int32_t> inputs;
  for (size_t c = 0; c < t.inputs.size(); ++c) inputs.push_back(l.lower_as(*t.inputs[c], info.columns[c]));
  if (l.probes) l.probes->DecisionRows(t, id, inputs);
  bool collect = t.hit >= H::Collect;
  bool total = info.total;  // the checker proved every input takes a row, or there is `else`
  auto member = [&](MemberKind m, int i) -> int32_t& { return out[{int(m), i}]; };
  if (info.used & check::kUsesRow) {
    int32_t row = l.commit(Emit(l, Op::TableRow, {Kind::Int, 0, !total}, inputs, id, 0));
    if (info.used & check::kUsesCode) {
      std::vector<int32_t> codes;
      for (const auto& r : t.rows) codes.push_back(l.string(r.code.text));
      codes.push_back(l.string(""));
      int32_t code = PickOf(l, row, codes, {Kind::String});
      if (!total) code = Emit(l, Op::Coalesce, {Kind::String}, {code, l.string("")});
      member(MemberKind::TableRow, -1) = code;
    }
    for (size_t o = 0; o < t.outputs.size(); ++o) {
      const Type& type = info.outputs[o];
      std::vector<int32_t> values;
      for (const auto& r : t.rows) values.push_back(l.lower_as(*r.values[o], type));
      if (t.else_row) values.push_back(l.lower_as(*t.else_row->values[o], type));
      if (int(o) == info.hit_output && t.hit >= H::CollectSum) {
        std::vector<int32_t> args = inputs;
        args.insert(args.end(), values.begin(), values.end());
        ValueType vt = l.value_type(type);
        vt.optional = !t.else_row && t.hit != H::CollectSum;  // min/max of no rows
        for (int32_t v : values) vt.optional |= l.type_of(v).optional;
        int64_t kind = t.hit == H::CollectSum ? 0 : t.hit == H::CollectMin ? 1 : 2;
        member(MemberKind::TableOutput, int(o)) = l.commit(Emit(l, Op::TableAgg, vt, args, id, kind, l.overflow_site()));
        continue;
      }
      if (collect) continue;
      member(MemberKind::TableOutput, int(o)) = l.commit(PickOf(l, row, values, l.value_type(type)));
    }
  }
  if (info.used & check::kUsesCount)
    member(MemberKind::TableCount, -1) = l.commit(Emit(l, Op::TableRow, {Kind::Int}, inputs, id, 1));
  if (info.used & check::kUsesMatched)
    member(MemberKind::TableMatched, -1) = l.commit(Emit(l, Op::TableRow, {Kind::Bool}, inputs, id, 3));
  if (info.used & check::kUsesRows) {
    auto code_set = int16_t(l.program.info.code_sets.size());
    l.program.info.code_sets.emplace_back();
    for (const auto& r : t.rows) l.program.info.code_sets.back().push_back(r.code.text);
    member(MemberKind::TableRows, -1) = l.commit(Emit(l, Op::TableRow, {Kind::Codes, 0, false, code_set}, inputs, id, 2));
  }
  return out;
}

int32_t LowerLookup(TableLowering& l, const check::CheckedPolicy& cp, int table, const ast::Expr& e) {
  const ast::Table& t = cp.ast().tables[size_t(table)];
  const check::TableInfo& info = cp.tables[size_t(cp.lookup_table_ids[size_t(table)])];
  int32_t id = AddTable(l, info);
  std::vector<int32_t> keys;
  std::vector<int32_t> missing_keys;  // keys the table does not declare optional, that may be missing
  for (size_t k = 0; k < info.columns.size(); ++k) {
    Type want = info.columns[k].Optional(e.args[k + 1]->type.optional);
    keys.push_back(l.lower_as(*e.args[k + 1], want));
    if (l.type_of(keys.back()).optional && !info.columns[k].optional) missing_keys.push_back(keys.back());
  }
  const Type& type = info.outputs[0];
  std::vector<int32_t> entry_values(t.entries.size(), -1);
  auto value_of = [&](size_t entry) {
    if (entry_values[entry] < 0) entry_values[entry] = l.lower_as(*t.entries[entry].value, type);
    return entry_values[entry];
  };
  std::vector<int32_t> values;
  for (int entry : info.row_entry) values.push_back(value_of(size_t(entry)));
  bool has_else = false;
  for (size_t i = 0; i < t.entries.size(); ++i)
    if (t.entries[i].keys.empty()) {
      values.push_back(value_of(i));
      has_else = true;
    }
  // Without `else` the entries cover every key, but a missing key may still find no row: missing.
  int32_t row = Emit(l, Op::TableRow, {Kind::Int, 0, !has_else}, keys, id, 0);
  // A missing key the table does not declare optional gives a missing lookup: the row index is
  // made missing by adding a missing zero (an Add keeps the keys' errors, which travel in `row`).
  if (!missing_keys.empty()) {
    int32_t absent = -1;
    for (int32_t k : missing_keys) {
      int32_t m = Emit(l, Op::IsMissing, {Kind::Bool}, {k});
      absent = absent < 0 ? m : Emit(l, Op::Or, {Kind::Bool}, {absent, m});
    }
    int32_t none = Emit(l, Op::Missing, {Kind::Int, 0, true}, {});
    int32_t zero = Emit(l, Op::Const, {Kind::Int}, {}, 0);
    int32_t gate = Emit(l, Op::Select, {Kind::Int, 0, true}, {absent, none, zero});
    row = Emit(l, Op::Add, {Kind::Int, 0, true}, {row, gate});
  }
  int32_t result = PickOf(l, row, values, l.value_type(type));
  if (l.probes) l.probes->Lookup(t, table, info.row_entry, row, result);
  return result;
}

}  // namespace credo
