// references.cc — reference data (docs/language.md, "Reference data"): the declarations, their
// fields' `where` checks, lookups `R[key].field`, membership `key in R`, and the aggregates over
// the rows of a key of a `many` reference: count(R[key]), sum / min_of / max_of(R[key].field).
#include "compiler/check/checker_impl.h"

#include <fmt/format.h>

namespace credo::check {

namespace {
std::vector<std::string> FieldNamesOf(const ast::ReferenceDecl& ref) {
  std::vector<std::string> names;
  for (const auto& f : ref.fields) names.push_back(f.name.text);
  return names;
}
}  // namespace

void Checker::DeclareReferences() {
  out_.references.resize(policy_.references.size());
  for (size_t r = 0; r < policy_.references.size(); ++r) {
    auto& ref = policy_.references[r];
    Declare(SymbolKind::Reference, ref.name, int(r), names_);
    ReferenceInfo& info = out_.references[r];
    std::map<std::string, Span> seen;
    for (size_t f = 0; f < ref.fields.size(); ++f) {
      auto& field = ref.fields[f];
      if (auto it = seen.find(field.name.text); it != seen.end())
        diags_.Report(DiagKind::DuplicateName, field.name.span,
                      fmt::format("reference {} declares '{}' twice", ref.name.text, field.name.text), "remove the second one")
            .notes.push_back({it->second, "first declared here"});
      seen[field.name.text] = field.name.span;
      int id = static_cast<int>(out_.symbols.size());
      Type t = ResolveType(field.type);
      if (t.is(Base::Codes)) t = Type{};
      out_.symbols.push_back({SymbolKind::RefField, field.name.text, t, int(f), field.name.span, true});
      state_.push_back(2);
      info.field_symbols.push_back(id);
      if (field.name.text == ref.key.text && info.key < 0) info.key = int(f);
    }
    if (info.key < 0) {
      diags_.Report(DiagKind::BadReferenceKey, ref.key.span,
                    fmt::format("reference {} is keyed by '{}', which it does not declare", ref.name.text, ref.key.text),
                    SuggestOrList(ref.key.text, FieldNamesOf(ref), "its fields are"));
      continue;
    }
    const Type& key = out_.symbols[info.field_symbols[info.key]].type;
    if (key.error()) continue;
    if (key.optional || !(key.is(Base::String) || key.is(Base::Int) || key.is(Base::Date) || key.is(Base::Enum))) {
      diags_.Report(DiagKind::BadReferenceKey, ref.fields[info.key].type.name.span,
                    fmt::format("the key of reference {} is {}; a key is a string, int, date or enum that is never missing",
                                ref.name.text, TypeName(key, out_.enums)),
                    key.optional ? fmt::format("declare it `{}: {}`: a row without a key cannot be looked up",
                                               ref.key.text, TypeName(key.Required(), out_.enums))
                                 : "key the reference by an identifier: a customer, group or facility id");
      info.key = -1;
    }
  }
}

// A field's `where` sees the field itself, as an input field's does.
void Checker::CheckReferenceConditions() {
  for (size_t r = 0; r < policy_.references.size(); ++r)
    for (size_t f = 0; f < policy_.references[r].fields.size(); ++f) {
      auto& field = policy_.references[r].fields[f];
      if (!field.where) continue;
      Scope scope;
      scope.reference = int(r);
      scope.field_only = out_.references[r].field_symbols[f];
      scope.present.push_back(scope.field_only);
      Condition(*field.where, scope, "this `where` condition");
    }
}

// In a reference field's `where`: the field's own name (other names are reported by InScope).
// In a reference field's `where`: the field's own name (other names are reported by InScope);
// in an expression of a row: every field of the reference, as declared.
bool Checker::RefFieldName(Expr& e, const Scope& scope, Type& type) {
  int r = scope.row_of >= 0 ? scope.row_of : scope.reference;
  if (r < 0) return false;
  for (int s : out_.references[r].field_symbols)
    if (out_.symbols[s].name == e.text) {
      e.resolved.symbol = s;
      const Type& t = out_.symbols[s].type;
      type = !InScope(scope, s, e.span) ? Type{} : scope.row_of >= 0 ? t : t.Required();
      if (scope.row_of >= 0 && type.optional && Present(scope, s)) type.optional = false;
      return true;
    }
  return false;
}

int Checker::ReferenceOf(const Expr& e) const {
  if (e.kind != ExprKind::NameRef) return -1;
  auto it = names_.find(e.text);
  return it != names_.end() && out_.symbols[it->second].kind == SymbolKind::Reference ? it->second : -1;
}

bool Checker::IsReferenceRows(const Expr& e) const {
  if (e.kind == ExprKind::Index) return ReferenceOf(*e.args[0]) >= 0;
  return e.kind == ExprKind::Member && !e.is_call && e.args[0]->kind == ExprKind::Index &&
         ReferenceOf(*e.args[0]->args[0]) >= 0;
}

// `R[key]`: one key of the key field's type. False (reported) when it does not fit.
bool Checker::ReferenceKey(Expr& index, Scope& scope, bool& optional) {
  Expr& base = *index.args[0];
  int s = ReferenceOf(base);
  base.resolved.symbol = s;
  out_.symbols[s].used = true;
  if (!InScope(scope, s, base.span)) return false;
  int r = out_.symbols[s].decl;
  const auto& ref = policy_.references[r];
  if (index.args.size() != 2) {
    diags_.Report(DiagKind::ReferenceKeyType, index.span,
                  fmt::format("reference {} has one key, {}, not {}", ref.name.text, ref.key.text, index.args.size() - 1),
                  fmt::format("look it up by one value: {}[{}]", ref.name.text, ref.key.text));
    return false;
  }
  int key = out_.references[r].key;
  if (key < 0) return false;  // reported at the declaration
  const Type& want = out_.symbols[out_.references[r].field_symbols[key]].type;
  Type k = Value(*index.args[1], scope, &want);
  if (k.error()) return false;
  if (!k.same_value_type(want)) {
    diags_.Report(DiagKind::ReferenceKeyType, index.args[1]->span,
                  fmt::format("reference {} is keyed by {} ({}), not {}", ref.name.text, ref.key.text,
                              TypeName(want, out_.enums), TypeName(k, out_.enums)),
                  fmt::format("look it up by a {} value, e.g. the record's own {}", TypeName(want, out_.enums), ref.key.text));
    return false;
  }
  optional = k.optional;
  index.type = Type{};
  return true;
}

// `R[key].field`: the field of the key's row, missing when no row has the key (or it is missing).
Type Checker::ReferenceField(Expr& e, Scope& scope) {
  Expr& index = *e.args[0];
  bool key_optional = false;
  int s = ReferenceOf(*index.args[0]);
  const auto& ref = policy_.references[out_.symbols[s].decl];
  const auto& info = out_.references[out_.symbols[s].decl];
  int field = -1;
  for (size_t f = 0; f < ref.fields.size(); ++f)
    if (ref.fields[f].name.text == e.member.text) field = int(f);
  if (!ReferenceKey(index, scope, key_optional)) return Type{};
  if (field < 0) {
    diags_.Report(DiagKind::UnknownReferenceField, e.member.span,
                  fmt::format("reference {} has no field '{}'", ref.name.text, e.member.text),
                  SuggestOrList(e.member.text, FieldNamesOf(ref), "its fields are"));
    return Type{};
  }
  if (ref.many && !scope.reference_rows) {
    diags_.Report(DiagKind::ReferenceRows, e.span,
                  fmt::format("reference {} has many rows per {}: '{}' is one value per row", ref.name.text, ref.key.text,
                              e.member.text),
                  fmt::format("aggregate over the key's rows: sum({0}), min_of({0}) or max_of({0}); count({1}) counts them",
                              Snippet(e.span, "R[k].f"), Snippet(index.span, "R[k]")));
    return Type{};
  }
  e.resolved.member = static_cast<int>(MemberKind::ReferenceField);
  e.resolved.index = field;
  index.args[0]->resolved.symbol = s;
  Type t = out_.symbols[info.field_symbols[field]].type;
  if (t.error()) return t;
  return scope.reference_rows ? t.Optional(t.optional || key_optional) : t.Optional(true);
}

// count(R[key]), sum / min_of / max_of(R[key].field) over the rows of the key: a sum of no rows
// is 0, a count 0, a min_of or max_of missing; a missing key makes each missing.
Type Checker::ReferenceAggregate(Expr& e, Builtin id, Scope& scope) {
  Expr& arg = *e.args[0];
  Expr& index = arg.kind == ExprKind::Index ? arg : *arg.args[0];
  int s = ReferenceOf(*index.args[0]);
  out_.symbols[s].used = true;  // misused, not unused
  const auto& ref = policy_.references[out_.symbols[s].decl];
  bool counts = id == Builtin::Count;
  bool over_field = id == Builtin::Sum || id == Builtin::MinOf || id == Builtin::MaxOf;
  bool conditions = id == Builtin::Any || id == Builtin::All;
  if (!counts && !over_field && !(conditions && e.args.size() == 2)) {
    diags_.Report(DiagKind::ReferenceUse, e.span, fmt::format("{}() does not aggregate the rows of a reference", e.text),
                  "the aggregates over a key's rows are count(R[k] [, COND]), any(R[k], COND), all(R[k], COND), "
                  "sum(R[k].f), min_of(R[k].f) and max_of(R[k].f), or with an expression: sum(R[k], EXPR)");
    return Type{};
  }
  if (!ref.many) {
    diags_.Report(DiagKind::ReferenceRows, e.span,
                  fmt::format("reference {} has one row per {}: there is nothing to aggregate", ref.name.text, ref.key.text),
                  counts ? fmt::format("test whether the key has a row: `{} in {}`", Snippet(index.args.size() > 1 ? index.args[1]->span : index.span, "key"), ref.name.text)
                         : fmt::format("read the field itself: {}", Snippet(arg.span, "R[k].f")));
    return Type{};
  }
  if (e.args.size() == 2) return RowAggregate(e, id, scope);
  if (counts != (arg.kind == ExprKind::Index)) {
    diags_.Report(DiagKind::ReferenceUse, arg.span,
                  counts ? fmt::format("count() counts the rows of a key: write count({}[...]) without a field", ref.name.text)
                         : fmt::format("{}() aggregates a field of the key's rows", e.text),
                  counts ? "count(R[key]) is the number of rows of the key"
                         : fmt::format("name the field: {}({}[...].FIELD)", e.text, ref.name.text));
    return Type{};
  }
  Scope inner = scope;
  inner.reference_rows = true;
  bool key_optional = false;
  if (counts) {
    if (!ReferenceKey(index, inner, key_optional)) return Type{};
    e.resolved.index = static_cast<int>(Builtin::RefCount);
    return Type::Of(Base::Int, key_optional);
  }
  Type t = Value(arg, inner);
  if (t.error()) return t;
  key_optional = t.optional;  // the field's own missing-ness is reported below
  const Type& field = out_.symbols[out_.references[out_.symbols[s].decl].field_symbols[arg.resolved.index]].type;
  if (!field.is_numeric() || field.optional) {
    diags_.Report(DiagKind::ReferenceAggregateField, arg.span,
                  fmt::format("{}() over {}, which is {}", e.text, Quoted(arg.span), TypeName(field, out_.enums)),
                  !field.is_numeric() ? "aggregate a number: an int, money, decimal or number field"
                                      : fmt::format("declare the field never missing (`{}: {}`), so that every row counts",
                                                    arg.member.text, TypeName(field.Required(), out_.enums)));
    return Type{};
  }
  e.resolved.index = static_cast<int>(id == Builtin::Sum ? Builtin::RefSum : id == Builtin::MinOf ? Builtin::RefMin : Builtin::RefMax);
  bool no_rows_missing = id != Builtin::Sum;
  return field.Optional(key_optional || no_rows_missing);
}

// count / any / all(R[key], COND) and sum / min_of / max_of(R[key], EXPR): COND or EXPR is an
// expression of one row, naming only the reference's fields (and constants), computed once per
// row when the reference is loaded. Its value must never be missing [E0301].
Type Checker::RowAggregate(Expr& e, Builtin id, Scope& scope) {
  Expr& arg = *e.args[0];
  if (arg.kind != ExprKind::Index) {
    diags_.Report(DiagKind::ReferenceUse, arg.span, fmt::format("{}(R[key], ...) takes the key's rows, not a field", e.text),
                  fmt::format("write {}({}, EXPRESSION OF THE ROW)", e.text, Snippet(arg.args[0]->span, "R[k]")));
    return Type{};
  }
  int s = ReferenceOf(*arg.args[0]);
  bool key_optional = false;
  if (!ReferenceKey(arg, scope, key_optional)) return Type{};
  Scope row;
  row.row_of = out_.symbols[s].decl;
  Type t = Value(*e.args[1], row);
  if (t.error()) return t;
  if (t.optional) {
    diags_.Report(DiagKind::PossiblyMissing, e.args[1]->span,
                  fmt::format("{}() over {}, which may be missing", e.text, Quoted(e.args[1]->span)),
                  fmt::format("say what a missing value counts as, e.g. {} ?? {}", Snippet(e.args[1]->span, "x"),
                              DefaultText(t.Required())));
    return Type{};
  }
  bool condition = id == Builtin::Count || id == Builtin::Any || id == Builtin::All;
  if (condition && !t.is(Base::Bool)) return Mismatch(e.args[1]->span, fmt::format("{} needs a condition", e.text), t, Base::Bool);
  if (!condition && !t.is_numeric())
    return Mismatch(e.args[1]->span, fmt::format("{} needs a number", e.text), t, Base::Number);
  static const std::map<Builtin, Builtin> kRow = {{Builtin::Count, Builtin::RefCountIf}, {Builtin::Any, Builtin::RefAny},
                                                  {Builtin::All, Builtin::RefAll},       {Builtin::Sum, Builtin::RefSum},
                                                  {Builtin::MinOf, Builtin::RefMin},     {Builtin::MaxOf, Builtin::RefMax}};
  e.resolved.index = static_cast<int>(kRow.at(id));
  if (condition) return Type::Of(id == Builtin::Count ? Base::Int : Base::Bool, key_optional);
  return t.Optional(key_optional || id != Builtin::Sum);
}

// `key in R`: some row has the key (missing when the key is).
Type Checker::InReference(Expr& e, Scope& scope) {
  Type subject = Value(*e.args[0], scope);
  auto it = names_.find(e.text);
  if (it == names_.end() || out_.symbols[it->second].kind != SymbolKind::Reference) {
    std::vector<std::string> refs;
    for (const auto& r : policy_.references) refs.push_back(r.name.text);
    diags_.Report(DiagKind::NotAReference, e.member.span,
                  it == names_.end() ? fmt::format("unknown reference '{}'", e.text)
                                     : fmt::format("'{}' is not a reference; `in NAME` tests a key against reference data", e.text),
                  refs.empty() ? "declare it: reference NAME keyed by KEY { ... }, or list values: x in [a, b]"
                               : SuggestOrList(e.text, refs, "the references are"));
    return Type{};
  }
  int s = it->second;
  out_.symbols[s].used = true;
  if (!InScope(scope, s, e.member.span)) return Type{};
  int r = out_.symbols[s].decl;
  const auto& ref = policy_.references[r];
  int key = out_.references[r].key;
  if (subject.error() || key < 0) return Type{};
  const Type& want = out_.symbols[out_.references[r].field_symbols[key]].type;
  if (!subject.same_value_type(want)) {
    diags_.Report(DiagKind::ReferenceKeyType, e.args[0]->span,
                  fmt::format("reference {} is keyed by {} ({}), not {}", ref.name.text, ref.key.text,
                              TypeName(want, out_.enums), TypeName(subject, out_.enums)),
                  fmt::format("test a {} value, e.g. the record's own {}", TypeName(want, out_.enums), ref.key.text));
    return Type{};
  }
  e.resolved.symbol = s;
  return Type::Of(Base::Bool, subject.optional);
}

}  // namespace credo::check
