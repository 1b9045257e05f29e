// parser_builder.h — the parse tree (ANTLR's CredoParser) to the AST: Builder, and the code point
// to byte offset map it positions nodes with. Internal to compiler/syntax; parser.h is the
// interface. Builder's members are defined in parser_exprs.cc (expressions, bin values, cells)
// and parser_decls.cc (declarations: decision tables, bins, inputs, scorecards, groups).
#pragma once

#include "compiler/syntax/parser.h"

#include <charconv>
#include <limits>
#include <unordered_map>

#include <fmt/format.h>

#include "compiler/syntax/recovery.h"
#include "compiler/syntax/slips.h"
#include "CredoLexer.h"
#include "CredoParser.h"
#include "antlr4-runtime.h"

namespace credo::syntax {

using P = credo_gen::CredoParser;

// ANTLR counts positions in code points; diagnostics use byte offsets.
class OffsetMap {
 public:
  // `base`: the offset of the file's first byte in the compilation (SourceFile::base).
  OffsetMap(const std::string& text, uint32_t base) {
    for (uint32_t i = 0; i < text.size(); ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts_.push_back(base + i);
    starts_.push_back(base + text.size());
  }
  uint32_t Byte(size_t code_point) const {
    return code_point < starts_.size() ? starts_[code_point] : starts_.back();
  }

 private:
  std::vector<uint32_t> starts_;
};

// Walks the parse tree and builds the AST.
class Builder {
 public:
  Builder(const OffsetMap& offsets, Diagnostics& diags) : offsets_(offsets), diags_(diags) {}

  // The header and the declarations `keep` says (all when empty).
  std::unique_ptr<ast::Policy> Build(P::PolicyContext* ctx, const std::vector<bool>& keep = {}) {
    auto policy = std::make_unique<ast::Policy>();
    if (auto* h = ctx->header()) {
      policy->name = MakeName(h->name());
      if (h->version) policy->version = Unquote(h->version);
      if (h->description) policy->description = Unquote(h->description);
    } else {
      auto* l = ctx->libraryHeader();
      policy->is_library = true;
      policy->name = MakeName(l->name());
      if (l->version) policy->version = Unquote(l->version);
      if (l->description) policy->description = Unquote(l->description);
    }
    std::vector<P::DeclContext*> decls = ctx->decl();
    for (size_t i = 0; i < decls.size(); ++i)
      if (keep.empty() || keep[i]) AddDecl(*policy, decls[i]);
    return policy;
  }

  // Errors reported for slips (slips.h): the AST holds what was meant, so they leave it checkable.
  size_t slips() const { return slips_; }

 private:
  Span SpanOf(antlr4::ParserRuleContext* ctx) const {
    return {offsets_.Byte(ctx->getStart()->getStartIndex()),
            offsets_.Byte(ctx->getStop()->getStopIndex() + 1)};
  }
  Span SpanOf(antlr4::Token* token) const {
    return {offsets_.Byte(token->getStartIndex()), offsets_.Byte(token->getStopIndex() + 1)};
  }
  ast::Name MakeName(P::NameContext* ctx) const { return {ctx->getText(), SpanOf(ctx)}; }
  ast::TypeRef MakeType(P::TypeRefContext* ctx) {
    ast::TypeRef ref{MakeName(ctx->name()), ctx->optional != nullptr};
    if (ctx->size) {
      int64_t size = 0;
      int scale = 0;
      Span span = SpanOf(ctx->size);
      if (ParseNumber(ctx->size->getText(), span, size, scale)) ref.size = size > 99 ? 99 : int(size);
      ref.name.span.end = span.end + 1;  // `decimal(4)` as a whole
    }
    return ref;
  }
  // `missing means false`: the middle word is any name, so "means" is no keyword; others are errors.
  ast::MissingFalse MakeMissingFalse(P::MissingFalseContext* ctx) {
    ast::MissingFalse m;
    if (!ctx) return m;
    m.span = SpanOf(ctx);
    if (ctx->means->getText() != "means") {
      diags_.Report(DiagKind::SyntaxError, SpanOf(ctx->means), fmt::format("unexpected '{}'", ctx->means->getText()),
                    "a block may start with `missing means false`: a missing condition then counts as false");
      return m;
    }
    m.on = true;
    return m;
  }

