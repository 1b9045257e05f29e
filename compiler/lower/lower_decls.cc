// lower_decls.cc — the Lowerer's declarations: inputs and their fields, reference data, values,
// rule sets, scorecards (bins, ladders, odds) and the decision (lowerer.h).
#include "compiler/lower/lowerer.h"

namespace credo::lower {

void Lowerer::LowerInputs() {
  if (ast_.inputs.empty()) return;
  const auto& input = ast_.inputs[0];
  LowerFields(input.fields, cp_.field_symbols);
  for (const auto& check : input.checks) {
    what_ = "check";
    int32_t ok = Lower(*check.condition);
    int32_t bad = Required(Emit(Op::Not, TypeOf(ok), {ok}));
    Emit(Op::Fail, {Kind::Bool}, {bad}, 0,
         Site(p_.info.rejects.Format(rt::RejectKind::Inconsistent, check.reason), -1, Rule("fails check", check.condition->span)));
  }
  for (const auto& u : input.unique)
    for (size_t f = 0; f < input.fields.size(); ++f)
      if (input.fields[f].name.text == u.text) p_.info.unique_keys.push_back(int(f));
}

void Lowerer::LowerFields(const std::vector<ast::FieldDecl>& fields, const std::vector<int>& symbols) {
  for (size_t f = 0; f < fields.size(); ++f) {
    int s = symbols[f];
    ValueType t = ValueTypeOf(cp_.symbols[s].type);
    p_.info.inputs.push_back({fields[f].name.text, t, fields[f].where != nullptr, fields[f].type.name.text == "percent"});
    record_values_[{s, -1, -1}] = Emit(Op::Input, t, {}, int64_t(f));
    if (probes_) probes_->Add(ir::ProbeKind::Input, fields[f].name.text, fields[f].name.span, record_values_[{s, -1, -1}]);
  }
  // Declared validation first, so a rejected record reports its input problem, not an
  // arithmetic error that the bad input caused.
  for (size_t f = 0; f < fields.size(); ++f) {
    const auto& field = fields[f];
    if (!field.where) continue;
    what_ = field.name.text;
    int32_t ok = Lower(*field.where);
    int32_t bad = Required(Emit(Op::Not, TypeOf(ok), {ok}));
    std::string reason =
        field.reason.empty() ? p_.info.rejects.Format(rt::RejectKind::OutOfRange, field.name.text) : field.reason;
    Emit(Op::Fail, {Kind::Bool}, {bad}, 0, Site(reason, int(f), Rule("where", field.where->span)));
  }
}

void Lowerer::LowerReferences() {
  for (size_t r = 0; r < ast_.references.size(); ++r) {
    const auto& decl = ast_.references[r];
    p_.references.push_back({decl.name.text, decl.title, decl.many, cp_.references[r].key, nullptr, {}});
    p_.info.references.push_back(decl.name.text);
  }
  row_values_.resize(ast_.references.size());
}

void Lowerer::LowerReferenceRows() {
  for (size_t r = 0; r < p_.references.size(); ++r)
    p_.references[r].rows = std::make_shared<ir::Program>(Lowerer(cp_, {}).RunReferenceRows(int(r), row_values_[r]));
}

int Lowerer::RowValue(int r, const Expr& e) {
  auto& values = row_values_[size_t(r)];
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i] == &e) return int(i);
  values.push_back(&e);
  return int(values.size() - 1);
}

ir::Program Lowerer::RunReferenceRows(int r, const std::vector<const Expr*>& row_values) {
  const auto& ref = ast_.references[r];
  p_.info.name = ref.name.text;
  p_.info.reasons.push_back({"", -1});
  for (const auto& e : cp_.enums) p_.info.enums.push_back({e.name, e.values});
  p_.info.code_sets.push_back({});
  code_ = &p_.code;
  p_.info.rejects = RejectTextsOf(ast_);
  LowerFields(ref.fields, cp_.references[r].field_symbols);
  for (size_t i = 0; i < row_values.size(); ++i) {  // state slot i: expression i of a row
    what_ = ref.name.text;
    int32_t reg = Commit(LowerAs(*row_values[i], row_values[i]->type));
    p_.state_regs.push_back(reg);
    p_.info.state.push_back(TypeOf(reg));
    p_.info.state_names.push_back(fmt::format("row value {}", i));
  }
  p_.hash = ir::Hash(p_);
  return std::move(p_);
}

