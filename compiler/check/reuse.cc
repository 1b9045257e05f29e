// reuse.cc — consts and user functions (docs/language.md, "Constants" and "Functions").
//
// A `const` is a `let` whose value is a constant expression: literals, enum values, other
// consts, operators, built-in functions and user functions — never a record value. It is
// lowered as the `let` it is, so both engines compute it exactly as they compute every value.
//
// A user function `function f(p: T, ...): R = EXPR` is checked once, on its own: its body sees
// its parameters (symbols of kind Param), consts, enums, tables and other functions. A call is
// checked against the parameters (count, type, and that a parameter declared `T` gets a value
// that is never missing) and has the declared result type. Calls are inlined when lowering; a
// function may not call itself, directly or through others.
#include <algorithm>

#include <fmt/format.h>

#include "compiler/check/checker_impl.h"

namespace credo::check {

namespace {

// A copy of the number literal `lit` (possibly negated) at `span`.
ast::ExprPtr CopyLiteral(const Expr& lit, Span span) {
  auto to = std::make_unique<Expr>();
  to->kind = lit.kind;
  to->span = span;
  to->text = lit.text;
  to->int_value = lit.int_value;
  to->scale = lit.scale;
  for (const auto& arg : lit.args) to->args.push_back(CopyLiteral(*arg, span));
  return to;
}
}  // namespace

void Checker::DeclareFunctions() {
  out_.functions.resize(policy_.functions.size());
  function_state_.assign(policy_.functions.size(), 0);
  function_used_.assign(policy_.functions.size(), false);
  for (size_t f = 0; f < policy_.functions.size(); ++f) {
    auto& fn = policy_.functions[f];
    if (IsBuiltinName(fn.name.text)) {
      diags_.Report(DiagKind::FunctionShadowsBuiltin, fn.name.span,
                    fmt::format("'{}' is a built-in function", fn.name.text),
                    fmt::format("give your function another name, e.g. 'policy_{}'", fn.name.text));
    } else if (auto it = functions_.find(fn.name.text); it != functions_.end()) {
      diags_.Report(DiagKind::DuplicateName, fn.name.span, fmt::format("function '{}' is already declared", fn.name.text),
                    "give each function its own name")
          .notes.push_back({policy_.functions[it->second].name.span, "first declared here"});
    } else {
      functions_[fn.name.text] = int(f);
    }
    std::map<std::string, int> params;
    for (size_t i = 0; i < fn.params.size(); ++i) {
      const auto& p = fn.params[i];
      if (auto it = params.find(p.name.text); it != params.end()) {
        diags_.Report(DiagKind::DuplicateName, p.name.span,
                      fmt::format("'{}' is already a parameter of {}", p.name.text, fn.name.text),
                      "give each parameter its own name")
            .notes.push_back({out_.symbols[it->second].span, "first declared here"});
      }
      int id = int(out_.symbols.size());
      out_.symbols.push_back({SymbolKind::Param, p.name.text, ResolveType(p.type), int(i), p.name.span, true});
      state_.push_back(2);
      params.emplace(p.name.text, id);
      out_.functions[f].params.push_back(id);
    }
    out_.functions[f].result = ResolveType(fn.result);
  }
}

void Checker::CheckFunctions() {
  for (size_t f = 0; f < policy_.functions.size(); ++f)
    if (function_state_[f] == 0) CheckFunction(int(f));
}

void Checker::CheckFunction(int f) {
  function_state_[f] = 1;
  function_stack_.push_back(f);
  auto& fn = policy_.functions[f];
  Scope scope;
  scope.function = f;
  Type result = out_.functions[f].result;
  Type t = Value(*fn.body, scope, result.is(Base::Enum) ? &result : nullptr);
  if (!t.error() && !result.error()) Fit(t, result, fn.body->span, fmt::format("the result of '{}'", fn.name.text));
  function_stack_.pop_back();
  function_state_[f] = 2;
}

Type Checker::UserCall(Expr& e, int f, Scope& scope) {
  auto& fn = policy_.functions[f];
  const auto& info = out_.functions[f];
  function_used_[f] = true;
  e.resolved.index = int(Builtin::User);
  e.resolved.symbol = f;
  if (function_state_[f] == 1) {
    std::string path;
    auto from = std::find(function_stack_.begin(), function_stack_.end(), f);
    for (auto it = from; it != function_stack_.end(); ++it) path += policy_.functions[*it].name.text + " → ";
    path += fn.name.text;
    Diagnostic& d = diags_.Report(DiagKind::RecursiveFunction, e.member.span,
                                  fmt::format("'{}' calls itself: {}", fn.name.text, path),
                                  "functions are inlined where they are called, so they cannot recurse: write the "
                                  "steps out, or use a table");
    d.notes.push_back({fn.name.span, fmt::format("'{}' is declared here", fn.name.text)});
    for (auto& a : e.args) Value(*a, scope);
    return Type{};
  }
  if (function_state_[f] == 0) CheckFunction(f);
  std::vector<std::string> names;
  for (const auto& p : fn.params) names.push_back(p.name.text);
  if (e.args.size() != fn.params.size()) {
    std::vector<std::string> params;
    for (const auto& p : fn.params) params.push_back(p.name.text + ": " + p.type.name.text + (p.type.optional ? "?" : ""));
    diags_.Report(DiagKind::FunctionArity, e.span,
                  fmt::format("{} takes {} argument{} ({}), not {}", fn.name.text, fn.params.size(),
                              fn.params.size() == 1 ? "" : "s", fmt::join(params, ", "), e.args.size()),
                  fmt::format("write {}({})", fn.name.text, fmt::join(names, ", ")))
        .notes.push_back({fn.name.span, "declared here"});
    for (auto& a : e.args) Value(*a, scope);
    return info.result;
  }
  for (size_t i = 0; i < e.args.size(); ++i) {
    Type want = out_.symbols[info.params[i]].type;
    Type t = Value(*e.args[i], scope, want.is(Base::Enum) ? &want : nullptr);
    if (t.error() || want.error()) continue;
    bool fits = t.same_value_type(want) || t.is(Base::Missing) ||
                (t.is(Base::Int) && (want.is(Base::Decimal) || want.is(Base::Number))) ||
                (t.is(Base::Decimal) && want.is(Base::Decimal) && t.scale <= want.scale);
    const std::string& param = fn.params[i].name.text;
    if (!fits) {
      diags_.Report(DiagKind::FunctionArgumentType, e.args[i]->span,
                    fmt::format("argument {} of {} ('{}') is {}, not {}", i + 1, fn.name.text, param,
                                TypeName(want, out_.enums), TypeName(t, out_.enums)),
                    ConversionHint(t, want))
          .notes.push_back({fn.params[i].name.span, "the parameter"});
    } else if (t.optional && !want.optional) {
      diags_.Report(DiagKind::FunctionArgumentMissing, e.args[i]->span,
                    fmt::format("parameter '{}' of {} is declared {}, but {} may be missing", param, fn.name.text,
                                TypeName(want, out_.enums), Quoted(e.args[i]->span)),
                    fmt::format("say what missing means here, e.g. `{} ?? {}`, or declare the parameter `{}`",
                                ArgSnippet(e.args[i]->span, "x"), DefaultText(want), TypeName(want.Optional(), out_.enums)))
          .notes.push_back({fn.params[i].name.span, "the parameter"});
    }
  }
  return info.result;
}

// Parameters and the names a const or a function body may not use. True when `e` is decided
// here (`type` set); false when NameRef goes on as everywhere else.
bool Checker::ReuseNameRef(Expr& e, Scope& scope, Type& type) {
  if (scope.function < 0 && !scope.constant) return false;
  if (scope.function >= 0)
    for (int s : out_.functions[scope.function].params)
      if (out_.symbols[s].name == e.text) {
        e.resolved.symbol = s;
        type = out_.symbols[s].type;
        if (type.optional && Present(scope, s)) type.optional = false;
        return true;
      }
  auto it = names_.find(e.text);
  if (it == names_.end()) return false;  // an enum value, or unknown
  const Symbol& sym = out_.symbols[it->second];
  bool is_const = sym.kind == SymbolKind::Let && policy_.lets[sym.decl].is_const;
  if (is_const || (scope.function >= 0 && sym.kind == SymbolKind::Table)) return false;
  out_.symbols[it->second].used = true;  // named, if wrongly: no "never used" on top
  type = Type{};
  if (scope.constant)
    diags_.Report(DiagKind::ConstNotConstant, e.span,
                  fmt::format("const '{}' uses '{}', which is computed for each record", scope.constant->name.text, e.text),
                  "a const is the same for every record: use literals, other consts and functions; or declare it "
                  "with `let`");
  else
    diags_.Report(DiagKind::FunctionScope, e.span,
                  fmt::format("function '{}' uses '{}', a record value", policy_.functions[scope.function].name.text, e.text),
                  fmt::format("pass it as a parameter: `function {}(..., {}: {})`", policy_.functions[scope.function].name.text,
                              e.text, sym.type.error() ? "TYPE" : TypeName(sym.type, out_.enums)));
  return true;
}

// Members (rule sets, scorecards, the decision) are record values; a const may not look up a
// table either (its key would be the only input), a function may.
bool Checker::ReuseAllows(const Expr& e, const Scope& scope) {
  if (scope.function < 0 && !scope.constant) return true;
  if (e.kind == ExprKind::Index && scope.function >= 0) return true;
  if (scope.constant)
    diags_.Report(DiagKind::ConstNotConstant, e.span,
                  fmt::format("const '{}' is not a constant expression: {} {}", scope.constant->name.text,
                              e.kind == ExprKind::Index ? "a table lookup" : "a member of a record value",
                              e.kind == ExprKind::Index ? "is computed when the policy runs" : "differs per record"),
                  "a const is the same for every record: use literals, other consts and functions; or declare it "
                  "with `let`");
  else
    diags_.Report(DiagKind::FunctionScope, e.span,
                  fmt::format("function '{}' uses {}, a record value", policy_.functions[scope.function].name.text,
                              Quoted(e.span)),
                  "pass the value as a parameter");
  return false;
}

void Checker::ReportUnusedFunctions() {
  for (size_t f = 0; f < policy_.functions.size(); ++f) {
    const auto& fn = policy_.functions[f];
    auto declared = functions_.find(fn.name.text);
    bool reported = declared == functions_.end() || declared->second != int(f);  // a duplicate, or a built-in's name
    if (function_used_[f] || reported || Imported(fn.name.span)) continue;
    diags_.Report(DiagKind::UnusedFunction, fn.name.span, fmt::format("function '{}' is never called", fn.name.text),
                  "remove it, or call it where its value is needed");
  }
}

// ---- consts where the grammar wants a literal -------------------------------------------------------

// The literal a const stands for, when its value is one (a number, possibly negated, a string or
// true/false) or names a const that is; null otherwise. The const counts as used.
const Expr* Checker::ConstLiteral(const std::string& name) {
  std::string at = name;
  for (int hops = 0; hops < 16; ++hops) {
    auto it = names_.find(at);
    if (it == names_.end()) return nullptr;
    Symbol& sym = out_.symbols[it->second];
    if (sym.kind != SymbolKind::Let || !policy_.lets[sym.decl].is_const) return nullptr;
    const Expr& v = *policy_.lets[sym.decl].value;
    sym.used = true;
    if (v.kind == ExprKind::NameRef) {
      at = v.text;
      continue;
    }
    bool literal = IsNumericLiteral(v) || v.kind == ExprKind::StringLit || v.kind == ExprKind::BoolLit;
    return literal ? &v : nullptr;
  }
  return nullptr;
}

// A const declared without a type whose value is a number literal is that literal wherever it is
// used, so it mixes with binary numbers as the literal does: with `const MAX_DTI = 0.45`,
// `dti > MAX_DTI` is `dti > 0.45` for a `number` dti (docs/language.md, "Constants"). The name is
// replaced by a copy of the literal, so the engines and the AST oracle all see the literal.
bool Checker::ConstAsLiteral(Expr& e) {
  auto it = names_.find(e.text);
  if (it == names_.end()) return false;
  const Symbol& sym = out_.symbols[it->second];
  if (sym.kind != SymbolKind::Let || !policy_.lets[sym.decl].is_const || policy_.lets[sym.decl].type) return false;
  const Expr* lit = ConstLiteral(e.text);
  if (!lit || !IsNumericLiteral(*lit)) return false;
  Span span = e.span;
  e = std::move(*CopyLiteral(*lit, span));
  return true;
}

// A bin test or interval bound that names a const (and no enum value) holding a literal is that
// literal: `>= MAX_DPD` with `const MAX_DPD = 90` is `>= 90` (docs/language.md, "Constants").
void Checker::ConstsInBins() {
  auto rewrite = [&](ast::BinValue& v) {
    if (v.kind != ast::BinValue::Name) return;
    for (const auto& e : out_.enums)
      if (std::find(e.values.begin(), e.values.end(), v.text) != e.values.end()) return;
    const Expr* lit = ConstLiteral(v.text);
    if (!lit) return;
    if (lit->kind == ExprKind::StringLit) {
      v.kind = ast::BinValue::String;
      v.text = lit->text;
    } else if (lit->kind == ExprKind::BoolLit) {
      v.kind = ast::BinValue::Bool;
      v.bool_value = lit->int_value != 0;
    } else {
      bool negative = lit->kind == ExprKind::Neg;
      const Expr& n = negative ? *lit->args[0] : *lit;
      v.kind = ast::BinValue::Number;
      v.scaled = negative ? -n.int_value : n.int_value;
      v.scale = n.kind == ExprKind::DecimalLit ? n.scale : 0;
      v.text = std::string(source_text(lit->span));
    }
  };
  auto in_bins = [&](std::vector<ast::Bin>& bins) {
    for (auto& bin : bins)
      for (auto& t : bin.tests) {
        if (t.kind == ast::BinTest::Interval) {
          rewrite(t.lo);
          rewrite(t.hi);
        } else if (t.kind == ast::BinTest::Compare || t.kind == ast::BinTest::Value) {
          rewrite(t.value);
        }
      }
  };
  for (auto& card : policy_.scorecards)
    for (auto& c : card.characteristics) in_bins(c.bins);
  for (auto& band : policy_.bands) in_bins(band.bins);
}

// `floor/ceil/round/round_half_even(x, UNIT)` with UNIT a const holding a positive numeric
// literal: the literal, at the place of the name.
void Checker::ConstUnit(Expr& call, const Scope& scope) {
  static const char* const kRounding[] = {"floor", "ceil", "round", "round_half_even"};
  if (call.args.size() != 2 || call.args[1]->kind != ExprKind::NameRef) return;
  if (scope.function >= 0)  // a parameter of that name is no const
    for (int p : out_.functions[scope.function].params)
      if (out_.symbols[p].name == call.args[1]->text) return;
  if (std::find_if(std::begin(kRounding), std::end(kRounding), [&](const char* n) { return call.text == n; }) ==
      std::end(kRounding))
    return;
  const Expr* lit = ConstLiteral(call.args[1]->text);
  if (!lit || lit->kind == ExprKind::Neg || !IsNumericLiteral(*lit)) return;
  call.args[1] = CopyLiteral(*lit, call.args[1]->span);
}

}  // namespace credo::check
