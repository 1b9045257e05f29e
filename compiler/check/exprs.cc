// exprs.cc — sets and ranges in expressions (`x in {a, b}`, `x in [a, b)`, the warning for a
// two-value list that reads like a range), `missing means false` in rules, warnings and the
// decision, and the sized exact types `decimal(N)` and `percent`.
#include "compiler/check/checker_impl.h"

#include <fmt/format.h>

#include "runtime/core/decimal.h"

namespace credo::check {

// `x in [lo, hi)`, `(lo, hi]`, `(lo, hi)`: `x >= lo and x < hi` (`>` / `<=` by the brackets), so
// the bounds compare with x as the two comparisons would (numbers or dates; strings, bools and
// enums have no order). Missing as the `and`: missing when x is, false when a present bound
// already excludes x.
Type Checker::InRange(Expr& e, Scope& scope) {
  Type x = Value(*e.args[0], scope);
  const Type* hint = x.is(Base::Enum) ? &x : nullptr;  // bare values of x's enum, as in `==`
  Type lo = Value(*e.args[1], scope, hint), hi = Value(*e.args[2], scope, hint);
  if (x.error() || lo.error() || hi.error()) return Type{};
  const Expr &a = *e.args[1], &b = *e.args[2];
  if (x.is(Base::Enum) && lo.same_value_type(x) && hi.same_value_type(x) && a.resolved.enum_value && b.resolved.enum_value) {
    // `grade in [A, D)`: enums have no order; say which values the range would have meant.
    const auto& values = out_.enums[x.enum_id].values;
    std::vector<std::string> meant;
    for (int i = a.resolved.index + (e.lo_closed ? 0 : 1); i <= b.resolved.index - (e.hi_closed ? 0 : 1); ++i)
      meant.push_back(values[i]);
    diags_.Report(DiagKind::NotComparable, e.span,
                  fmt::format("{} values have no order, so they make no range", out_.enums[x.enum_id].name),
                  meant.empty() ? "list the values you mean in a set: `x in {a, b}`"
                                : fmt::format("list the values you mean in a set: `{} in {{{}}}`", Snippet(e.args[0]->span, "x"),
                                              fmt::join(meant, ", ")));
    return Type{};
  }
  if (!Comparable(x, lo, *e.args[0], *e.args[1], e.span, e.lo_closed ? ast::BinaryOp::Ge : ast::BinaryOp::Gt)) return Type{};
  if (!Comparable(x, hi, *e.args[0], *e.args[2], e.span, e.hi_closed ? ast::BinaryOp::Le : ast::BinaryOp::Lt)) return Type{};
  return Type::Of(Base::Bool, x.optional || lo.optional || hi.optional);
}

// `x in [30, 90]` is the two values 30 and 90; an author who wrote it may have meant the range.
void Checker::TwoValueList(const Expr& e) {
  if (e.set || e.args.size() != 3) return;
  const Type& x = e.args[0]->type;
  if (x.error() || !(x.is_numeric() || x.is(Base::Date))) return;
  if (e.args[1]->type.error() || e.args[2]->type.error()) return;
  std::string subject = Snippet(e.args[0]->span, "x");
  std::string a = Snippet(e.args[1]->span, "a"), b = Snippet(e.args[2]->span, "b");
  std::string not_ = e.negated ? "not " : "";
  std::string hint = fmt::format("for the two values write `{0} {1}in {{{2}, {3}}}`; for every value from {2} to {3} write "
                                 "`{0} >= {2} and {0} <= {3}`",
                                 subject, not_, a, b);
  if (e.negated) hint = fmt::format("for the two values write `{0} not in {{{1}, {2}}}`; for the values outside {1} to {2} write "
                                    "`{0} < {1} or {0} > {2}`", subject, a, b);
  if (x.is(Base::Int) && e.args[2]->kind == ExprKind::IntLit)
    hint += fmt::format(" (for an int, also `{} {}in [{}, {})`)", subject, not_, a, e.args[2]->int_value + 1);
  else if (x.is(Base::Date))
    hint += fmt::format(" (for dates, also `{} {}in [{}, add_days({}, 1))`)", subject, not_, a, b);
  diags_.Report(DiagKind::TwoValueList, e.span,
                fmt::format("`[{}, {}]` is the two values {} and {}, not the range between them", a, b, a, b), hint);
}

void Checker::UnneededMissingFalse(const ast::MissingFalse& m, const std::vector<const Expr*>& conditions,
                                   const std::string& block) {
  if (!m.on) return;
  for (const Expr* c : conditions)
    if (c->type.error() || c->type.optional) return;
  diags_.Report(DiagKind::UnneededMissingFalse, m.span,
                fmt::format("`missing means false` changes nothing: no condition of {} may be missing", block),
                "remove the line");
}

// `decimal(N)` (N 0..9; decimal(0) is int) and `percent` (decimal(6): cells in percent, read exactly).
Type Checker::SizedType(const ast::TypeRef& ref) {
  const std::string& name = ref.name.text;
  if (name == "decimal" && ref.size >= 0) {
    if (ref.size > 9) {
      diags_.Report(DiagKind::BadTypeSize, ref.name.span, fmt::format("decimal({}) has too many fraction digits", ref.size),
                    "an exact decimal has 0 to 9 fraction digits, e.g. decimal(4)");
      return Type{};
    }
    Type t = ref.size == 0 ? Type::Of(Base::Int) : Type::Dec(ref.size);
    return t.Optional(ref.optional);
  }
  if (name == "percent" && ref.size < 0) return Type::Dec(rt::kPercentScale, ref.optional);
  diags_.Report(DiagKind::BadTypeSize, ref.name.span, fmt::format("type '{}' takes no number of digits", name),
                name == "percent" ? "write `percent`: it holds the fraction exactly with 6 fraction digits (12.5% is 0.125000)"
                                  : "only decimal takes one: decimal(N) with N fraction digits, 0 to 9");
  return Type{};
}

}  // namespace credo::check