lower::ReferenceLowering Lowerer::References() {
  return {p_, *this, [this](ValueType t, int64_t bits) { return ConstOf(t, bits); },
          [](const Type& t) { return ValueTypeOf(t); }, [this]() { return OverflowSite(); },
          code_ == &p_.code ? record_finds_ : group_finds_, [this](int r, const Expr& e) { return RowValue(r, e); }};
}

void Lowerer::LowerSymbol(int s) {
  const check::Symbol& sym = cp_.symbols[s];
  what_ = sym.name;
  switch (sym.kind) {
    case SymbolKind::Let: {
      int32_t probe = OpenProbe(ir::ProbeKind::Let, sym.name, ast_.lets[sym.decl].name.span);
      record_values_[{s, -1, -1}] = Commit(LowerAs(*ast_.lets[sym.decl].value, sym.type));
      CloseProbe(probe, record_values_[{s, -1, -1}]);
      break;
    }
    case SymbolKind::RuleSet: LowerRuleSet(s, ast_.rule_sets[sym.decl]); break;
    case SymbolKind::Scorecard: LowerScorecard(s, sym.decl); break;
    case SymbolKind::Band: {
      const auto& band = ast_.bands[sym.decl];
      int32_t probe = OpenProbe(ir::ProbeKind::Band, sym.name, band.name.span);
      if (probes_) probes_->ExpectBins(&band.bins, ir::ProbeKind::BandRange);
      record_values_[{s, -1, -1}] = Commit(Bins(*band.subject, band.bins, sym.type));
      CloseProbe(probe, record_values_[{s, -1, -1}]);
      break;
    }
    case SymbolKind::Decision: LowerDecision(s, ast_.decisions[sym.decl]); break;
    case SymbolKind::DecisionTable: {
      TableLowering tables = Tables();
      int32_t probe = OpenProbe(ir::ProbeKind::DecisionTable, sym.name, ast_.decision_tables[sym.decl].name.span);
      for (auto [member, reg] : LowerDecisionTable(tables, cp_, sym.decl)) {
        record_values_[{s, member.first, member.second}] = reg;
        if (probes_) probes_->Add(ir::ProbeKind::Step, KeyName({s, member.first, member.second}), {}, reg);
      }
      CloseProbe(probe);
      break;
    }
    case SymbolKind::Warnings: {
      int32_t codes = ConstOf({Kind::Codes, 0, false, 0}, 0);
      if (!ast_.warnings.empty())
        for (size_t w = 0; w < ast_.warnings[0].warnings.size(); ++w) {
          const auto& warning = ast_.warnings[0].warnings[w];
          int32_t probe = OpenProbe(ir::ProbeKind::Warning, warning.code.text, warning.code.span);
          int32_t raw = Lower(*warning.when);
          MissingFalse(ast_.warnings[0].missing_false, warning.code.text, warning.code.span, raw);
          int32_t when = Commit(Required(raw));
          CloseProbe(probe, when, when);
          codes = Emit(Op::CodesAdd, {Kind::Codes, 0, false, 0}, {codes, when}, int64_t(1) << w);
        }
      record_values_[{s, -1, -1}] = codes;
      break;
    }
    default: break;
  }
}

