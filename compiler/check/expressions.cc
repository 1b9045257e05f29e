// expressions.cc — expression typing: literals, operators, comparisons, members of rule sets,
// scorecards and the decision, table lookups, and how two types agree or fit a declared one.
#include "compiler/check/checker_impl.h"

#include <algorithm>

#include <fmt/format.h>

#include "runtime/core/text.h"

namespace credo::check {

bool IsNumericLiteral(const Expr& e) {
  if (e.kind == ExprKind::Neg) return IsNumericLiteral(*e.args[0]);
  return e.kind == ExprKind::IntLit || e.kind == ExprKind::DecimalLit;
}

Type Checker::Value(Expr& e, Scope& scope, const Type* hint) {
  e.type = Infer(e, scope, hint);
  return e.type;
}

Type Checker::Infer(Expr& e, Scope& scope, const Type* hint) {
  switch (e.kind) {
    case ExprKind::IntLit: return Type::Of(Base::Int);
    case ExprKind::DecimalLit: return Type::Dec(e.scale);
    case ExprKind::StringLit: return Type::Of(Base::String);
    case ExprKind::BoolLit: return Type::Of(Base::Bool);
    case ExprKind::MissingLit: return Type{Base::Missing, 0, true, -1};
    case ExprKind::NameRef: return NameRef(e, scope, hint);
    case ExprKind::Call: return Call(e, scope);
    case ExprKind::Member: return ReuseAllows(e, scope) ? Member(e, scope) : Type{};
    case ExprKind::Index: return ReuseAllows(e, scope) ? Index(e, scope) : Type{};
    case ExprKind::Neg: {
      Type t = Value(*e.args[0], scope);
      if (!t.error() && !t.is_numeric()) return Mismatch(e.span, "'-' needs a number", t, Base::Number);
      return t;
    }
    case ExprKind::Not: {
      Type t = Value(*e.args[0], scope);
      if (!t.error() && !t.is(Base::Bool)) return Mismatch(e.span, "'not' needs a bool", t, Base::Bool);
      return t;
    }
    case ExprKind::Binary: return Binary(e, scope);
    case ExprKind::And:
    case ExprKind::Or: return Logical(e, scope);
    case ExprKind::Coalesce: return Coalesce(e, scope, hint);
    case ExprKind::IsMissing: return IsMissingTest(e, scope);
    case ExprKind::In: {
      Type subject = Value(*e.args[0], scope);
      bool optional = subject.optional;  // `x == a or x == b ...`: missing when x or an item is
      for (size_t i = 1; i < e.args.size(); ++i) {
        Type t = Value(*e.args[i], scope, subject.is(Base::Enum) ? &subject : nullptr);
        if (!subject.error() && !t.error()) Comparable(subject, t, *e.args[0], *e.args[i], e.span, ast::BinaryOp::Eq);
        optional |= t.optional;
      }
      TwoValueList(e);
      return Type::Of(Base::Bool, optional);
    }
    case ExprKind::InRange: return InRange(e, scope);
    case ExprKind::InReference: return InReference(e, scope);
    case ExprKind::If: return IfThenElse(e, scope, hint);
  }
  return Type{};
}

// An operand of the wrong type: `want` is Number, Bool or Date.
Type Checker::Mismatch(Span span, const std::string& message, const Type& got, Base want) {
  std::string hint;
  if (want == Base::Bool)
    hint = "compare the value to get a bool, e.g. `x > 0` or `x == value`";
  else if (want == Base::Date)
    hint = "declare the field `date`, and write constant dates as date(\"YYYY-MM-DD\")";
  else if (got.is(Base::String))
    hint = "a string is text even when it holds digits: declare the field `int`, `money` or `number`";
  else if (got.is(Base::Enum))
    hint = "enum values are categories, not numbers: look a number up in a table, e.g. factor[grade]";
  else if (got.is(Base::Bool))
    hint = "turn a bool into a number explicitly: `if c then 1 else 0`";
  else if (got.is(Base::Date))
    hint = "dates subtract to a number of days: `d2 - d1`, or days_between(d1, d2)";
  else
    hint = "use a value of type int, money, decimal or number";
  diags_.Report(DiagKind::TypeMismatch, span, fmt::format("{}, but this is {}", message, TypeName(got, out_.enums)), hint);
  return Type{};
}

Type Checker::Member(Expr& e, Scope& scope) {
  if (IsReferenceRows(e)) return ReferenceField(e, scope);  // references.cc
  Expr& base = *e.args[0];
  const std::string& m = e.member.text;
  int s = -1;
  if (base.kind == ExprKind::NameRef)
    if (auto it = names_.find(base.text); it != names_.end()) s = it->second;
  if (s < 0) {
    Type t = Value(base, scope);
    if (t.error()) return t;
    diags_.Report(DiagKind::UnknownMember, e.member.span, fmt::format("a value of type {} has no member '{}'", TypeName(t, out_.enums), m),
                  "members exist on rule sets, scorecards and the decision");
    return Type{};
  }
  base.resolved.symbol = s;
  if (!InScope(scope, s, base.span)) return Type{};
  UseSymbol(s, base.span);
  Symbol& sym = out_.symbols[s];
  auto set = [&](MemberKind kind, int index, Type t) {
    e.resolved.member = static_cast<int>(kind);
    e.resolved.index = index;
    return t;
  };
  size_t call_args = e.args.size() - 1;
  auto no_call = [&]() {
    if (e.is_call)
      diags_.Report(DiagKind::WrongArgumentCount, e.span, fmt::format("'{}' is not a function", m),
                    fmt::format("remove the parentheses: {}.{}", base.text, m));
  };
  if (sym.kind == SymbolKind::RuleSet) {
    no_call();
    auto& set_decl = policy_.rule_sets[sym.decl];
    if (m == "fired") return set(MemberKind::RulesFired, -1, Type::Of(Base::Bool));
    if (m == "first") return set(MemberKind::RulesFirst, -1, Type::Of(Base::String));
    if (m == "count") return set(MemberKind::RulesCount, -1, Type::Of(Base::Int));
    if (m == "codes") return set(MemberKind::RulesCodes, -1, CodesOf(s));
    static const char* kEffectMembers[] = {"declined", "referred", "flagged"};
    for (int effect = 0; effect < 3; ++effect)
      if (m == kEffectMembers[effect]) return set(MemberKind::RulesEffect, effect, Type::Of(Base::Bool));
    for (size_t r = 0; r < set_decl.rules.size(); ++r)
      if (set_decl.rules[r].code.text == m) return set(MemberKind::RuleHit, int(r), Type::Of(Base::Bool));
    std::vector<std::string> options = {"fired", "first", "count", "codes", "declined", "referred", "flagged"};
    for (auto& r : set_decl.rules) options.push_back(r.code.text);
    return UnknownMember(e, options);
  }
  if (sym.kind == SymbolKind::Scorecard) {
    auto& card = policy_.scorecards[sym.decl];
    Scaling::Rounding rounding = RoundingOf(card);  // scaled scorecards: number score or points (scaled.cc)
    Type score = Type::Of(card.scaling && rounding == Scaling::None ? Base::Number : Base::Int);
    Type points = Type::Of(card.scaling && rounding != Scaling::PerBin ? Base::Number : Base::Int);
    if (m == "score") { no_call(); return set(MemberKind::ScoreTotal, -1, score); }
    if (card.scaling && m == "odds") { no_call(); return set(MemberKind::ScoreOdds, -1, Type::Of(Base::Number)); }
    if (card.scaling && m == "pd") { no_call(); return set(MemberKind::ScorePd, -1, Type::Of(Base::Number)); }
    if (m == "reason") {
      if (call_args != 1) {
        diags_.Report(DiagKind::WrongArgumentCount, e.span, "reason takes one argument: the rank, from 1",
                      fmt::format("write {}.reason(1) for the strongest reason", e.args[0]->text));
        return Type{};
      }
      Expr& rank = *e.args[1];
      int limit = card.reasons > 0 ? card.reasons : int(card.characteristics.size());
      if (rank.kind != ExprKind::IntLit) {
        diags_.Report(DiagKind::NotConstant, rank.span, "the reason rank must be a constant",
                      fmt::format("write the rank as a number, e.g. {}.reason(1)", e.args[0]->text));
        return Type{};
      }
      if (rank.int_value < 1 || rank.int_value > limit) {
        diags_.Report(DiagKind::ReasonOutOfRange, rank.span,
                      fmt::format("scorecard {} has reasons 1 to {}, not {}", card.name.text, limit, rank.int_value),
                      "raise `reasons` in the scorecard or ask for a lower rank");
        return Type{};
      }
      rank.type = Type::Of(Base::Int);
      return set(MemberKind::ScoreReason, int(rank.int_value), Type::Of(Base::String));
    }
    no_call();
    for (size_t c = 0; c < card.characteristics.size(); ++c)
      if (card.characteristics[c].code.text == m) return set(MemberKind::ScorePoints, int(c), points);
    if (m == "reasons") {
      no_call();
      int limit = card.reasons > 0 ? card.reasons : int(card.characteristics.size());
      if (limit > rt::kMaxRanked) {
        diags_.Report(DiagKind::ListTooLong, e.member.span,
                      fmt::format("{}.reasons holds at most {} reasons, but scorecard {} gives {}", base.text,
                                  rt::kMaxRanked, card.name.text, limit),
                      fmt::format("state `reasons {}` (or fewer) in scorecard {}, or use {}.reason(i) for each rank",
                                  rt::kMaxRanked, card.name.text, base.text));
        return Type{};
      }
      return set(MemberKind::ScoreReasons, limit, CodesOf(s));
    }
    std::vector<std::string> options = {"score", "reason", "reasons"};
    if (card.scaling) options.insert(options.end(), {"odds", "pd"});
    for (auto& c : card.characteristics) options.push_back(c.code.text);
    return UnknownMember(e, options);
  }
  if (sym.kind == SymbolKind::DecisionTable) return DecisionTableMember(e, sym);
  if (sym.kind == SymbolKind::Decision && m == "reason") {
    no_call();
    return set(MemberKind::DecisionReason, -1, Type::Of(Base::String));
  }
  if (sym.kind == SymbolKind::Decision) return UnknownMember(e, {"reason"});
  diags_.Report(DiagKind::UnknownMember, e.member.span, fmt::format("'{}' has no member '{}'", base.text, m),
                "members exist on rule sets, scorecards and the decision");
  return Type{};
}

Type Checker::UnknownMember(Expr& e, const std::vector<std::string>& options) {
  std::string s = Suggest(e.member.text, options);
  diags_.Report(DiagKind::UnknownMember, e.member.span, fmt::format("'{}' has no member '{}'", e.args[0]->text, e.member.text),
                s.empty() ? fmt::format("its members are {}", fmt::join(options, ", ")) : s);
  return Type{};
}

Type Checker::Index(Expr& e, Scope& scope) {
  Expr& base = *e.args[0];
  auto it = base.kind == ExprKind::NameRef ? names_.find(base.text) : names_.end();
  if (it != names_.end()) out_.symbols[it->second].used = true;  // misused, not unused
  if (it != names_.end() && out_.symbols[it->second].kind == SymbolKind::Reference) {
    diags_.Report(DiagKind::ReferenceUse, e.span, fmt::format("{} is the key's row, not a value", Quoted(e.span)),
                  fmt::format("read a field of it ({0}.FIELD), count its rows (count({0})) or test the key (`KEY in {1}`)",
                              Snippet(e.span, "R[k]"), base.text));
    return Type{};
  }
  if (it == names_.end() || out_.symbols[it->second].kind != SymbolKind::Table) {
    bool unknown = it == names_.end() && base.kind == ExprKind::NameRef && Value(base, scope).error();
    if (unknown) return Type{};  // already reported, with a suggestion
    std::string what = base.kind == ExprKind::NameRef ? fmt::format("'{}'", base.text) : "this value";
    diags_.Report(DiagKind::BadIndex, base.span, fmt::format("{} is not a table; only tables can be indexed", what),
                  "look values up in a table: table t: Key -> type { ... }, then t[key]");
    return Type{};
  }
  base.resolved.symbol = it->second;
  if (!InScope(scope, it->second, base.span)) return Type{};
  Type value = UseSymbol(it->second, base.span);
  auto& table = policy_.tables[out_.symbols[it->second].decl];
  if (!table_types_.count(&table)) return value;
  const std::vector<Type>& keys = table_types_[&table].first;
  if (e.args.size() - 1 != keys.size()) {
    diags_.Report(DiagKind::BadIndex, e.span,
                  fmt::format("table {} has {} key{}, not {}", table.name.text, keys.size(), keys.size() == 1 ? "" : "s",
                              e.args.size() - 1),
                  fmt::format("look it up with one value per key: {}[...]", table.name.text));
    return Type{};
  }
  bool optional = false;
  for (size_t i = 0; i < keys.size(); ++i) {
    const Type& key = keys[i];
    Type k = Value(*e.args[i + 1], scope, key.error() ? nullptr : &key);
    if (k.error() || key.error()) return Type{};
    if (!k.same_value_type(key)) {
      diags_.Report(DiagKind::BadIndex, e.args[i + 1]->span,
                    fmt::format("table {} is keyed by {}, not {}", table.name.text, TypeName(key, out_.enums), TypeName(k, out_.enums)),
                    key.is(Base::Enum) && e.args[i + 1]->kind == ExprKind::StringLit
                        ? EnumValueMeant(key, e.args[i + 1]->text)
                        : fmt::format("index it with a {} value", TypeName(key, out_.enums)));
      return Type{};
    }
    optional |= k.optional;
  }
  return value.Optional(value.optional || optional);  // `else => missing`: an optional lookup
}

// Numeric operands mixed: the common type, or an error for exact × binary mixes.
Type Checker::Numeric(Type a, const Expr& ea, Type b, const Expr& eb, Span span, const char* what) {
  bool optional = a.optional || b.optional;
  if (a.is(Base::Number) || b.is(Base::Number)) {
    const Type& other = a.is(Base::Number) ? b : a;
    const Expr& other_expr = a.is(Base::Number) ? eb : ea;
    if (other.is(Base::Decimal) && !IsNumericLiteral(other_expr)) {
      const Expr& binary = a.is(Base::Number) ? ea : eb;
      diags_.Report(DiagKind::InexactMoney, span,
                    fmt::format("{} mixes exact {} with the binary number {}", what, TypeName(other, out_.enums),
                                Quoted(binary.span)),
                    fmt::format("round the number to an exact decimal first, e.g. round({}, 0.0001), or convert "
                                "on purpose with number({})",
                                ArgSnippet(binary.span, "x"), ArgSnippet(other_expr.span, "x")));
      return Type{};
    }
    return Type::Of(Base::Number, optional);
  }
  if (a.is(Base::Decimal) || b.is(Base::Decimal)) return Type::Dec(std::max(a.scale, b.scale), optional);
  return Type::Of(Base::Int, optional);
}

Type Checker::Binary(Expr& e, Scope& scope) {
  using Op = ast::BinaryOp;
  Type a = e.op == Op::Div ? Dividend(e, scope) : Value(*e.args[0], scope);
  Type b = Value(*e.args[1], scope, a.is(Base::Enum) ? &a : nullptr);
  if (a.is(Base::Error) || b.is(Base::Error)) return Type{};
  if (e.op >= Op::Lt) return Comparable(a, b, *e.args[0], *e.args[1], e.span, e.op) ? Type::Of(Base::Bool, a.optional || b.optional) : Type{};
  static const char* names[] = {"'+'", "'-'", "'*'", "'/'"};
  const char* what = names[static_cast<int>(e.op)];
  // `s + t` joins strings; a string next to a number is more likely arithmetic on a text field,
  // reported below as such.
  if (e.op == Op::Add && (a.is(Base::String) || b.is(Base::String)) && !a.is_numeric() && !b.is_numeric())
    return ConcatStrings(e, a, b);
  if (a.is(Base::Date) && b.is(Base::Date) && e.op == Op::Sub) return Type::Of(Base::Int, a.optional || b.optional);
  if (a.is(Base::Date) && b.is(Base::Int) && (e.op == Op::Add || e.op == Op::Sub)) return Type::Of(Base::Date, a.optional || b.optional);
  if (!a.is_numeric()) return Mismatch(e.args[0]->span, fmt::format("{} needs numbers", what), a, Base::Number);
  if (!b.is_numeric()) return Mismatch(e.args[1]->span, fmt::format("{} needs numbers", what), b, Base::Number);
  Type t = Numeric(a, *e.args[0], b, *e.args[1], e.span, what);
  if (t.error()) return t;
  if (e.op == Op::Div) {
    bool nonzero_constant = IsNumericLiteral(*e.args[1]) && e.args[1]->int_value != 0 &&
                            !(e.args[1]->kind == ExprKind::Neg && e.args[1]->args[0]->int_value == 0);
    return Type::Of(Base::Number, t.optional || !nonzero_constant);
  }
  if (e.op == Op::Add || e.op == Op::Sub) t.money = t.is(Base::Decimal) && t.scale == 2 && (a.money || b.money);
  if (e.op == Op::Mul && a.money && b.money && &e != quotient_dividend_) return MoneyTimesMoney(e);
  if (e.op == Op::Mul && t.is(Base::Decimal)) {
    int sa = a.is(Base::Decimal) ? a.scale : 0, sb = b.is(Base::Decimal) ? b.scale : 0;
    int scale = sa + sb;  // an exact product keeps every digit of both operands
    if (scale > 9) {
      diags_.Report(DiagKind::ScaleTooLarge, e.span,
                    fmt::format("this exact product has {} fraction digits; at most 9 are kept exactly", scale),
                    fmt::format("its operands have {} and {} fraction digits: give the longer one at most {}, or "
                                "round an operand first, e.g. round(x, 0.01)",
                                sa, sb, 9 - std::min(sa, sb)));
      return Type{};
    }
    t.scale = static_cast<int8_t>(scale);
    t.money = (a.money && b.is(Base::Int)) || (b.money && a.is(Base::Int));  // an amount times a count
  }
  return t;
}

// `revenue * requested_amount`: a product of two amounts is no amount, and rarely what was meant
// (docs/language.md, "Arithmetic").
Type Checker::MoneyTimesMoney(const Expr& e) {
  diags_.Report(DiagKind::MoneyTimesMoney, e.span,
                "money times money is not an amount of money: both sides of this `*` are amounts",
                fmt::format("multiply an amount by a rate, a factor or a count; declare a rate as one (`rate: "
                            "decimal(4)`, or `percent`), not as money; to multiply two amounts on purpose, use "
                            "numbers: number({}) * number({})",
                            ArgSnippet(e.args[0]->span, "a"), ArgSnippet(e.args[1]->span, "b")));
  return Type{};
}

// The type of the left side of `quotient` (a `/`). `a * b / c`: a product divided at once is only
// a step of the quotient (a pro-rata share: approved * headroom / total), so money × money is
// allowed there.
Type Checker::Dividend(Expr& quotient, Scope& scope) {
  const Expr* outer = quotient_dividend_;
  quotient_dividend_ = quotient.args[0].get();
  Type t = Value(*quotient.args[0], scope);
  quotient_dividend_ = outer;
  return t;
}

// Whether `ea op eb` (op Eq for `in`) compares values that can be compared; reports why not.
bool Checker::Comparable(const Type& a, const Type& b, const Expr& ea, const Expr& eb, Span span, ast::BinaryOp op) {
  auto fail = [&](const std::string& message, const std::string& hint) {
    diags_.Report(DiagKind::NotComparable, span, message, hint);
    return false;
  };
  if (a.is(Base::Missing) || b.is(Base::Missing))
    return fail("cannot compare a value with `missing`: nothing is equal to a missing value",
                fmt::format("test for a missing value with `{} is missing`", Snippet((a.is(Base::Missing) ? eb : ea).span, "x")));
  if (a.is_numeric() && b.is_numeric()) return !Numeric(a, ea, b, eb, span, "this comparison").error();
  if (a.is(Base::Codes) || b.is(Base::Codes))
    return fail("codes cannot be compared", "test a rule set with `.fired` or one rule with `.K01`; codes are for output");
  std::string types = fmt::format("cannot compare {} with {}", TypeName(a, out_.enums), TypeName(b, out_.enums));
  // `industry == "retail"`: at the string when it is a literal, since the fix goes there.
  if ((a.is(Base::Enum) && b.is(Base::String)) || (b.is(Base::Enum) && a.is(Base::String))) {
    const Expr& text = a.is(Base::String) ? ea : eb;
    diags_.Report(DiagKind::NotComparable, text.kind == ExprKind::StringLit ? text.span : span, types,
                  EnumWithStringHint(a.is(Base::Enum) ? a : b, text));
    return false;
  }
  if (a.base != b.base || a.enum_id != b.enum_id)
    return fail(types, (a.is(Base::String) && b.is_numeric()) || (b.is(Base::String) && a.is_numeric())
                           ? "a string compares with text: write the number in quotes, or declare the field numeric"
                           : "both sides of a comparison must have the same type");
  bool ordering = op >= ast::BinaryOp::Lt && op <= ast::BinaryOp::Ge;
  if (ordering && !a.is(Base::Date))
    return fail(fmt::format("{} values have no order: only numbers and dates can be compared with <, <=, > and >=",
                            TypeName(a.Required(), out_.enums)),
                OrderHint(a, ea, eb, op));
  return true;
}

// For `industry == "retail"`: the enum value meant, written as one. `text` is the string side.
std::string Checker::EnumWithStringHint(const Type& enum_type, const Expr& text) const {
  if (text.kind == ExprKind::StringLit) return EnumValueMeant(enum_type, text.text);
  const std::string& name = out_.enums[enum_type.enum_id].name;
  return fmt::format("a string is text, not a value of {}: declare the string field `{}` so that its cells are read "
                     "as {}'s values, or compare with a value written without quotes",
                     name, name, name);
}

// The value of `enum_type` that the string literal `text` stands for: the same name, the name
// in another case, or a close spelling; else the list of values.
std::string Checker::EnumValueMeant(const Type& enum_type, const std::string& text) const {
  const EnumInfo& info = out_.enums[enum_type.enum_id];
  for (const std::string& v : info.values)
    if (v == text) return fmt::format("enum values are written without quotes: `{}`", v);
  for (const std::string& v : info.values)
    if (Lowercase(v) == Lowercase(text)) return fmt::format("enum values are written as declared, without quotes: `{}`", v);
  std::string close = Suggest(text, info.values);  // "did you mean 'retail'?"
  if (!close.empty())
    return fmt::format("\"{}\" is not a value of {}; {} (enum values are written without quotes)", text, info.name, close);
  return fmt::format("\"{}\" is not a value of {}; its values, written without quotes, are {}", text, info.name,
                     fmt::join(info.values, ", "));
}

// For `grade >= C`: the values meant, listed in declaration order, as an `in` test.
std::string Checker::OrderHint(const Type& a, const Expr& ea, const Expr& eb, ast::BinaryOp op) const {
  if (!a.is(Base::Enum) || !eb.resolved.enum_value) return "test equality with == or list the values: `x in {a, b}`";
  const auto& values = out_.enums[a.enum_id].values;
  std::vector<std::string> meant;
  int at = eb.resolved.index;
  for (int i = 0; i < int(values.size()); ++i) {
    bool keep = op == ast::BinaryOp::Lt ? i < at : op == ast::BinaryOp::Le ? i <= at
              : op == ast::BinaryOp::Gt ? i > at : i >= at;
    if (keep) meant.push_back(values[i]);
  }
  return fmt::format("list the values you mean, e.g. `{} in {{{}}}`", Snippet(ea.span, "x"), fmt::join(meant, ", "));
}

// The common type of two values that must agree (`eb`: the second one's expression).
Type Checker::Unify(Type a, Type b, Span span, const char* what, const Expr* eb, const Expr* ea) {
  if (a.error() || b.error()) return Type{};
  bool optional = a.optional || b.optional;
  if (a.is(Base::Missing)) return b.Optional(true);
  if (b.is(Base::Missing)) return a.Optional(true);
  // Either side an amount (`revenue ?? 0.00`): the value is one (for money × money).
  bool money = a.money || b.money;
  if (a.same_value_type(b)) {
    Type t = a.Optional(optional);
    t.money = money;
    return t;
  }
  if (a.is_exact() && b.is_exact()) {
    Type t = Type::Dec(std::max(a.scale, b.scale), optional);
    t.money = money && t.scale == 2;
    return t;
  }
  // A decimal literal is just how a number is written: beside a binary number it is one.
  bool a_literal = ea && IsNumericLiteral(*ea), b_literal = eb && IsNumericLiteral(*eb);
  if ((a.is(Base::Number) && b.is(Base::Decimal) && b_literal) || (b.is(Base::Number) && a.is(Base::Decimal) && a_literal))
    return Type::Of(Base::Number, optional);
  if (a.is_numeric() && b.is_numeric() && !(a.is(Base::Decimal) || b.is(Base::Decimal)))
    return Type::Of(Base::Number, optional);
  std::string hint = "make both the same type";
  if (a.is(Base::Codes) && b.is(Base::Codes)) {  // lists of different rule sets, warnings, scorecards
    diags_.Report(DiagKind::TypeMismatch, span, fmt::format("{} are lists of different codes", what),
                  "a list holds the codes of one rule set, scorecard or the warnings: join them to text "
                  "with join(list, \";\") first, or choose within one list");
    return Type{};
  }
  if (a.is(Base::Number) && b.is(Base::Decimal) && IsNumericLiteral(*eb))
    hint = fmt::format("write it as a whole number, or as number({}), so both are binary numbers", Snippet(eb->span, "x"));
  else if ((a.is(Base::Number) && b.is(Base::Decimal)) || (a.is(Base::Decimal) && b.is(Base::Number)))
    hint = "a binary number and an exact decimal do not mix: convert on purpose with number(x) or round(x, 0.01)";
  diags_.Report(DiagKind::TypeMismatch, span,
                fmt::format("{} have different types: {} and {}", what, TypeName(a, out_.enums), TypeName(b, out_.enums)),
                hint);
  return Type{};
}

// Checks that a value of type `t` can be stored as `declared`; returns the stored type.
Type Checker::Fit(Type t, Type declared, Span span, const std::string& what) {
  if (t.error() || declared.error()) return declared;
  if (t.optional && !declared.optional) {
    diags_.Report(DiagKind::PossiblyMissing, span,
                  fmt::format("{} is declared {} but the value may be missing", what, TypeName(declared, out_.enums)),
                  fmt::format("declare it `{}`, or say what missing means, e.g. `... ?? {}`",
                              TypeName(declared.Optional(), out_.enums), DefaultText(declared)));
    return declared;
  }
  bool ok = t.same_value_type(declared) || t.is(Base::Missing) ||
            (t.is(Base::Int) && (declared.is(Base::Decimal) || declared.is(Base::Number))) ||
            (t.is(Base::Decimal) && declared.is(Base::Decimal) && t.scale <= declared.scale);
  if (!ok)
    diags_.Report(DiagKind::DeclaredTypeMismatch, span,
                  fmt::format("{} is declared {} but the value is {}", what, TypeName(declared, out_.enums),
                              TypeName(t, out_.enums)),
                  ConversionHint(t, declared));
  return declared;
}

// How to turn a `t` into a `declared`, for the hint of a declared-type mismatch.
std::string Checker::ConversionHint(const Type& t, const Type& declared) const {
  if (declared.is(Base::Int) && t.is_numeric()) return "round it to a whole number: floor(x), ceil(x) or round(x)";
  std::string unit = declared.scale > 0 ? "0." + std::string(declared.scale - 1, '0') + "1" : "1";
  if (declared.is(Base::Decimal) && t.is(Base::Decimal))
    return fmt::format("it would lose digits: round it to {} fraction digits explicitly, e.g. round(x, {})", declared.scale, unit);
  if (declared.is(Base::Decimal) && t.is(Base::Number))
    return fmt::format("a binary number is not exact: round it explicitly, e.g. round(x, {}) gives {} fraction digits, "
                       "or declare it `number`", unit, declared.scale);
  if (declared.is(Base::Enum))
    return fmt::format("give one of its values: {}", fmt::join(out_.enums[declared.enum_id].values, ", "));
  return "change the declared type, or give a value of that type";
}

// A zero of type `t`, for examples in hints: 0, 0.00, false, "".
std::string Checker::DefaultText(const Type& t) const {
  switch (t.base) {
    case Base::Decimal: return t.scale > 0 ? "0." + std::string(t.scale, '0') : "0";
    case Base::Number: return "0.0";
    case Base::Bool: return "false";
    case Base::String: return "\"\"";
    case Base::Enum: return out_.enums[t.enum_id].values.empty() ? "..." : out_.enums[t.enum_id].values.front();
    default: return "0";
  }
}

}  // namespace credo::check
