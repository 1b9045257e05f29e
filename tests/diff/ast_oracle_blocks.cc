// ast_oracle_blocks.cc — the oracle's values of one record: input checks, rule sets, scorecards
// (scaled ones too), reasons, bands, the decision and warnings, and output columns (ast_oracle_impl.h).
#include "ast_oracle_impl.h"

namespace credo::oracle {

void Oracle::Compute(Record& rec, ExprEval& eval, const Env& env, int s) {
  const check::Symbol& sym = cp_.symbols[s];
  ErrorSink& sink = *rec.sink;
  auto& values = rec.values;
  switch (sym.kind) {
    case SymbolKind::Let:  // every declared value is used
      values[{s, -1, -1}] = eval.EvalAs(*ast_.lets[sym.decl].value, sym.type, env, sym.name);
      sink.Use(values[{s, -1, -1}]);
      break;
    case SymbolKind::RuleSet: {
      const ast::RuleSet& set = ast_.rule_sets[sym.decl];
      static const char* kEffects[] = {"decline", "refer", "flag"};
      bool fired = false, effect[3] = {false, false, false};
      int64_t count = 0, codes = 0;
      std::string first;
      for (size_t r = 0; r < set.rules.size(); ++r) {  // every rule, for every record
        Value hit = eval.Eval(*set.rules[r].when, env, set.rules[r].code.text);
        sink.Use(hit);
        bool h = hit.present && hit.i;
        values[{s, int(MemberKind::RuleHit), int(r)}] = BoolValue(h);
        if (!h) continue;
        if (!fired) first = set.rules[r].code.text;
        fired = true;
        ++count;
        codes |= int64_t(1) << r;
        for (int k = 0; k < 3; ++k) effect[k] |= set.rules[r].effect.text == kEffects[k];
      }
      values[{s, int(MemberKind::RulesFired), -1}] = BoolValue(fired);
      values[{s, int(MemberKind::RulesFirst), -1}] = StringValue(first);
      values[{s, int(MemberKind::RulesCount), -1}] = IntValue(count);
      Value c = IntValue(codes);
      c.base = Base::Codes;
      c.code_names = &RuleCodes(sym.decl);
      values[{s, int(MemberKind::RulesCodes), -1}] = c;
      for (int k = 0; k < 3; ++k) values[{s, int(MemberKind::RulesEffect), k}] = BoolValue(effect[k]);
      break;
    }
    case SymbolKind::Scorecard:
      Scorecard(rec, eval, env, s);
      break;
    case SymbolKind::DecisionTable:
      EvalDecisionTable(cp_, eval, env, sink, values, s, table_codes_[s]);
      break;
    case SymbolKind::Band: {
      const ast::Band& band = ast_.bands[sym.decl];
      values[{s, -1, -1}] = eval.Bins(*band.subject, band.bins, sym.type, env, sym.name);
      sink.Use(values[{s, -1, -1}]);
      break;
    }
    case SymbolKind::Decision: {
      const ast::Decision& d = ast_.decisions[sym.decl];
      const auto& outcomes = cp_.enums[sym.type.enum_id].values;
      const ast::DecisionArm* taken = nullptr;
      Value reason;
      // Each arm is computed; the conditions tried are used, then the taken arm's reason.
      for (const auto& arm : d.arms) {
        Value holds = arm.condition ? eval.Eval(*arm.condition, env, sym.name) : BoolValue(true);
        Value why = arm.reason ? eval.EvalAs(*arm.reason, Type::Of(Base::String), env, sym.name) : StringValue("");
        if (taken) continue;
        sink.Use(holds);
        if (holds.present && holds.i) taken = &arm, reason = why;  // missing: false (`missing means false`)
      }
      sink.Use(reason);
      Value outcome = IntValue(std::find(outcomes.begin(), outcomes.end(), taken->outcome.text) - outcomes.begin());
      outcome.base = Base::Enum;
      values[{s, -1, -1}] = outcome;
      values[{s, int(MemberKind::DecisionReason), -1}] = reason;
      break;
    }
    case SymbolKind::Warnings: {
      int64_t codes = 0;
      if (!ast_.warnings.empty())
        for (size_t w = 0; w < ast_.warnings[0].warnings.size(); ++w) {
          Value when = eval.Eval(*ast_.warnings[0].warnings[w].when, env, sym.name);
          sink.Use(when);
          if (when.present && when.i) codes |= int64_t(1) << w;  // missing: false (`missing means false`)
        }
      Value c = IntValue(codes);
      c.base = Base::Codes;
      c.code_names = &cp_.warning_codes;
      values[{s, -1, -1}] = c;
      break;
    }
    default:
      break;
  }
}

void Oracle::ScaledScorecard(Record& rec, ExprEval& eval, const Env& env, int s, const ast::Scorecard& card) {
  auto number = [](const ast::BinValue& v) { return double(v.scaled) / double(rt::Pow10(v.scale)); };
  double factor = number(card.scaling->pdo) / std::log(2.0);
  double offset = number(card.scaling->base) - factor * std::log(number(card.scaling->odds));
  double intercept = card.intercept ? number(*card.intercept) : 0.0;
  double n = double(card.characteristics.size());
  std::string rounding = card.rounding ? card.rounding->text : "per_bin";
  bool per_bin = rounding == "per_bin";
  auto points_of = [&](double beta, double woe) { return (beta * woe + intercept / n) * factor + offset / n; };
  Value total = per_bin ? IntValue(0) : NumberValue(0.0);
  struct Shortfall {
    double amount;
    std::string code;
  };
  std::vector<Shortfall> shortfalls;
  for (size_t c = 0; c < card.characteristics.size(); ++c) {
    const auto& ch = card.characteristics[c];
    double beta = number(*ch.weight);
    double best = -INFINITY;
    for (const auto& bin : ch.bins) {
      int64_t scaled;
      int scale;
      LiteralOf(*bin.result, scaled, scale);
      best = std::max(best, points_of(beta, double(scaled) / double(rt::Pow10(scale))));
    }
    Value woe = eval.Bins(*ch.subject, ch.bins, Type::Of(Base::Number), env, ch.code.text);
    double exact = points_of(beta, woe.d);
    Value points = per_bin ? IntValue(int64_t(std::round(exact))) : NumberValue(exact);
    points.error = woe.error;
    rec.values[{s, int(MemberKind::ScorePoints), int(c)}] = points;
    rec.sink->Use(points);
    if (per_bin) total.i += points.i;
    else total.d += points.d;
    total.error = Earlier(total.error, points.error);
    double shortfall = per_bin ? double(int64_t(std::round(best)) - points.i) : best - exact;
    if (shortfall > 0) shortfalls.push_back({shortfall, ch.code.text});
  }
  if (rounding == "total") {
    Error e = total.error;
    total = IntValue(int64_t(std::round(total.d)));
    total.error = e;
  }
  rec.values[{s, int(MemberKind::ScoreTotal), -1}] = total;
  double score = total.base == Base::Number ? total.d : double(total.i);
  Value odds = NumberValue(std::exp((score - offset) / factor));
  odds.error = total.error;
  if (std::isinf(odds.d)) {
    odds.d = 0;
    odds.error = Earlier(odds.error, rec.sink->Raise(cp_.symbols[s].name + ".odds"));
  }
  rec.sink->Use(odds);
  Value pd = NumberValue(1.0 / (1.0 + odds.d));
  pd.error = odds.error;
  rec.sink->Use(pd);
  rec.values[{s, int(MemberKind::ScoreOdds), -1}] = odds;
  rec.values[{s, int(MemberKind::ScorePd), -1}] = pd;
  StoreReasons(rec, s, card, shortfalls, total.error);
}

void Oracle::Scorecard(Record& rec, ExprEval& eval, const Env& env, int s) {
  const check::Symbol& sym = cp_.symbols[s];
  const ast::Scorecard& card = ast_.scorecards[sym.decl];
  if (card.scaling) return ScaledScorecard(rec, eval, env, s, card);
  const auto& info = cp_.scorecards[sym.decl];
  Value total = IntValue(card.baseline.value_or(0));
  struct Shortfall {
    int64_t amount;
    std::string code;
  };
  std::vector<Shortfall> shortfalls;
  for (size_t c = 0; c < card.characteristics.size(); ++c) {
    const auto& ch = card.characteristics[c];
    Value points = eval.Bins(*ch.subject, ch.bins, Type::Of(Base::Int), env, ch.code.text);
    rec.values[{s, int(MemberKind::ScorePoints), int(c)}] = points;
    rec.sink->Use(points);
    total.i += points.i;
    total.error = Earlier(total.error, points.error);
    if (info[c].max_points - points.i > 0) shortfalls.push_back({info[c].max_points - points.i, ch.code.text});
  }
  rec.values[{s, int(MemberKind::ScoreTotal), -1}] = total;
  StoreReasons(rec, s, card, shortfalls, total.error);
}

void Oracle::ComputeColumns(Record& rec, ExprEval& eval, const Env& env) {
  const auto& items = ast_.outputs[0].items;
  for (size_t c = 0; c < items.size(); ++c) {
    const Expr& e = *items[c].value;
    if (IsStoredValue(e)) {
      rec.sink->Use(eval.Eval(e, env, items[c].name.text));
      continue;
    }
    rec.columns[c] = eval.EvalAs(e, e.type, env, items[c].name.text);
    rec.sink->Use(rec.columns[c]);
  }
}

bool Oracle::UsesGroupLet(const Expr& e) const {
  if (e.kind == ExprKind::NameRef && !e.resolved.enum_value && e.resolved.symbol >= 0 &&
      cp_.symbols[size_t(e.resolved.symbol)].kind == SymbolKind::GroupLet)
    return true;
  for (const auto& a : e.args)
    if (UsesGroupLet(*a)) return true;
  return false;
}

}  // namespace credo::oracle