void Lowerer::LowerRuleSet(int s, const ast::RuleSet& set) {
  int16_t code_set = static_cast<int16_t>(p_.info.code_sets.size());
  p_.info.code_sets.emplace_back();
  int32_t fired = Bool(false), first = String(""), count = Int(0), codes = ConstOf({Kind::Codes, 0, false, code_set}, 0);
  std::vector<int32_t> hits;
  for (size_t r = 0; r < set.rules.size(); ++r) {
    what_ = set.rules[r].code.text;
    int32_t probe = OpenProbe(ir::ProbeKind::Rule, what_, set.rules[r].code.span);
    int32_t raw = Lower(*set.rules[r].when);
    MissingFalse(set.missing_false, what_, set.rules[r].code.span, raw);
    int32_t hit = Commit(Required(raw));  // every rule is evaluated
    CloseProbe(probe, hit, hit);
    hits.push_back(hit);
    record_values_[{s, int(MemberKind::RuleHit), int(r)}] = hit;
    p_.info.code_sets[code_set].push_back(set.rules[r].code.text);
    fired = Emit(Op::Or, {Kind::Bool}, {fired, hit});
    count = Emit(Op::Add, {Kind::Int}, {count, Emit(Op::Select, {Kind::Int}, {hit, Int(1), Int(0)})});  // at most 64
    codes = Emit(Op::CodesAdd, {Kind::Codes, 0, false, code_set}, {codes, hit}, int64_t(1) << r);
  }
  for (size_t r = set.rules.size(); r-- > 0;)
    first = Emit(Op::Select, {Kind::String}, {hits[r], String(set.rules[r].code.text), first});
  static const char* kEffects[] = {"decline", "refer", "flag"};
  for (int effect = 0; effect < 3; ++effect) {
    int32_t any = Bool(false);
    for (size_t r = 0; r < set.rules.size(); ++r)
      if (set.rules[r].effect.text == kEffects[effect]) any = Emit(Op::Or, {Kind::Bool}, {any, hits[r]});
    record_values_[{s, int(MemberKind::RulesEffect), effect}] = any;
  }
  record_values_[{s, int(MemberKind::RulesFired), -1}] = fired;
  record_values_[{s, int(MemberKind::RulesFirst), -1}] = first;
  record_values_[{s, int(MemberKind::RulesCount), -1}] = count;
  record_values_[{s, int(MemberKind::RulesCodes), -1}] = codes;
}