  std::string Unquote(antlr4::Token* token) {
    std::string raw = token->getText();
    std::string out;
    for (size_t i = 1; i + 1 < raw.size(); ++i) {
      if (raw[i] != '\\') { out += raw[i]; continue; }
      char c = raw[++i];
      switch (c) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '"': case '\\': out += c; break;
        default: {
          Span span = SpanOf(token);
          diags_.Report(DiagKind::BadLiteral, {span.begin + uint32_t(i) - 1, span.begin + uint32_t(i) + 1},
                        fmt::format("unknown escape '\\{}' in string", c),
                        "the escapes are \\n \\t \\r \\\" and \\\\");
        }
      }
    }
    return out;
  }

  // Parses digits with optional '_' separators and an optional fraction into value * 10^scale.
  bool ParseNumber(const std::string& text, Span span, int64_t& value, int& scale) {
    std::string digits;
    scale = 0;
    bool fraction = false;
    for (char c : text) {
      if (c == '_') continue;
      if (c == '.') { fraction = true; continue; }
      digits += c;
      if (fraction) ++scale;
    }
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || scale > 9) {
      diags_.Report(DiagKind::BadLiteral, span, fmt::format("number {} is too large or too precise", text),
                    "integers must be below 9.2e18 and decimals have at most 9 fraction digits");
      value = 0;
      return false;
    }
    return true;
  }

  // The source text of `ctx` as written (ANTLR's getText drops the spaces between tokens), with
  // any slip in it written as meant, for the example of a slip's hint.
  static std::string TextOf(antlr4::ParserRuleContext* ctx) {
    std::vector<antlr4::Token*> tokens;
    CollectTokens(ctx, tokens);
    antlr4::CharStream* chars = ctx->getStart()->getInputStream();
    std::string out;
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (i > 0 && tokens[i]->getStartIndex() > tokens[i - 1]->getStopIndex() + 1)
        out += chars->getText(antlr4::misc::Interval(tokens[i - 1]->getStopIndex() + 1, tokens[i]->getStartIndex() - 1));
      const char* meant = SlipMeaning(tokens[i]->getText());
      out += meant ? meant : tokens[i]->getText();
      bool next_adjacent = i + 1 < tokens.size() && tokens[i + 1]->getStartIndex() == tokens[i]->getStopIndex() + 1;
      if (meant && std::string_view(meant) == "not" && next_adjacent) out += ' ';  // `!x` → `not x`
    }
    return out;
  }
  static void CollectTokens(antlr4::tree::ParseTree* node, std::vector<antlr4::Token*>& out) {
    if (auto* leaf = dynamic_cast<antlr4::tree::TerminalNode*>(node)) out.push_back(leaf->getSymbol());
    for (auto* child : node->children) CollectTokens(child, out);
  }

  // `a = b`, `a && b`, `!a` ...: reported with the fix when `op` is a slip; `left` may be null.
  void CheckSlip(antlr4::Token* op, P::ExprContext* left, P::ExprContext* right) {
    if (!SlipMeaning(op->getText())) return;
    ReportSlip(diags_, SpanOf(op), op->getText(), left ? TextOf(left) : "", TextOf(right));
    ++slips_;
  }

  ast::ExprPtr NewExpr(ast::ExprKind kind, antlr4::ParserRuleContext* ctx) {
    auto e = std::make_unique<ast::Expr>();
    e->kind = kind;
    e->span = SpanOf(ctx);
    return e;
  }

  ast::ExprPtr Expr(P::ExprContext* ctx);
  ast::ExprPtr Primary(P::PrimaryContext* ctx);
  void AddDecl(ast::Policy& policy, P::DeclContext* decl);
  ast::InputDecl Input(P::InputDeclContext* ctx);
  ast::Scorecard ScorecardOf(P::ScorecardDeclContext* ctx);
  std::vector<ast::Bin> Bins(P::BinsContext* ctx);
  ast::BinValue Value(P::BinValueContext* ctx);
  ast::BinValue Number(P::SignedNumberContext* ctx);
  ast::BinValue Value(P::CellValueContext* ctx);
  ast::Cell Cell(P::CellContext* ctx);
  ast::DecisionRow Row(P::DtRowContext* row, P::DtElseContext* else_row);
  ast::DecisionTable DecisionTableOf(P::DtableDeclContext* ctx);
  ast::GroupBlock Group(P::GroupDeclContext* ctx);

  const OffsetMap& offsets_;
  Diagnostics& diags_;
  size_t slips_ = 0;
};

}  // namespace credo::syntax
