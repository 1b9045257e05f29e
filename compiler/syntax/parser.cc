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

namespace credo {
namespace {

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

// Collects the syntax errors; Parse reports those worth showing (see recovery.h).
class ErrorListener : public antlr4::BaseErrorListener {
 public:
  struct Error {
    size_t token;  // the offending token's index
    Diagnostic diagnostic;
  };

  explicit ErrorListener(const OffsetMap& offsets) : offsets_(offsets) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* token, size_t, size_t, const std::string&,
                   std::exception_ptr) override {
    if (!token) return;  // lexer errors cannot happen: BAD_CHAR takes every stray character
    Span span{offsets_.Byte(token->getStartIndex()), offsets_.Byte(token->getStopIndex() + 1)};
    std::string text = token->getType() == antlr4::Token::EOF ? "end of file" : "'" + token->getText() + "'";
    if (token->getType() == credo_gen::CredoLexer::BAD_CHAR) {
      errors_.push_back({token->getTokenIndex(), {DiagKind::BadCharacter, span, fmt::format("unexpected character {}", text),
                                                  BadCharHint(token->getText()), {}}});
      return;
    }
    std::vector<std::string> expected;
    if (auto* parser = dynamic_cast<antlr4::Parser*>(recognizer)) expected = Expected(*parser);
    errors_.push_back({token->getTokenIndex(), {DiagKind::SyntaxError, span, fmt::format("unexpected {}", text),
                                                Hint(token->getText(), expected), {}}});
  }

  const std::vector<Error>& errors() const { return errors_; }

 private:
  // What could have come instead, in words an author knows.
  static std::vector<std::string> Expected(antlr4::Parser& parser) {
    std::vector<std::string> out;
    antlr4::misc::IntervalSet set = parser.getExpectedTokens();
    const antlr4::dfa::Vocabulary& vocabulary = parser.getVocabulary();
    for (size_t type : set.toList()) {
      std::string name;
      switch (type) {
        case antlr4::Token::EOF: name = "end of file"; break;
        case credo_gen::CredoLexer::IDENT: name = "a name"; break;
        case credo_gen::CredoLexer::INT: name = "a number"; break;
        case credo_gen::CredoLexer::DECIMAL: name = "a number"; break;
        case credo_gen::CredoLexer::STRING: name = "a \"string\""; break;
        default: name = vocabulary.getDisplayName(type);
      }
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
    return out;
  }

  static bool Has(const std::vector<std::string>& expected, const char* token) {
    return std::find(expected.begin(), expected.end(), token) != expected.end();
  }

  static std::string Hint(const std::string& found, const std::vector<std::string>& expected) {
    if (found == "=" && Has(expected, "'=>'"))
      return "a bin, table entry or rule gives its result with `=>`, e.g. `>= 700 => A`";
    if (found == "=" ) return "compare with `==`; a single `=` only names a value (let x = ...)";
    if (expected.size() == 1 && expected[0] == "'else'") return "expected 'else': every `if ... then ...` needs an `else`";
    if (Has(expected, "'=>'") && expected.size() <= 3) return "expected '=>' before the result, e.g. `when x > 0 => decline`";
    if (Has(expected, "'input'") && Has(expected, "'let'"))
      return "expected the start of a declaration: enum, input, let, const, function, import, rules, scorecard, band, table, decision, "
             "warnings, group, output or rejects";
    // `x in [30, 60, 90)`: a list ends with `]`; only a range (two bounds) may end with `)`.
    if (expected.size() == 1 && expected[0] == "'false'")
      return "a block may start with `missing means false`: a missing condition in it then counts as false";
    if (found == ")" && Has(expected, "']'"))
      return "a list of values ends with `]`; a range has two bounds and may end with `)`: `x in [30, 90)` is 30 "
             "up to but not including 90; for the values themselves write a set: `x in {30, 60, 90}`";
    if (found == "," && Has(expected, "'}'") && Has(expected, "a name"))
      return "fields are separated by new lines, not commas";
    if (expected.empty()) return "check the syntax in docs/language.md";
    if (expected.size() > 8) return "this does not continue what comes before it; check the syntax in docs/language.md";
    std::string list;
    for (size_t i = 0; i < expected.size(); ++i)
      list += (i == 0 ? "" : i + 1 == expected.size() ? " or " : ", ") + expected[i];
    return "expected " + list;
  }

  static std::string BadCharHint(const std::string& c) {
    if (c == ";") return "credo needs no semicolons: separate bins and entries with commas or new lines";
    if (c == "&") return "write `and` for both conditions";
    if (c == "|") return "write `or` for either condition";
    if (c == "'") return "strings use double quotes: \"text\"";
    if (c == "#") return "comments start with //";
    return "credo source uses letters, digits, operators and \"strings\"; comments start with //";
  }

  const OffsetMap& offsets_;
  std::vector<Error> errors_;
};

// Expressions may nest at most kMaxExprDepth levels (docs/language.md). ANTLR parses nested
// expressions by recursion, and every later stage walks the tree recursively too, so a deeper
// expression would overflow the stack. The depth is measured in `expr` nodes of the parse tree
// in two ways while parsing: on entering a node, its depth below the top of its expression
// (that bounds ANTLR's recursion: parentheses, `if`, `not`, call arguments); on leaving one, its
// height (that catches chains such as `a + b + c + ...`, which ANTLR builds in a loop). The
// first node over the limit gets one diagnostic, and the parse stops at the next rule entered:
// the exit events come from ANTLR's cleanup code, which must not throw.
constexpr uint32_t kMaxExprDepth = 256;
static_assert(kMaxExprDepth == 256, "say the new limit in kTooDeepMessage, diagnostic_kinds.def and docs/language.md");
const char* const kTooDeepMessage = "this expression is nested deeper than 256 levels";
const char* const kTooDeepHint =
    "every operator, parenthesis, `if` and call adds a level: compute parts of the expression in `let` values and "
    "combine those";

class DepthLimit : public antlr4::tree::ParseTreeListener {
 public:
  struct Stop {};  // thrown to end the parse; caught in Parse

