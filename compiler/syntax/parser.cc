// parser.cc — Parse and ParseForCheck (parser.h): UTF-8 checked, ANTLR's errors as diagnostics,
// nesting depth bounded, then the parse tree built into the AST (parser_builder.h).
#include "compiler/syntax/parser.h"

#include "compiler/syntax/parser_builder.h"

namespace credo {
namespace {

using syntax::Builder;
using syntax::OffsetMap;
using syntax::P;

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