void Lowerer::LowerScorecard(int s, int index) {
  const auto& card = ast_.scorecards[index];
  const auto& info = cp_.scorecards[index];
  const check::Scaling& scaling = cp_.scalings[index];
  bool unrounded = scaling.scaled && scaling.rounding != check::Scaling::PerBin;  // number points
  std::vector<std::vector<int64_t>> keys = unrounded ? lower::ShortfallKeys(info) : std::vector<std::vector<int64_t>>{};
  int32_t total = unrounded ? Number(0.0) : Int(card.baseline.value_or(0));
  std::vector<std::pair<std::string, int32_t>> shortfalls;
  int32_t card_probe = OpenProbe(ir::ProbeKind::Scorecard, card.name.text, card.name.span);
  for (size_t c = 0; c < card.characteristics.size(); ++c) {
    const auto& ch = card.characteristics[c];
    what_ = ch.code.text;
    int32_t probe = OpenProbe(ir::ProbeKind::Characteristic, ch.code.text, ch.code.span);
    if (probes_) probes_->ExpectBins(&ch.bins, ir::ProbeKind::Bin);
    int32_t points, shortfall = -1;
    if (!scaling.scaled) {
      points = Commit(Bins(*ch.subject, ch.bins, Type::Of(Base::Int), /*disjoint=*/true));
    } else {
      int32_t subject = Lower(*ch.subject);
      points = Commit(Bins(*ch.subject, ch.bins, Type::Of(unrounded ? Base::Number : Base::Int), true, subject,
                           [&](size_t b) { return unrounded ? Number(info[c].points[b]) : Int(info[c].rounded[b]); }));
      if (unrounded)  // shortfalls of unrounded points, ranked as ints (lower/scaled.h)
        shortfall = Commit(Bins(*ch.subject, ch.bins, Type::Of(Base::Int), true, subject, [&](size_t b) { return Int(keys[c][b]); }));
    }
    record_values_[{s, int(MemberKind::ScorePoints), int(c)}] = points;
    total = Commit(Emit(Op::Add, {unrounded ? Kind::Number : Kind::Int}, {total, points}, 0, OverflowSite()));
    if (!unrounded) shortfall = Commit(Emit(Op::Sub, {Kind::Int}, {Int(info[c].max_points), points}, 0, OverflowSite()));
    shortfalls.push_back({ch.code.text, shortfall});
    if (probes_) probes_->Add(ir::ProbeKind::Step, "shortfall", {}, shortfall);
    CloseProbe(probe, points);
  }
  what_ = card.name.text;
  if (scaling.scaled && scaling.rounding == check::Scaling::Total) {  // the sum, half away from zero
    Instr in{Op::NumRound, {Kind::Int}, {total}};
    in.imm = int64_t(rt::RoundMode::HalfUp);
    in.fimm = 1.0;
    in.site = OverflowSite();
    total = Commit(Emit(std::move(in)));
  }
  record_values_[{s, int(MemberKind::ScoreTotal), -1}] = total;
  CloseProbe(card_probe, total);
  if (scaling.scaled) LowerOdds(s, total, scaling);
  // Reasons rank by shortfall, ties in declaration order: RankReason's operands in that order.
  std::vector<int32_t> args, ids;
  for (auto& [code, reg] : shortfalls) {
    args.push_back(reg);
    String(code);
    ids.push_back(int32_t(std::find(p_.strings.begin(), p_.strings.end(), code) - p_.strings.begin()));
  }
  p_.reason_sets.push_back(ids);
  int ranks = card.reasons > 0 ? card.reasons : int(card.characteristics.size());
  for (int rank = 1; rank <= ranks; ++rank) {
    Instr in{Op::RankReason, {Kind::String}, args};
    in.imm = rank;
    in.imm2 = int64_t(p_.reason_sets.size() - 1);
    record_values_[{s, int(MemberKind::ScoreReason), rank}] = Emit(std::move(in));
  }
  int32_t reasons = -1;  // its value: the ranked list, or the first reason where the list cannot hold them
  if (ranks <= rt::kMaxRanked) {  // `.reasons`: the same ranking as a ranked list over the codes in args order
    int16_t code_set = static_cast<int16_t>(p_.info.code_sets.size());
    p_.info.code_sets.emplace_back();
    for (auto& [code, reg] : shortfalls) p_.info.code_sets.back().push_back(code);
    Instr in{Op::RankCodes, {Kind::Codes, 0, false, code_set, true}, args};
    in.imm = ranks;
    in.imm2 = int64_t(p_.reason_sets.size() - 1);
    record_values_[{s, int(MemberKind::ScoreReasons), ranks}] = reasons = Emit(std::move(in));
  }
  if (probes_) {
    if (reasons < 0) reasons = record_values_[{s, int(MemberKind::ScoreReason), 1}];
    int32_t i = probes_->Add(ir::ProbeKind::Reasons, card.name.text + ".reasons", card.name.span, reasons);
    p_.probes[size_t(i)].parent = card_probe;
  }
}

int32_t Lowerer::BinValue(const ast::Bin& bin, const Type& want) {
  return bin_value_ ? (*bin_value_)(bin) : LowerAs(*bin.result, want);
}

void Lowerer::LowerOdds(int s, int32_t score, const check::Scaling& scaling) {
  what_ = cp_.symbols[s].name + ".odds";
  int32_t x = Convert(score, {Kind::Number});
  int32_t z = Emit(Op::Sub, {Kind::Number}, {x, Number(scaling.offset)}, 0, OverflowSite());
  z = Required(Emit(Op::Div, {Kind::Number, 0, true}, {z, Number(scaling.factor)}, 0, OverflowSite()));
  int32_t odds = Commit(Emit(Op::Math, {Kind::Number}, {z}, int64_t(rt::MathFn::Exp), OverflowSite()));
  int32_t one = Number(1.0);
  int32_t pd = Commit(Required(Emit(Op::Div, {Kind::Number, 0, true}, {one, Emit(Op::Add, {Kind::Number}, {one, odds}, 0, OverflowSite())}, 0, OverflowSite())));
  record_values_[{s, int(MemberKind::ScoreOdds), -1}] = odds;
  record_values_[{s, int(MemberKind::ScorePd), -1}] = pd;
}

