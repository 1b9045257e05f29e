// lists_text.cc — lists of codes and text: count(list), contains(list, CODE), first(list, N),
// join(list, SEP), the text functions, `s + t` and concat(...), text(x). Which function
// `count` and `contains` mean follows from their first argument's type (a list or a string;
// count(condition) is the group aggregate).
#include "compiler/check/checker_impl.h"

#include <algorithm>

#include <fmt/format.h>

namespace credo::check {

// The codes a list of type `list` can hold: those of its rule set or scorecard, or the warning
// codes (the group pass's `warn` codes included); for a list whose origin the type does not say,
// every code of the policy.
std::vector<std::string> Checker::CodeUniverse(const Type& list) const {
  std::vector<std::string> codes;
  int s = list.enum_id;
  if (s >= 0 && size_t(s) < out_.symbols.size()) {
    const Symbol& sym = out_.symbols[s];
    if (sym.kind == SymbolKind::RuleSet) {
      for (const auto& r : policy_.rule_sets[sym.decl].rules) codes.push_back(r.code.text);
      return codes;
    }
    if (sym.kind == SymbolKind::Scorecard) {
      for (const auto& c : policy_.scorecards[sym.decl].characteristics) codes.push_back(c.code.text);
      return codes;
    }
    if (sym.kind == SymbolKind::Warnings) {
      for (const auto& block : policy_.warnings)
        for (const auto& w : block.warnings) codes.push_back(w.code.text);
      for (const auto& group : policy_.groups)
        for (const auto& stmt : group.stmts)
          for (const auto& action : stmt.actions)
            if (action.kind == ast::GroupAction::Warn &&
                std::find(codes.begin(), codes.end(), action.target.text) == codes.end())
              codes.push_back(action.target.text);
      return codes;
    }
  }
  for (const auto& [code, span] : codes_) codes.push_back(code);
  return codes;
}

// Whether `e` is a list by its form, before it is checked: in the group block count(L) of a list
// is the list's count, count(c) of anything else the aggregate. Record values are checked by then.
bool Checker::IsListExpr(const Expr& e) const {
  switch (e.kind) {
    case ExprKind::NameRef: {
      auto it = names_.find(e.text);
      return it != names_.end() && out_.symbols[it->second].type.is(Base::Codes);
    }
    case ExprKind::Member: {
      if (e.is_call || e.args[0]->kind != ExprKind::NameRef) return false;
      auto it = names_.find(e.args[0]->text);
      if (it == names_.end()) return false;
      SymbolKind kind = out_.symbols[it->second].kind;
      const std::string& m = e.member.text;
      return (kind == SymbolKind::RuleSet && m == "codes") || (kind == SymbolKind::Scorecard && m == "reasons") ||
             (kind == SymbolKind::Table && m == "rows");
    }
    case ExprKind::Call: return e.text == "first";
    case ExprKind::If: return IsListExpr(*e.args[1]);
    case ExprKind::Coalesce: return IsListExpr(*e.args[0]);
    default: return false;
  }
}

Type Checker::ListArgument(Expr& e, Scope& scope, const char* what) {
  Type t = Value(e, scope);
  if (t.error()) return t;
  if (!t.is(Base::Codes)) {
    diags_.Report(DiagKind::TypeMismatch, e.span, fmt::format("{} needs a list of codes, but this is {}", what, TypeName(t, out_.enums)),
                  "lists of codes are a rule set's `.codes`, `warnings` and a scorecard's `.reasons`");
    return Type{};
  }
  return t;
}

Type Checker::TextArgument(Expr& e, Scope& scope, const char* what) {
  Type t = Value(e, scope);
  if (t.error()) return t;
  if (!t.is(Base::String)) {
    diags_.Report(DiagKind::TypeMismatch, e.span, fmt::format("{} needs a string, but this is {}", what, TypeName(t, out_.enums)),
                  fmt::format("turn a value into text with text(x), e.g. text({})", Snippet(e.span, "x")));
    return Type{};
  }
  return t;
}

// contains(list, CODE): CODE is a bare code name of the list's codes, never evaluated.
Type Checker::ContainsCode(Expr& e, const Type& list) {
  Expr& code = *e.args[1];
  std::vector<std::string> codes = CodeUniverse(list);
  if (code.kind != ExprKind::NameRef) {
    std::string hint = code.kind == ExprKind::StringLit
                           ? fmt::format("write the code without quotes: contains({}, {})", Snippet(e.args[0]->span, "list"), code.text)
                           : fmt::format("write one of the list's codes by name, e.g. contains({}, {})",
                                         Snippet(e.args[0]->span, "list"), codes.empty() ? "K01" : codes[0]);
    diags_.Report(DiagKind::CodeNotBare, code.span, "the code in contains(list, CODE) must be a code name as written in the policy",
                  hint);
    return Type{};
  }
  if (std::find(codes.begin(), codes.end(), code.text) == codes.end()) {
    std::string s = Suggest(code.text, codes);
    if (codes_.count(code.text))  // a code of another list
      s = fmt::format("{} is a code of another list; {} holds {}", code.text, Quoted(e.args[0]->span),
                      codes.empty() ? std::string("no codes") : fmt::format("{}", fmt::join(codes, ", ")));
    std::string hint = !s.empty() ? s
                       : codes.empty() ? std::string("this list holds no codes")
                                       : fmt::format("its codes are {}", fmt::join(codes, ", "));
    diags_.Report(DiagKind::UnknownCode, code.span, fmt::format("{} is not a code that {} can hold", code.text, Quoted(e.args[0]->span)),
                  hint);
    return Type{};
  }
  code.type = Type::Of(Base::String);
  return Type::Of(Base::Bool, list.optional);
}

Type Checker::ConcatStrings(Expr& e, Type a, Type b) {
  for (int k = 0; k < 2; ++k) {
    Type t = k == 0 ? a : b;
    if (t.is(Base::String)) continue;
    diags_.Report(DiagKind::TypeMismatch, e.args[k]->span,
                  fmt::format("'+' joins two strings, but this is {}", TypeName(t, out_.enums)),
                  fmt::format("turn the value into text first: text({})", Snippet(e.args[k]->span, "x")));
    return Type{};
  }
  return Type::Of(Base::String, a.optional || b.optional);
}

Type Checker::ListOrText(Expr& e, Builtin id, Scope& scope) {
  auto result = [&](Base base, bool optional, Builtin resolved) {
    e.resolved.index = static_cast<int>(resolved);
    return Type::Of(base, optional);
  };
  switch (id) {
    case Builtin::CountList: {
      Type t = Value(*e.args[0], scope);
      if (t.error()) return t;
      if (t.is(Base::Bool)) {  // count(condition): the aggregate, which needs the group block
        diags_.Report(DiagKind::AggregateOutsideGroup, e.span,
                      "count(condition) aggregates over the members of a group, so it works only in the group pass",
                      "count a list of codes with count(list), e.g. count(knockouts.codes); count members inside "
                      "`group by KEY { ... }`");
        return Type{};
      }
      if (!t.is(Base::Codes)) return ListArgument(*e.args[0], scope, "count");
      return result(Base::Int, t.optional, Builtin::CountList);
    }
    case Builtin::Contains: {
      Type t = Value(*e.args[0], scope);
      if (t.error()) return t;
      if (t.is(Base::Codes)) {
        e.resolved.index = static_cast<int>(Builtin::ContainsCode);
        return ContainsCode(e, t);
      }
      if (!t.is(Base::String)) {
        diags_.Report(DiagKind::TypeMismatch, e.args[0]->span,
                      fmt::format("contains needs a list of codes or a string, but this is {}", TypeName(t, out_.enums)),
                      "write contains(knockouts.codes, K01) for a list, contains(name, \"part\") for text");
        return Type{};
      }
      Type p = TextArgument(*e.args[1], scope, "contains(text, part)");
      if (p.error()) return p;
      return result(Base::Bool, t.optional || p.optional, Builtin::Contains);
    }
    case Builtin::First: {
      Type t = ListArgument(*e.args[0], scope, "first");
      if (t.error()) return t;
      Expr& n = *e.args[1];
      if (n.kind != ExprKind::IntLit) {
        diags_.Report(DiagKind::BadListCount, n.span, "the N of first(list, N) must be a constant whole number of 0 or more",
                      fmt::format("write how many codes to keep as a number, e.g. first({}, 2)", Snippet(e.args[0]->span, "list")));
        return Type{};
      }
      n.type = Type::Of(Base::Int);
      size_t universe = CodeUniverse(t).size();
      if (t.enum_id >= 0 && size_t(n.int_value) >= universe)
        diags_.Report(DiagKind::FirstKeepsAll, n.span,
                      fmt::format("{} can hold at most {} code{}, so first(..., {}) keeps them all", Quoted(e.args[0]->span),
                                  universe, universe == 1 ? "" : "s", n.int_value),
                      fmt::format("use {} itself, or keep fewer codes", Snippet(e.args[0]->span, "the list")));
      e.resolved.index = static_cast<int>(Builtin::First);
      return t;
    }
    case Builtin::Join: {
      Type t = ListArgument(*e.args[0], scope, "join");
      if (t.error()) return t;
      Type sep = TextArgument(*e.args[1], scope, "the separator of join");
      if (sep.error()) return sep;
      return result(Base::String, t.optional || sep.optional, Builtin::Join);
    }
    case Builtin::Length:
    case Builtin::Upper:
    case Builtin::Lower:
    case Builtin::Trim: {
      Type t = TextArgument(*e.args[0], scope, e.text.c_str());
      if (t.error()) return t;
      return result(id == Builtin::Length ? Base::Int : Base::String, t.optional, id);
    }
    case Builtin::StartsWith:
    case Builtin::EndsWith: {
      Type a = TextArgument(*e.args[0], scope, e.text.c_str());
      if (a.error()) return a;
      Type b = TextArgument(*e.args[1], scope, e.text.c_str());
      if (b.error()) return b;
      return result(Base::Bool, a.optional || b.optional, id);
    }
    case Builtin::Substring: {
      Type a = TextArgument(*e.args[0], scope, "substring");
      if (a.error()) return a;
      bool optional = a.optional;
      for (int k = 1; k <= 2; ++k) {
        Type t = Value(*e.args[k], scope);
        if (t.error()) return t;
        if (!t.is(Base::Int))
          return Mismatch(e.args[k]->span, fmt::format("the {} of substring must be a whole number", k == 1 ? "start" : "count"), t,
                          Base::Number);
        optional |= t.optional;
      }
      return result(Base::String, optional, id);
    }
    case Builtin::Concat: {
      bool optional = false;
      for (auto& arg : e.args) {
        Type t = TextArgument(*arg, scope, "concat");
        if (t.error()) return t;
        optional |= t.optional;
      }
      return result(Base::String, optional, id);
    }
    case Builtin::Text: {
      Type t = Value(*e.args[0], scope);
      if (t.error()) return t;
      if (t.is(Base::Missing)) {
        diags_.Report(DiagKind::TypeMismatch, e.args[0]->span, "text(missing) has no type to print",
                      "write the text you want, e.g. \"\"");
        return Type{};
      }
      return result(Base::String, t.optional, id);
    }
    default: break;
  }
  return Type{};
}

}  // namespace credo::check
