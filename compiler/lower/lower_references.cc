#include "compiler/lower/lower_references.h"

namespace credo::lower {
namespace {

using ir::Op;
using rt::Kind;
using rt::ReferenceColumnSpec;
using rt::ValueType;

int32_t Emit(ReferenceLowering& l, Op op, ValueType type, std::vector<int32_t> args, int64_t imm = 0,
             int64_t imm2 = 1, int32_t site = 0) {
  ir::Instr in{op, type, std::move(args)};
  in.imm = imm;
  in.imm2 = imm2;
  in.site = site;
  return l.b.Emit(std::move(in));
}

// The column of reference `r` that holds `spec`, added once.
int64_t Column(ReferenceLowering& l, int r, ReferenceColumnSpec spec) {
  auto& columns = l.program.references[r].columns;
  for (size_t c = 0; c < columns.size(); ++c)
    if (columns[c].kind == spec.kind && columns[c].field == spec.field && columns[c].derived == spec.derived)
      return int64_t(c);
  columns.push_back(spec);
  return int64_t(columns.size() - 1);
}

int ReferenceIndexOf(const check::CheckedPolicy& cp, const ast::Expr& name) { return cp.symbols[name.resolved.symbol].decl; }

// The key's slot in reference `r` (missing when the key is missing or has no row), and the key.
int32_t Find(ReferenceLowering& l, int r, const ast::Expr& key_expr, int32_t& key) {
  key = l.b.Lower(key_expr);
  auto [it, added] = l.finds.try_emplace({r, key}, -1);
  if (added) it->second = Emit(l, Op::RefFind, {Kind::Int, 0, true}, {key}, r);
  return it->second;
}

// `value` where the key is present, missing where it is missing.
int32_t MissingWithKey(ReferenceLowering& l, int32_t key, int32_t value) {
  if (!l.b.TypeOf(key).optional) return value;
  ValueType t = l.b.TypeOf(value);
  t.optional = true;
  int32_t key_missing = Emit(l, Op::IsMissing, {Kind::Bool}, {key});
  int32_t missing = Emit(l, Op::Missing, t, {});
  return Emit(l, Op::Select, t, {key_missing, missing, value});
}

ValueType FieldType(ReferenceLowering& l, const check::CheckedPolicy& cp, int r, int field) {
  return l.value_type(cp.symbols[cp.references[r].field_symbols[field]].type);
}

}  // namespace

int32_t LowerReferenceField(ReferenceLowering& l, const check::CheckedPolicy& cp, const ast::Expr& member) {
  const ast::Expr& index = *member.args[0];
  int r = ReferenceIndexOf(cp, *index.args[0]);
  int field = member.resolved.index;
  ValueType t = FieldType(l, cp, r, field);
  t.optional = true;
  int32_t key;
  int32_t slot = Find(l, r, *index.args[1], key);
  return Emit(l, Op::RefGet, t, {slot}, r, Column(l, r, {ReferenceColumnSpec::Value, field, -1, t}));
}

int32_t LowerReferenceAggregate(ReferenceLowering& l, const check::CheckedPolicy& cp, const ast::Expr& call,
                                check::Builtin id) {
  const ast::Expr& arg = *call.args[0];
  const ast::Expr& index = arg.kind == ast::ExprKind::Index ? arg : *arg.args[0];
  int r = ReferenceIndexOf(cp, *index.args[0]);
  int32_t key;
  int32_t slot = Find(l, r, *index.args[1], key);
  if (id == check::Builtin::RefCount) {
    ValueType t{Kind::Int, 0, true};
    int32_t rows = Emit(l, Op::RefGet, t, {slot}, r, Column(l, r, {ReferenceColumnSpec::Count, -1, -1, {Kind::Int}}));
    int32_t none = Emit(l, Op::Coalesce, {Kind::Int}, {rows, l.constant({Kind::Int}, 0)});  // no rows: 0
    return MissingWithKey(l, key, none);
  }
  // A field of the rows, or an expression of a row (computed by the reference's row program).
  int field = -1, derived = -1;
  ValueType t;
  if (call.args.size() == 2) {
    derived = l.row_value(r, *call.args[1]);
    t = l.value_type(call.args[1]->type);
  } else {
    field = arg.resolved.index;
    t = FieldType(l, cp, r, field);
  }
  t.optional = false;
  ValueType got = t;
  got.optional = true;
  if (id == check::Builtin::RefCountIf || id == check::Builtin::RefAny || id == check::Builtin::RefAll) {
    auto kind = id == check::Builtin::RefCountIf ? ReferenceColumnSpec::CountIf
                : id == check::Builtin::RefAny   ? ReferenceColumnSpec::Any
                                                 : ReferenceColumnSpec::All;
    ValueType result{id == check::Builtin::RefCountIf ? Kind::Int : Kind::Bool};
    ValueType stored = result;
    got = result;
    got.optional = true;
    int32_t value = Emit(l, Op::RefGet, got, {slot}, r, Column(l, r, {kind, -1, derived, stored}));
    // No rows: none holds (0, false), and all of none do (true).
    int32_t none = Emit(l, Op::Coalesce, result, {value, l.constant(result, id == check::Builtin::RefAll)});
    return MissingWithKey(l, key, none);
  }
  if (id == check::Builtin::RefSum) {
    int32_t sum = Emit(l, Op::RefGet, got, {slot}, r, Column(l, r, {ReferenceColumnSpec::Sum, field, derived, t}),
                       l.overflow_site());
    int32_t none = Emit(l, Op::Coalesce, t, {sum, l.constant(t, 0)});  // a sum of no rows is 0
    return MissingWithKey(l, key, none);
  }
  auto kind = id == check::Builtin::RefMin ? ReferenceColumnSpec::Min : ReferenceColumnSpec::Max;
  return Emit(l, Op::RefGet, got, {slot}, r, Column(l, r, {kind, field, derived, got}));
}

int32_t LowerInReference(ReferenceLowering& l, const check::CheckedPolicy& cp, const ast::Expr& e) {
  int r = cp.symbols[e.resolved.symbol].decl;
  int32_t key;
  int32_t slot = Find(l, r, *e.args[0], key);
  int32_t absent = Emit(l, Op::IsMissing, {Kind::Bool}, {slot});
  int32_t found = e.negated ? absent : Emit(l, Op::Not, {Kind::Bool}, {absent});
  return MissingWithKey(l, key, found);
}

}  // namespace credo::lower