int32_t Lowerer::Bins(const Expr& subject_expr, const std::vector<ast::Bin>& bins, const Type& result, bool disjoint,
                      int32_t subject_reg, const std::function<int32_t(size_t bin)>& value_of) {
  std::function<int32_t(const ast::Bin&)> by_bin = [&](const ast::Bin& bin) { return value_of(size_t(&bin - bins.data())); };
  bin_value_ = value_of ? &by_bin : nullptr;
  int32_t r = BinsOf(subject_expr, bins, result, disjoint, subject_reg);
  bin_value_ = nullptr;
  return r;
}

int32_t Lowerer::BinsOf(const Expr& subject_expr, const std::vector<ast::Bin>& bins, const Type& result, bool disjoint,
               int32_t subject_reg) {
  int32_t subject = subject_reg >= 0 ? subject_reg : Lower(subject_expr);
  if (ProbingBins(bins)) probes_->BinSubject(subject);
  int32_t value = Required(subject);
  Type want = result.Required();
  int32_t acc = -1, missing_value = -1;
  if (disjoint && subject_expr.type.is_numeric()) acc = Ladder(bins, value, subject_expr.type, want);
  if (acc >= 0) {
    for (const auto& bin : bins)
      for (const auto& t : bin.tests)
        if (t.kind == ast::BinTest::Missing) missing_value = BinValue(bin, want);
  } else {
    if (ProbingBins(bins)) probes_->BinSubject(subject);  // a ladder given up: its tests are not the bins'
    acc = Chain(bins, value, subject_expr.type, want, missing_value);
  }
  if (acc < 0) acc = missing_value;
  if (Optional(subject) && missing_value >= 0)
    acc = Emit(Op::Select, TypeOf(acc), {Emit(Op::IsMissing, {Kind::Bool}, {subject}), missing_value, acc});
  if (ProbingBins(bins)) probes_->BinsDone();
  return acc;
}

std::optional<std::pair<ast::BinValue, bool>> Lowerer::LowerEnd(const ast::BinTest& t) {
  if (t.kind == ast::BinTest::Interval) return std::make_pair(t.lo, t.lo_closed);
  if (t.kind == ast::BinTest::Value) return std::make_pair(t.value, true);
  if (t.op == ast::CompareOp::Gt) return std::make_pair(t.value, false);
  if (t.op == ast::CompareOp::Ge || t.op == ast::CompareOp::Eq) return std::make_pair(t.value, true);
  return std::nullopt;  // < and <= start at -infinity
}

int32_t Lowerer::Ladder(const std::vector<ast::Bin>& bins, int32_t value, const Type& subject, const Type& want) {
  struct Rung {
    std::optional<std::pair<ast::BinValue, bool>> lo;
    const ast::Bin* bin;
  };
  std::vector<Rung> rungs;
  for (const auto& bin : bins) {
    const ast::BinTest* range = nullptr;
    for (const auto& t : bin.tests) {
      if (t.kind == ast::BinTest::Missing) continue;
      bool simple = t.kind == ast::BinTest::Interval || t.kind == ast::BinTest::Value ||
                    (t.kind == ast::BinTest::Compare && t.op != ast::CompareOp::Ne);
      if (!simple || range) return -1;
      range = &t;
    }
    if (range) rungs.push_back({LowerEnd(*range), &bin});
  }
  if (rungs.size() < 2) return -1;
  auto scaled = [](const ast::BinValue& v) { return __int128(v.scaled) * rt::Pow10(18 - v.scale); };
  std::stable_sort(rungs.begin(), rungs.end(), [&](const Rung& a, const Rung& b) {
    if (!a.lo || !b.lo) return !a.lo && b.lo;
    if (scaled(a.lo->first) != scaled(b.lo->first)) return scaled(a.lo->first) < scaled(b.lo->first);
    return a.lo->second && !b.lo->second;  // [x before (x
  });
  int32_t acc = BinValue(*rungs.back().bin, want);
  for (size_t j = rungs.size() - 1; j-- > 0;) {
    const auto& next = rungs[j + 1].lo;
    if (!next) return -1;  // two unbounded-below bins cannot be disjoint
    ast::BinTest below;
    below.kind = ast::BinTest::Compare;
    below.op = next->second ? ast::CompareOp::Lt : ast::CompareOp::Le;
    below.value = next->first;
    int32_t test = BinTest(below, value, subject);
    acc = Emit(Op::Select, TypeOf(acc), {test, BinValue(*rungs[j].bin, want), acc});
    if (ProbingBins(bins)) probes_->LadderRung(size_t(rungs[j].bin - bins.data()), j, test);
  }
  if (ProbingBins(bins)) probes_->LadderRung(size_t(rungs.back().bin - bins.data()), rungs.size() - 1, -1);
  return acc;
}