  DepthLimit(antlr4::Parser& parser, Diagnostics& diags, const OffsetMap& offsets)
      : parser_(parser), diags_(diags), offsets_(offsets) {}

  void visitTerminal(antlr4::tree::TerminalNode*) override {}
  void visitErrorNode(antlr4::tree::ErrorNode*) override {}

  void enterEveryRule(antlr4::ParserRuleContext* ctx) override {
    if (reported_) throw Stop{};
    if (ctx->getRuleIndex() != P::RuleExpr) return;
    uint32_t depth = 0;
    // A node's parent is always a rule context.
    for (auto* node = ctx; node; node = static_cast<antlr4::ParserRuleContext*>(node->parent))
      if (node->getRuleIndex() == P::RuleExpr && ++depth > kMaxExprDepth) {
        Report(parser_.getCurrentToken());
        throw Stop{};
      }
  }

  void exitEveryRule(antlr4::ParserRuleContext* ctx) override {
    if (reported_) return;
    uint32_t height = 0;
    for (antlr4::tree::ParseTree* child : ctx->children)
      if (auto it = heights_.find(child); it != heights_.end()) {
        height = std::max(height, it->second);
        heights_.erase(it);
      }
    // Only the rules that nest expressions in expressions carry a height.
    size_t rule = ctx->getRuleIndex();
    if (rule != P::RuleExpr && rule != P::RulePrimary && rule != P::RuleArgs) return;
    height += rule == P::RuleExpr;
    // Its last token (a chain's link is left before ANTLR sets it: then the last one read).
    if (height > kMaxExprDepth) Report(ctx->getStop() ? ctx->getStop() : parser_.getTokenStream()->LT(-1));
    if (height > 0) heights_[ctx] = height;
  }

  bool reported() const { return reported_; }

 private:
  void Report(antlr4::Token* token) {
    reported_ = true;
    Span span = token ? Span{offsets_.Byte(token->getStartIndex()), offsets_.Byte(token->getStopIndex() + 1)} : Span{};
    diags_.Report(DiagKind::NestingTooDeep, span, kTooDeepMessage, kTooDeepHint);
  }

