// parser_exprs.cc — Builder's expressions, bin values, numbers and table cells (parser_builder.h).
#include "compiler/syntax/parser_builder.h"

namespace credo::syntax {

ast::ExprPtr Builder::Primary(P::PrimaryContext* ctx) {
  using K = ast::ExprKind;
  if (auto* c = dynamic_cast<P::IntLitContext*>(ctx)) {
    auto e = NewExpr(K::IntLit, c);
    ParseNumber(c->getText(), e->span, e->int_value, e->scale);
    e->text = c->getText();
    return e;
  }
  if (auto* c = dynamic_cast<P::DecimalLitContext*>(ctx)) {
    auto e = NewExpr(K::DecimalLit, c);
    ParseNumber(c->getText(), e->span, e->int_value, e->scale);
    e->text = c->getText();
    return e;
  }
  if (auto* c = dynamic_cast<P::StringLitContext*>(ctx)) {
    auto e = NewExpr(K::StringLit, c);
    e->text = Unquote(c->STRING()->getSymbol());
    return e;
  }
  if (auto* c = dynamic_cast<P::BoolLitContext*>(ctx)) {
    auto e = NewExpr(K::BoolLit, c);
    e->int_value = c->getText() == "true";
    return e;
  }
  if (auto* c = dynamic_cast<P::MissingLitContext*>(ctx)) return NewExpr(K::MissingLit, c);
  if (auto* c = dynamic_cast<P::CallExprContext*>(ctx)) {
    auto e = NewExpr(K::Call, c);
    e->text = c->name()->getText();
    e->member = MakeName(c->name());
    if (c->args())
      for (auto* a : c->args()->expr()) e->args.push_back(Expr(a));
    return e;
  }
  if (auto* c = dynamic_cast<P::NameRefContext*>(ctx)) {
    auto e = NewExpr(K::NameRef, c);
    e->text = c->getText();
    return e;
  }
  auto* paren = dynamic_cast<P::ParenExprContext*>(ctx);
  auto e = Expr(paren->expr());
  e->span = SpanOf(paren);
  return e;
}

ast::ExprPtr Builder::Expr(P::ExprContext* ctx) {
  using K = ast::ExprKind;
  if (auto* c = dynamic_cast<P::PrimaryExprContext*>(ctx)) return Primary(c->primary());
  if (auto* c = dynamic_cast<P::MemberExprContext*>(ctx)) {
    auto e = NewExpr(K::Member, c);
    e->args.push_back(Expr(c->expr()));
    e->member = MakeName(c->name());
    e->is_call = c->call != nullptr;
    if (c->args())
      for (auto* a : c->args()->expr()) e->args.push_back(Expr(a));
    return e;
  }
  if (auto* c = dynamic_cast<P::IndexExprContext*>(ctx)) {
    auto e = NewExpr(K::Index, c);
    e->args.push_back(Expr(c->expr()));
    for (auto* a : c->args()->expr()) e->args.push_back(Expr(a));
    return e;
  }
  if (auto* c = dynamic_cast<P::NegExprContext*>(ctx)) {
    auto e = NewExpr(K::Neg, c);
    e->args.push_back(Expr(c->expr()));
    return e;
  }
  if (auto* c = dynamic_cast<P::NotExprContext*>(ctx)) {
    CheckSlip(c->op, nullptr, c->expr());
    auto e = NewExpr(K::Not, c);
    e->args.push_back(Expr(c->expr()));
    return e;
  }
  auto binary = [&](K kind, std::vector<P::ExprContext*> operands, ast::BinaryOp op) {
    auto e = NewExpr(kind, ctx);
    e->op = op;
    for (auto* o : operands) e->args.push_back(Expr(o));
    return e;
  };
  if (auto* c = dynamic_cast<P::MulExprContext*>(ctx))
    return binary(K::Binary, c->expr(), c->op->getText() == "*" ? ast::BinaryOp::Mul : ast::BinaryOp::Div);
  if (auto* c = dynamic_cast<P::AddExprContext*>(ctx))
    return binary(K::Binary, c->expr(), c->op->getText() == "+" ? ast::BinaryOp::Add : ast::BinaryOp::Sub);
  if (auto* c = dynamic_cast<P::CompareExprContext*>(ctx)) {
    static const std::pair<const char*, ast::BinaryOp> ops[] = {
        {"<", ast::BinaryOp::Lt}, {"<=", ast::BinaryOp::Le}, {">", ast::BinaryOp::Gt},
        {">=", ast::BinaryOp::Ge}, {"==", ast::BinaryOp::Eq}, {"!=", ast::BinaryOp::Ne}};
    CheckSlip(c->op, c->expr(0), c->expr(1));
    std::string text = SlipMeaning(c->op->getText()) ? SlipMeaning(c->op->getText()) : c->op->getText();
    ast::BinaryOp op = ast::BinaryOp::Eq;
    for (auto& [spelling, o] : ops)
      if (text == spelling) op = o;
    return binary(K::Binary, c->expr(), op);
  }
  if (auto* c = dynamic_cast<P::CoalesceExprContext*>(ctx)) return binary(K::Coalesce, c->expr(), {});
  if (auto* c = dynamic_cast<P::AndExprContext*>(ctx)) {
    CheckSlip(c->op, c->expr(0), c->expr(1));
    return binary(K::And, c->expr(), {});
  }
  if (auto* c = dynamic_cast<P::OrExprContext*>(ctx)) {
    CheckSlip(c->op, c->expr(0), c->expr(1));
    return binary(K::Or, c->expr(), {});
  }
  if (auto* c = dynamic_cast<P::IfExprContext*>(ctx)) return binary(K::If, c->expr(), {});
  if (auto* c = dynamic_cast<P::IsMissingExprContext*>(ctx)) {
    auto e = NewExpr(K::IsMissing, c);
    e->args.push_back(Expr(c->expr()));
    // `is not missing` and `is present` both test presence; `is not present` tests missing.
    e->negated = (c->negated != nullptr) != (c->present != nullptr);
    return e;
  }
  if (auto* c = dynamic_cast<P::InSetExprContext*>(ctx)) {
    auto e = NewExpr(K::In, c);
    e->negated = c->negated != nullptr;
    e->set = true;
    e->args.push_back(Expr(c->expr()));
    for (auto* a : c->args()->expr()) e->args.push_back(Expr(a));
    return e;
  }
  if (auto* c = dynamic_cast<P::InReferenceExprContext*>(ctx)) {
    auto e = NewExpr(K::InReference, c);
    e->negated = c->negated != nullptr;
    e->args.push_back(Expr(c->expr()));
    e->member = MakeName(c->reference);
    e->text = e->member.text;
    return e;
  }
  if (auto* c = dynamic_cast<P::InRangeExprContext*>(ctx)) {
    auto e = NewExpr(K::InRange, c);
    e->negated = c->negated != nullptr;
    e->lo_closed = c->inBounds()->open->getText() == "[";
    e->hi_closed = c->inBounds()->close->getText() == "]";
    e->args.push_back(Expr(c->expr()));
    e->args.push_back(Expr(c->inBounds()->lo));
    e->args.push_back(Expr(c->inBounds()->hi));
    return e;
  }
  auto* c = dynamic_cast<P::InExprContext*>(ctx);
  auto e = NewExpr(K::In, c);
  e->negated = c->negated != nullptr;
  e->args.push_back(Expr(c->expr()));
  for (auto* a : c->args()->expr()) e->args.push_back(Expr(a));
  return e;
}

ast::BinValue Builder::Value(P::BinValueContext* ctx) {
  ast::BinValue v;
  v.span = SpanOf(ctx);
  v.text = ctx->getText();
  if (auto* n = ctx->signedNumber()) {
    v.kind = ast::BinValue::Number;
    std::string text = n->getText();
    bool negative = text[0] == '-';
    ParseNumber(negative ? text.substr(1) : text, v.span, v.scaled, v.scale);
    if (negative) v.scaled = -v.scaled;
  } else if (ctx->STRING()) {
    v.kind = ast::BinValue::String;
    v.text = Unquote(ctx->STRING()->getSymbol());
  } else if (ctx->name()) {
    v.kind = ast::BinValue::Name;
  } else {
    v.kind = ast::BinValue::Bool;
    v.bool_value = v.text == "true";
  }
  return v;
}

// A signed number of a scaled scorecard (`-1.35`), as a Number bin value.
ast::BinValue Builder::Number(P::SignedNumberContext* ctx) {
  ast::BinValue v;
  v.kind = ast::BinValue::Number;
  v.span = SpanOf(ctx);
  v.text = ctx->getText();
  bool negative = v.text[0] == '-';
  ParseNumber(negative ? v.text.substr(1) : v.text, v.span, v.scaled, v.scale);
  if (negative) v.scaled = -v.scaled;
  return v;
}

ast::BinValue Builder::Value(P::CellValueContext* ctx) {
  if (ctx->binValue()) return Value(ctx->binValue());
  ast::BinValue v;
  v.span = SpanOf(ctx);
  v.kind = ast::BinValue::Date;
  v.text = Unquote(ctx->STRING()->getSymbol());
  return v;
}

ast::Cell Builder::Cell(P::CellContext* ctx) {
  ast::Cell cell;
  cell.span = SpanOf(ctx);
  if (dynamic_cast<P::AnyCellContext*>(ctx)) {
    cell.kind = ast::Cell::Any;
  } else if (dynamic_cast<P::MissingCellContext*>(ctx)) {
    cell.kind = ast::Cell::Missing;
  } else if (dynamic_cast<P::PresentCellContext*>(ctx)) {
    cell.kind = ast::Cell::Present;
  } else if (auto* i = dynamic_cast<P::IntervalCellContext*>(ctx)) {
    cell.kind = ast::Cell::Interval;
    cell.lo_closed = i->open->getText() == "[";
    cell.hi_closed = i->close->getText() == "]";
    cell.lo = Value(i->lo);
    cell.hi = Value(i->hi);
  } else if (auto* c = dynamic_cast<P::CompareCellContext*>(ctx)) {
    cell.kind = ast::Cell::Compare;
    static const std::pair<const char*, ast::CompareOp> ops[] = {
        {"<", ast::CompareOp::Lt}, {"<=", ast::CompareOp::Le}, {">", ast::CompareOp::Gt},
        {">=", ast::CompareOp::Ge}, {"==", ast::CompareOp::Eq}, {"!=", ast::CompareOp::Ne}};
    for (auto& [text, o] : ops)
      if (c->op->getText() == text) cell.op = o;
    cell.values.push_back(Value(c->cellValue()));
  } else if (auto* c = dynamic_cast<P::SetCellContext*>(ctx)) {
    cell.kind = ast::Cell::Set;
    cell.negated = c->negated != nullptr;
    for (auto* v : c->cellValue()) cell.values.push_back(Value(v));
  } else {
    auto* v = dynamic_cast<P::ValueCellContext*>(ctx);
    cell.kind = ast::Cell::Value;
    cell.values.push_back(Value(v->cellValue()));
    if (cell.values[0].kind == ast::BinValue::Name && cell.values[0].text == "_") {
      cell.kind = ast::Cell::Any;
      cell.values.clear();
    }
  }
  return cell;
}

}  // namespace credo::syntax