int32_t Lowerer::Chain(const std::vector<ast::Bin>& bins, int32_t value, const Type& subject, const Type& want,
              int32_t& missing_value) {
  int32_t acc = -1;
  for (const auto& bin : bins)
    for (const auto& t : bin.tests)
      if (t.kind == ast::BinTest::Else) acc = BinValue(bin, want);
  for (size_t b = bins.size(); b-- > 0;) {
    int32_t test = -1;
    for (const auto& t : bins[b].tests) {
      if (t.kind == ast::BinTest::Missing) missing_value = BinValue(bins[b], want);
      if (t.kind == ast::BinTest::Missing || t.kind == ast::BinTest::Else) continue;
      int32_t one = BinTest(t, value, subject);
      test = test < 0 ? one : Emit(Op::Or, {Kind::Bool}, {test, one});
    }
    if (test < 0) continue;
    if (ProbingBins(bins)) probes_->ChainTest(b, test);
    int32_t v = BinValue(bins[b], want);
    // Without an else bin the last value bin needs no test: the bins cover every value.
    acc = acc < 0 ? v : Emit(Op::Select, TypeOf(v), {test, v, acc});
  }
  return acc;
}

int32_t Lowerer::BinTest(const ast::BinTest& t, int32_t value, const Type& subject) {
  auto constant = [&](const ast::BinValue& v) {
    switch (v.kind) {
      case ast::BinValue::String: return String(v.text);
      case ast::BinValue::Bool: return Bool(v.bool_value);
      case ast::BinValue::Name: {
        const auto& values = cp_.enums[subject.enum_id].values;
        return ConstOf({Kind::Enum, 0, false, subject.enum_id}, std::find(values.begin(), values.end(), v.text) - values.begin());
      }
      case ast::BinValue::Number: break;
      case ast::BinValue::Date: break;  // only in decision-table cells, which check/cells.cc reads
    }
    return NumberConst(v.scaled, v.scale, TypeOf(value));
  };
  auto cmp = [&](Op op, const ast::BinValue& v) {
    ValueType vt = TypeOf(value);
    if (v.kind == ast::BinValue::Number && vt.kind != Kind::Number && v.scale > vt.scale)
      return FinerBound(op, value, v.scaled, rt::Pow10(v.scale - vt.scale));
    return Emit(op, {Kind::Bool}, {value, constant(v)});
  };
  switch (t.kind) {
    case ast::BinTest::Interval: {
      int32_t lo = cmp(t.lo_closed ? Op::Ge : Op::Gt, t.lo);
      int32_t hi = cmp(t.hi_closed ? Op::Le : Op::Lt, t.hi);
      return Emit(Op::And, {Kind::Bool}, {lo, hi});
    }
    case ast::BinTest::Compare: {
      static const Op ops[] = {Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq, Op::Ne};
      return cmp(ops[static_cast<int>(t.op)], t.value);
    }
    default: return cmp(Op::Eq, t.value);
  }
}