  antlr4::Parser& parser_;
  Diagnostics& diags_;
  const OffsetMap& offsets_;
  bool reported_ = false;
  std::unordered_map<antlr4::tree::ParseTree*, uint32_t> heights_;  // finished nodes, until their parent
};

// Brackets nested deeper than the limit, found in the tokens before parsing: ANTLR's lookahead
// through nested calls and parentheses costs time in proportion to the nesting at every level,
// so thousands of `f(f(f(...` would take seconds before the DepthLimit listener stops them.
// Every bracket in an expression opens at least one more `expr` level, so this reports nothing
// that the listener would accept. False (and reported) when too deep.
bool CheckBracketDepth(antlr4::CommonTokenStream& tokens, const antlr4::dfa::Vocabulary& vocabulary,
                       Diagnostics& diags, const OffsetMap& offsets) {
  std::vector<int> step(vocabulary.getMaxTokenType() + 1, 0);  // +1 opens, -1 closes
  for (size_t type = 0; type < step.size(); ++type) {
    std::string name = vocabulary.getLiteralName(type);
    step[type] = name == "'('" || name == "'['" ? 1 : name == "')'" || name == "']'" ? -1 : 0;
  }
  tokens.fill();
  uint32_t depth = 0;
  for (antlr4::Token* token : tokens.getTokens()) {
    if (token->getType() >= step.size()) continue;  // EOF
    int s = step[token->getType()];
    if (s < 0 && depth > 0) --depth;
    if (s > 0 && ++depth > kMaxExprDepth) {
      diags.Report(DiagKind::NestingTooDeep, {offsets.Byte(token->getStartIndex()), offsets.Byte(token->getStopIndex() + 1)},
                   kTooDeepMessage, kTooDeepHint);
      return false;
    }
  }
  return true;
}

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

// ANTLR's input stream throws on bytes that are not UTF-8, so the text is checked first. One
// diagnostic for the whole file: the first bad sequence, a few more as notes, and the count.
bool CheckUtf8(const SourceFile& source, Diagnostics& diags) {
  constexpr size_t kShown = 4;
  const std::string& text = source.text();
  std::vector<Span> bad;
  size_t count = 0;
  for (size_t i = 0; i < text.size();) {
    Utf8Unit unit = Utf8At(text, i);
    if (!unit.valid && count++ < kShown) bad.push_back({uint32_t(i), uint32_t(i + unit.size)});
    i += unit.size;
  }
  if (count == 0) return true;
  auto bytes = [&](Span span) {
    std::string out = span.end - span.begin == 1 ? "byte" : "sequence";
    for (uint32_t i = span.begin; i < span.end; ++i) out += fmt::format(" 0x{:02X}", uint8_t(text[i]));
    return out;
  };
  std::string message = fmt::format("invalid UTF-8 {}", bytes(bad[0]));
  if (count > 1) message += fmt::format(" (and {} more invalid sequence{} in the file)", count - 1, count > 2 ? "s" : "");
  bool cut_short = bad[0].end - bad[0].begin > 1;  // the start of a character, without its end
  auto global = [&](Span span) { return Span{span.begin + source.base(), span.end + source.base()}; };
  Diagnostic& d = diags.Report(DiagKind::InvalidUtf8, global(bad[0]), message,
                               cut_short ? "a character is cut short here: type it again, or delete it"
                                         : "credo reads policies as UTF-8: save the file as UTF-8 (an editor set to "
                                           "Latin-1 or Windows-1252 writes accented letters as single bytes)");
  for (size_t i = 1; i < bad.size(); ++i) d.notes.push_back({global(bad[i]), "invalid UTF-8 " + bytes(bad[i])});
  return false;
}

}  // namespace

ParsedPolicy ParseForCheck(const SourceFile& source, Diagnostics& diags) {
  ParsedPolicy out;
  if (!CheckUtf8(source, diags)) return out;
  OffsetMap offsets(source.text(), source.base());
  antlr4::ANTLRInputStream input(source.text());
  credo_gen::CredoLexer lexer(&input);
  antlr4::CommonTokenStream tokens(&lexer);
  credo_gen::CredoParser parser(&tokens);
  ErrorListener listener(offsets);
  lexer.removeErrorListeners();
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);
  if (!CheckBracketDepth(tokens, parser.getVocabulary(), diags, offsets)) return out;
  DepthLimit depth_limit(parser, diags, offsets);
  parser.addParseListener(&depth_limit);
  auto report = [&](const ErrorListener::Error& e) {
    diags.Report(e.diagnostic.kind, e.diagnostic.span, e.diagnostic.message, e.diagnostic.hint);
  };
  P::PolicyContext* tree = nullptr;
  try {
    tree = parser.policy();
  } catch (const DepthLimit::Stop&) {
    for (const auto& e : listener.errors()) report(e);
    return out;
  }
  if (depth_limit.reported()) {
    for (const auto& e : listener.errors()) report(e);
    return out;
  }
  out.complete = listener.errors().empty();
  Recovery recovery;
  if (!out.complete) {
    std::vector<size_t> error_tokens;
    for (const auto& e : listener.errors()) error_tokens.push_back(e.token);
    recovery = Recover(*tree, tokens, error_tokens);
    for (size_t i : recovery.shown) report(listener.errors()[i]);
    if (recovery.header_broken || recovery.import_broken) return out;
  }
  size_t before = diags.error_count();
  Builder builder(offsets, diags);
  auto policy = builder.Build(tree, recovery.trusted);  // every declaration when complete
  // Only slips leave the AST as the author meant it.
  if (diags.error_count() - before != builder.slips()) return out;
  out.policy = std::move(policy);
  if (!out.complete) out.broken_words = std::move(recovery.broken_words);
  return out;
}

std::unique_ptr<ast::Policy> Parse(const SourceFile& source, Diagnostics& diags) {
  size_t before = diags.error_count();
  ParsedPolicy parsed = ParseForCheck(source, diags);
  return diags.error_count() == before ? std::move(parsed.policy) : nullptr;
}

}  // namespace credo
