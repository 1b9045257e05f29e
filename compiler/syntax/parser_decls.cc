// parser_decls.cc — Builder's declarations: decision tables and their rows, bins, inputs,
// scorecards, group blocks and every top-level declaration (parser_builder.h).
#include "compiler/syntax/parser_builder.h"

namespace credo::syntax {

ast::DecisionRow Builder::Row(P::DtRowContext* row, P::DtElseContext* else_row) {
  ast::DecisionRow r;
  std::vector<P::ExprContext*> values;
  if (row) {
    r.span = SpanOf(row);
    r.code = MakeName(row->code);
    if (row->title) r.title = Unquote(row->title);
    for (auto* c : row->cell()) r.cells.push_back(Cell(c));
    values = row->expr();
  } else {
    r.span = SpanOf(else_row);
    r.code = {"else", SpanOf(else_row->getStart())};
    if (else_row->title) r.title = Unquote(else_row->title);
    values = else_row->expr();
  }
  for (auto* v : values) r.values.push_back(Expr(v));
  return r;
}

ast::DecisionTable Builder::DecisionTableOf(P::DtableDeclContext* ctx) {
  ast::DecisionTable t;
  t.span = SpanOf(ctx);
  t.name = MakeName(ctx->name());
  if (ctx->title) t.title = Unquote(ctx->title);
  auto* hit = ctx->hitPolicy();
  t.hit_span = SpanOf(hit);
  std::string kind = hit->kind->getText(), agg = hit->agg ? hit->agg->getText() : "";
  using H = ast::HitPolicy;
  static const std::pair<const char*, H> simple[] = {
      {"first", H::First}, {"unique", H::Unique}, {"any", H::Any}, {"collect", H::Collect}};
  bool known = false;
  for (auto& [word, h] : simple)
    if (kind == word && !hit->by && agg.empty()) t.hit = h, known = true;
  if (kind == "priority" && hit->by) {
    t.hit = H::Priority;
    t.hit_output = MakeName(hit->by);
    known = true;
  } else if (kind == "collect" && !agg.empty()) {
    static const std::pair<const char*, H> aggs[] = {{"sum", H::CollectSum}, {"min", H::CollectMin}, {"max", H::CollectMax}};
    if (agg == "count" && !hit->over) t.hit = H::CollectCount, known = true;
    for (auto& [word, h] : aggs)
      if (agg == word && hit->over) {
        t.hit = h;
        t.hit_output = MakeName(hit->over);
        known = true;
      }
  }
  if (!known)
    diags_.Report(DiagKind::UnknownHitPolicy, SpanOf(hit), fmt::format("'{}' is not a hit policy", hit->getText()),
                  "write one of: first, unique, any, priority by OUTPUT, collect, collect sum(OUTPUT), "
                  "collect min(OUTPUT), collect max(OUTPUT), collect count");
  for (auto* in : ctx->dtInput()) {
    t.labels.push_back(MakeName(in->label));
    if (in->expr()) {
      t.inputs.push_back(Expr(in->expr()));
    } else {
      auto e = NewExpr(ast::ExprKind::NameRef, in->label);
      e->text = in->label->getText();
      t.inputs.push_back(std::move(e));
    }
  }
  for (auto* out : ctx->dtOutput()) {
    t.outputs.push_back(MakeName(out->name()));
    t.output_types.push_back(MakeType(out->typeRef()));
  }
  for (auto* row : ctx->dtRow()) t.rows.push_back(Row(row, nullptr));
  if (ctx->dtElse()) t.else_row = Row(nullptr, ctx->dtElse());
  return t;
}

std::vector<ast::Bin> Builder::Bins(P::BinsContext* ctx) {
  std::vector<ast::Bin> bins;
  for (auto* b : ctx->bin()) {
    ast::Bin bin;
    bin.span = SpanOf(b);
    for (auto* t : b->binTest()) {
      ast::BinTest test;
      test.span = SpanOf(t);
      if (dynamic_cast<P::MissingBinContext*>(t)) {
        test.kind = ast::BinTest::Missing;
      } else if (dynamic_cast<P::ElseBinContext*>(t)) {
        test.kind = ast::BinTest::Else;
      } else if (auto* i = dynamic_cast<P::IntervalBinContext*>(t)) {
        test.kind = ast::BinTest::Interval;
        test.lo_closed = i->open->getText() == "[";
        test.hi_closed = i->close->getText() == "]";
        test.lo = Value(i->binValue(0));
        test.hi = Value(i->binValue(1));
      } else if (auto* c = dynamic_cast<P::CompareBinContext*>(t)) {
        test.kind = ast::BinTest::Compare;
        static const std::pair<const char*, ast::CompareOp> ops[] = {
            {"<", ast::CompareOp::Lt}, {"<=", ast::CompareOp::Le}, {">", ast::CompareOp::Gt},
            {">=", ast::CompareOp::Ge}, {"==", ast::CompareOp::Eq}, {"!=", ast::CompareOp::Ne}};
        for (auto& [text, o] : ops)
          if (c->op->getText() == text) test.op = o;
        test.value = Value(c->binValue());
      } else {
        test.kind = ast::BinTest::Value;
        test.value = Value(dynamic_cast<P::ValueBinContext*>(t)->binValue());
      }
      bin.tests.push_back(std::move(test));
    }
    bin.result = Expr(b->expr());
    bins.push_back(std::move(bin));
  }
  return bins;
}

ast::InputDecl Builder::Input(P::InputDeclContext* ctx) {
  ast::InputDecl input;
  input.name = MakeName(ctx->name());
  for (auto* item : ctx->inputItem()) {
    if (auto* f = dynamic_cast<P::FieldDeclContext*>(item)) {
      ast::FieldDecl field;
      field.name = MakeName(f->name());
      field.type = MakeType(f->typeRef());
      if (f->expr()) field.where = Expr(f->expr());
      if (f->reason) field.reason = Unquote(f->reason);
      input.fields.push_back(std::move(field));
    } else if (auto* u = dynamic_cast<P::UniqueDeclContext*>(item)) {
      input.unique.push_back(MakeName(u->name()));
    } else {
      auto* c = dynamic_cast<P::CheckDeclContext*>(item);
      input.checks.push_back({Expr(c->expr()), Unquote(c->reason), SpanOf(c)});
    }
  }
  return input;
}

ast::Scorecard Builder::ScorecardOf(P::ScorecardDeclContext* ctx) {
  ast::Scorecard card;
  card.name = MakeName(ctx->name());
  if (ctx->title) card.title = Unquote(ctx->title);
  for (auto* item : ctx->scorecardItem()) {
    if (auto* b = dynamic_cast<P::BaselineItemContext*>(item)) {
      card.baseline_span = SpanOf(b->signedNumber());
      std::string text = b->signedNumber()->getText();
      bool negative = text[0] == '-';
      int64_t value = 0;
      int scale = 0;
      ParseNumber(negative ? text.substr(1) : text, card.baseline_span, value, scale);
      card.baseline = negative ? -value : value;
      if (scale != 0)
        diags_.Report(DiagKind::PointsNotInteger, card.baseline_span, "the baseline must be a whole number of points",
                      "write the baseline without a fraction, e.g. `baseline 500`");
    } else if (auto* r = dynamic_cast<P::ReasonsItemContext*>(item)) {
      int64_t value = 0;
      int scale = 0;
      ParseNumber(r->INT()->getText(), SpanOf(r), value, scale);
      card.reasons = static_cast<int>(std::min<int64_t>(value, 1000));
    } else if (auto* sc = dynamic_cast<P::ScalingItemContext*>(item)) {
      if (card.scaling) card.repeated.push_back({SpanOf(sc), card.scaling->span});
      else card.scaling = ast::Scaling{Number(sc->base), Number(sc->odds), Number(sc->pdo), SpanOf(sc)};
    } else if (auto* ic = dynamic_cast<P::InterceptItemContext*>(item)) {
      if (card.intercept) card.repeated.push_back({SpanOf(ic), card.intercept->span});
      else card.intercept = Number(ic->signedNumber());
    } else if (auto* rc = dynamic_cast<P::RoundingItemContext*>(item)) {
      if (card.rounding) card.repeated.push_back({SpanOf(rc), card.rounding->span});
      else card.rounding = MakeName(rc->word);
    } else {
      auto* c = dynamic_cast<P::CharacteristicItemContext*>(item);
      ast::Characteristic ch;
      ch.code = MakeName(c->code);
      if (c->title) ch.title = Unquote(c->title);
      ch.subject = Expr(c->expr());
      if (c->weight) ch.weight = Number(c->weight);
      ch.bins = Bins(c->bins());
      card.characteristics.push_back(std::move(ch));
    }
  }
  return card;
}

ast::GroupBlock Builder::Group(P::GroupDeclContext* ctx) {
  ast::GroupBlock group;
  group.key = MakeName(ctx->name());
  group.span = SpanOf(ctx);
  for (auto* s : ctx->groupStmt()) {
    ast::GroupStmt stmt;
    stmt.span = SpanOf(s);
    if (auto* l = dynamic_cast<P::GroupLetContext*>(s)) {
      stmt.kind = ast::GroupStmt::Let;
      stmt.name = MakeName(l->name());
      stmt.expr = Expr(l->expr());
    } else {
      auto* u = dynamic_cast<P::GroupUpdateContext*>(s);
      stmt.kind = ast::GroupStmt::Update;
      stmt.expr = Expr(u->expr());
      for (auto* a : u->action()) {
        ast::GroupAction action;
        action.span = SpanOf(a);
        if (auto* w = dynamic_cast<P::WarnActionContext*>(a)) {
          action.kind = ast::GroupAction::Warn;
          action.target = MakeName(w->code);
          if (w->title) action.title = Unquote(w->title);
        } else {
          auto* set = dynamic_cast<P::SetActionContext*>(a);
          action.kind = ast::GroupAction::Set;
          action.target = MakeName(set->name());
          action.value = Expr(set->expr(0));
          if (set->expr().size() > 1) action.reason = Expr(set->expr(1));
        }
        stmt.actions.push_back(std::move(action));
      }
    }
    group.stmts.push_back(std::move(stmt));
  }
  return group;
}

void Builder::AddDecl(ast::Policy& policy, P::DeclContext* decl) {
  if (auto* c = decl->enumDecl()) {
    ast::EnumDecl e;
    auto names = c->name();
    e.name = MakeName(names[0]);
    for (size_t i = 1; i < names.size(); ++i) e.values.push_back(MakeName(names[i]));
    policy.enums.push_back(std::move(e));
  } else if (auto* c = decl->inputDecl()) {
    policy.inputs.push_back(Input(c));
  } else if (auto* c = decl->referenceDecl()) {
    ast::ReferenceDecl ref;
    ref.name = MakeName(c->name(0));
    if (c->title) ref.title = Unquote(c->title);
    ref.key = MakeName(c->key);
    ref.many = c->many != nullptr;
    ref.span = SpanOf(c);
    for (auto* f : c->referenceField()) {
      ast::FieldDecl field;
      field.name = MakeName(f->name());
      field.type = MakeType(f->typeRef());
      if (f->expr()) field.where = Expr(f->expr());
      if (f->reason) field.reason = Unquote(f->reason);
      ref.fields.push_back(std::move(field));
    }
    policy.references.push_back(std::move(ref));
  } else if (auto* c = decl->importDecl()) {
    policy.imports.push_back({Unquote(c->path), SpanOf(c)});
  } else if (auto* c = decl->constDecl()) {
    ast::LetDecl let;
    let.name = MakeName(c->name());
    if (c->typeRef()) let.type = MakeType(c->typeRef());
    let.value = Expr(c->expr());
    let.is_const = true;
    policy.lets.push_back(std::move(let));
  } else if (auto* c = decl->functionDecl()) {
    ast::FunctionDecl f;
    f.name = MakeName(c->name());
    f.span = SpanOf(c);
    for (auto* p : c->param()) f.params.push_back({MakeName(p->name()), MakeType(p->typeRef())});
    f.result = MakeType(c->result);
    f.body = Expr(c->expr());
    policy.functions.push_back(std::move(f));
  } else if (auto* c = decl->letDecl()) {
    ast::LetDecl let;
    let.name = MakeName(c->name());
    if (c->typeRef()) let.type = MakeType(c->typeRef());
    let.value = Expr(c->expr());
    policy.lets.push_back(std::move(let));
  } else if (auto* c = decl->rulesDecl()) {
    ast::RuleSet set;
    set.name = MakeName(c->name());
    if (c->title) set.title = Unquote(c->title);
    set.missing_false = MakeMissingFalse(c->missingFalse());
    for (auto* r : c->ruleDecl()) {
      ast::Rule rule;
      rule.code = MakeName(r->code);
      if (r->title) rule.title = Unquote(r->title);
      rule.when = Expr(r->expr());
      rule.effect = MakeName(r->effect);
      set.rules.push_back(std::move(rule));
    }
    policy.rule_sets.push_back(std::move(set));
  } else if (auto* c = decl->scorecardDecl()) {
    policy.scorecards.push_back(ScorecardOf(c));
  } else if (auto* c = decl->bandDecl()) {
    ast::Band band;
    band.name = MakeName(c->name());
    if (c->typeRef()) band.type = MakeType(c->typeRef());
    band.subject = Expr(c->expr());
    band.bins = Bins(c->bins());
    policy.bands.push_back(std::move(band));
  } else if (auto* c = decl->dtableDecl()) {
    policy.decision_tables.push_back(DecisionTableOf(c));
  } else if (auto* c = decl->tableDecl()) {
    ast::Table table;
    table.name = MakeName(c->name());
    for (auto* k : c->tableKeys()->typeRef()) table.keys.push_back(MakeType(k));
    table.value = MakeType(c->value);
    for (auto* entry : c->tableEntry()) {
      ast::TableEntry e;
      e.span = SpanOf(entry);
      for (auto* key : entry->tableKey()) {
        e.keys.emplace_back();
        e.cells.emplace_back();
        e.as_interval.emplace_back();
        auto& cells = e.cells.back();
        for (auto* part : key->cell()) cells.push_back(Cell(part));
        // `(a, b)`: a pair of keys, or an open interval of one key (the checker knows which)
        if (cells.size() == 1 && cells[0].kind == ast::Cell::Interval && !cells[0].lo_closed && !cells[0].hi_closed) {
          ast::Cell interval = cells[0];
          cells.clear();
          for (const ast::BinValue* v : {&interval.lo, &interval.hi}) {
            ast::Cell c;
            c.span = v->span;
            c.kind = v->kind == ast::BinValue::Name && v->text == "_" ? ast::Cell::Any : ast::Cell::Value;
            if (c.kind == ast::Cell::Value) c.values.push_back(*v);
            cells.push_back(std::move(c));
          }
          e.as_interval.back() = std::move(interval);
        }
        for (auto& c : cells)
          e.keys.back().push_back({std::string(c.kind == ast::Cell::Any ? "_" : c.kind == ast::Cell::Value &&
                                   c.values[0].kind == ast::BinValue::Name ? c.values[0].text : std::string("\x01")),
                                   c.span});
      }
      e.value = Expr(entry->expr());
      table.entries.push_back(std::move(e));
    }
    policy.tables.push_back(std::move(table));
  } else if (auto* c = decl->decisionDecl()) {
    ast::Decision d;
    d.span = SpanOf(c);
    d.name = c->name() ? MakeName(c->name()) : ast::Name{"decision", SpanOf(c->getStart())};
    d.type = MakeType(c->typeRef());
    d.missing_false = MakeMissingFalse(c->missingFalse());
    for (auto* a : c->decisionArm()) {
      ast::DecisionArm arm;
      arm.span = SpanOf(a);
      auto exprs = a->expr();
      // `else => X because R` has one expr (the reason); `cond => X because R` has two.
      bool is_else = a->getStart()->getText() == "else";
      size_t next = 0;
      if (!is_else) arm.condition = Expr(exprs[next++]);
      arm.outcome = MakeName(a->outcome);
      if (next < exprs.size()) arm.reason = Expr(exprs[next]);
      d.arms.push_back(std::move(arm));
    }
    policy.decisions.push_back(std::move(d));
  } else if (auto* c = decl->warningsDecl()) {
    ast::WarningsBlock block;
    block.span = SpanOf(c);
    block.missing_false = MakeMissingFalse(c->missingFalse());
    for (auto* w : c->warningDecl()) {
      ast::Warning warning;
      warning.code = MakeName(w->code);
      if (w->title) warning.title = Unquote(w->title);
      warning.when = Expr(w->expr());
      block.warnings.push_back(std::move(warning));
    }
    policy.warnings.push_back(std::move(block));
  } else if (auto* c = decl->groupDecl()) {
    policy.groups.push_back(Group(c));
  } else if (auto* c = decl->outputDecl()) {
    ast::OutputBlock block;
    block.span = SpanOf(c);
    for (auto* item : c->outputItem()) {
      ast::OutputItem out;
      out.name = MakeName(item->name());
      if (item->expr()) out.value = Expr(item->expr());
      block.items.push_back(std::move(out));
    }
    if (c->outName) {
      block.name = MakeName(c->outName);
      if (auto* order = c->orderBy())
        for (auto* key : order->orderKey())
          block.order.push_back({MakeName(key->name()), key->dir && key->dir->getText() == "desc"});
      policy.group_outputs.push_back(std::move(block));
    } else {
      policy.outputs.push_back(std::move(block));
    }
  } else if (auto* c = decl->rejectsDecl()) {
    ast::RejectsBlock block;
    block.span = SpanOf(c);
    for (auto* t : c->rejectText()) block.texts.push_back({{t->rejectKind()->getText(), SpanOf(t->rejectKind())}, Unquote(t->text), SpanOf(t->text)});
    policy.rejects.push_back(std::move(block));
  }
}

}  // namespace credo::syntax