int32_t Lowerer::FinerBound(Op op, int32_t x, int64_t c, int64_t d) {
  int64_t floor = c / d - (c % d != 0 && c < 0), ceil = c / d + (c % d != 0 && c > 0);
  ValueType vt = TypeOf(x);
  switch (op) {
    case Op::Lt: return Emit(Op::Lt, {Kind::Bool}, {x, ConstOf(vt, ceil)});
    case Op::Le: return Emit(Op::Le, {Kind::Bool}, {x, ConstOf(vt, floor)});
    case Op::Gt: return Emit(Op::Gt, {Kind::Bool}, {x, ConstOf(vt, floor)});
    case Op::Ge: return Emit(Op::Ge, {Kind::Bool}, {x, ConstOf(vt, ceil)});
    default:  // Eq, Ne: only a bound on x's grid can be equal
      if (c % d != 0) return Bool(op == Op::Ne);
      return Emit(op, {Kind::Bool}, {x, ConstOf(vt, c / d)});
  }
}

void Lowerer::LowerDecision(int s, const ast::Decision& d) {
  Type type = cp_.symbols[s].type;
  const auto& values = cp_.enums[type.enum_id].values;
  ValueType vt = ValueTypeOf(type);
  int32_t value = -1, reason = -1;
  int32_t probe = OpenProbe(ir::ProbeKind::Decision, d.name.text, d.name.span);
  std::vector<int32_t> arm_probes;
  // The arms' conditions, -1 for the default arm; shared with the probes' guards, which are
  // built once every condition is lowered (the arms are lowered last to first).
  auto conditions = std::make_shared<std::vector<int32_t>>(d.arms.size(), -1);
  for (size_t a = 0; a < d.arms.size() && probes_; ++a)
    arm_probes.push_back(probes_->Add(ir::ProbeKind::DecisionArm, "arm " + std::to_string(a + 1), d.arms[a].span));
  // Arm a is tried when no earlier arm is taken; taken when, besides, its condition holds.
  auto arm_guard = [conditions](size_t a, bool taken) {
    return [conditions, a, taken](lower::HitBuilder& h) {
      std::vector<int32_t> earlier(conditions->begin(), conditions->begin() + std::ptrdiff_t(a));
      return h.AllNone({taken ? (*conditions)[a] : -1}, earlier);
    };
  };
  for (size_t a = d.arms.size(); a-- > 0;) {
    const auto& arm = d.arms[a];
    if (probes_) probes_->Open(arm_probes[a]);
    int32_t outcome = ConstOf(vt, std::find(values.begin(), values.end(), arm.outcome.text) - values.begin());
    if (probes_) probes_->PushGuard(arm_guard(a, true));
    int32_t why = arm.reason ? LowerAs(*arm.reason, Type::Of(Base::String)) : String("");
    if (probes_) probes_->PopGuard();
    if (!arm.condition || value < 0) {
      value = outcome;
      reason = why;
      if (probes_) probes_->Close();
      continue;
    }
    if (probes_) probes_->PushGuard(arm_guard(a, false));
    int32_t raw = Lower(*arm.condition);
    MissingFalse(d.missing_false, "arm " + std::to_string(a + 1), arm.span, raw);
    if (probes_) probes_->PopGuard();
    int32_t c = (*conditions)[a] = Required(raw);
    if (probes_) probes_->Close();
    value = Emit(Op::Select, vt, {c, outcome, value});
    reason = Emit(Op::Select, {Kind::String}, {c, why, reason});
  }
  // The chain carries the error of the conditions tried and of the chosen arm's reason only.
  record_values_[{s, -1, -1}] = Commit(value);
  record_values_[{s, int(MemberKind::DecisionReason), -1}] = Commit(reason);
  if (!probes_) return;
  probes_->Add(ir::ProbeKind::Step, d.name.text + ".reason", {}, record_values_[{s, int(MemberKind::DecisionReason), -1}]);
  CloseProbe(probe, record_values_[{s, -1, -1}]);
  for (size_t a = 0; a < d.arms.size(); ++a) probes_->HitLater(arm_probes[a], arm_guard(a, true));
}

}  // namespace credo::lower
