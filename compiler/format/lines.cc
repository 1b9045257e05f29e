#include "compiler/format/lines.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace credo::format {
namespace {

bool IsOneOf(const Token& t, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words)
    if (t.Is(w)) return true;
  return false;
}

// A token that can end an operand: what follows it on the same level is a new operand only
// when a new declaration starts.
bool EndsOperand(const Token& t) {
  switch (t.kind) {
    case TokKind::Int:
    case TokKind::Decimal:
    case TokKind::String:
      return true;
    case TokKind::Word:
      return !IsHardKeyword(t.text) || IsOneOf(t, {"true", "false", "missing", "present"});
    case TokKind::Punct:
      return IsOneOf(t, {")", "]", "}", "?"});
    default:
      return false;
  }
}

// Words that open a top-level declaration.
bool IsDeclarationWord(const Token& t) {
  return t.kind == TokKind::Word &&
         IsOneOf(t, {"policy", "library", "enum", "input", "let", "const", "function", "import", "rules", "scorecard",
                     "band", "table", "decision", "warnings", "group", "output", "rejects", "reference"});
}

// Words after which a declaration word is the declaration's name, not a new declaration.
bool NamesNext(const Token& t) {
  return t.kind == TokKind::Word &&
         IsOneOf(t, {"policy", "library", "enum", "input", "let", "const", "function", "rules", "scorecard", "band",
                     "table", "decision", "output", "by", "per", "order", "hit", "reference"});
}

// A token at the end of a line that leaves its expression unfinished.
bool LeavesOpen(const Token& t, bool unary) {
  if (t.kind == TokKind::Word)
    return IsOneOf(t, {"and", "or", "not", "when", "where", "then", "else", "because", "if", "in", "is"});
  if (t.kind != TokKind::Punct) return false;
  if (t.Is("-")) return !unary;
  return IsOneOf(t, {"+", "*", "/", "<", "<=", ">", ">=", "==", "!=", "=", "=>", "->", "??", ":", "|", "(", "[", "."});
}

// A token that cannot start an item, so a line starting with it continues the one above.
bool StartsContinuation(const Token& t) {
  if (t.kind == TokKind::Word) return IsOneOf(t, {"and", "or", "then", "because", "where"});
  return t.kind == TokKind::Punct && IsOneOf(t, {"+", "*", "/", "??", "=>", "->", "|", "."});
}

BlockKind KindOfBlock(const std::vector<Token>& tokens, size_t head, size_t brace, BlockKind outer) {
  if (outer == BlockKind::Scorecard) return BlockKind::Bins;  // a characteristic's bins
  if (outer != BlockKind::Top) return BlockKind::Other;
  const std::string& word = tokens[head].text;
  if (word == "enum") return BlockKind::Enum;
  if (word == "input" || word == "reference") return BlockKind::Input;  // fields, aligned alike
  if (word == "rules") return BlockKind::Rules;
  if (word == "warnings") return BlockKind::Warnings;
  if (word == "scorecard") return BlockKind::Scorecard;
  if (word == "band") return BlockKind::Bins;
  if (word == "decision") return BlockKind::Decision;
  if (word == "group") return BlockKind::Group;
  if (word == "output") return BlockKind::Output;
  if (word == "rejects") return BlockKind::Rejects;
  if (word == "table") {
    for (size_t k = head; k < brace; ++k)
      if (tokens[k].kind == TokKind::Word && tokens[k].Is("hit")) return BlockKind::DecisionTable;
    return BlockKind::Lookup;
  }
  return BlockKind::Other;
}

class Builder {
 public:
  explicit Builder(const std::vector<Token>& tokens) : tokens_(tokens) {
    out_.roles.unary.assign(tokens.size(), false);
    out_.roles.set_brace.assign(tokens.size(), false);
    blocks_.push_back({BlockKind::Top, 0, -1, -1});
  }

  Structure Build() {
    for (size_t i = 0; i < tokens_.size(); ++i) {
      first_in_line_.push_back(StartsLine(i));
      if (first_in_line_.back()) OpenLine(i);
      out_.lines.back().toks.push_back(i);
      Track(i);
    }
    return std::move(out_);
  }

 private:
  struct Block {
    BlockKind kind;
    int id;
    int item_column;  // original column of the block's items (-1 until its first item)
    int last_item;    // the block's latest item line
  };

  bool IsSetBrace(size_t i) const {
    if (blocks_.back().kind == BlockKind::Lookup) return true;
    if (i == 0) return false;
    const Token& p = tokens_[i - 1];
    return p.kind == TokKind::Word ? IsOneOf(p, {"in", "not"}) : p.kind == TokKind::Punct && IsOneOf(p, {"|", ",", "(", "["});
  }

  // A declaration that starts after another on the same line (or one indented by mistake).
  bool StartsDeclaration(size_t i) const {
    if (i == 0 || blocks_.size() != 1 || brackets_ != 0) return false;
    const Token& p = tokens_[i - 1];
    if (p.IsComment()) return IsDeclarationWord(tokens_[i]) && i >= 2 && EndsOperand(tokens_[i - 2]);
    if (p.Is("}") && !out_.roles.set_brace[i - 1] && !tokens_[i].IsComment()) return true;
    return IsDeclarationWord(tokens_[i]) && EndsOperand(p) && !NamesNext(p);
  }

  bool StartsLine(size_t i) const {
    if (i == 0) return true;
    const Token& t = tokens_[i];
    const Token& p = tokens_[i - 1];
    if (p.kind == TokKind::BlockComment && p.end_line > p.line) return true;
    if (t.line > p.end_line) {
      // A block's `{` alone on its line joins its header (braces stay on the header's line).
      bool header_brace = t.Is("{") && !IsSetBrace(i) && !p.IsComment() && !out_.lines.back().comment_only;
      return !header_brace;
    }
    return StartsDeclaration(i);
  }

  void OpenLine(size_t i) {
    const Token& t = tokens_[i];
    Line line;
    line.blank_before = i > 0 && t.line > tokens_[i - 1].end_line + 1;
    line.comment_only = t.IsComment();
    int closing = 0;  // leading `}`: the line belongs to the block they close into
    for (size_t k = i; k < tokens_.size() && tokens_[k].Is("}") && tokens_[k].line == t.line; ++k) ++closing;
    int level = int(blocks_.size()) - 1 - std::min(closing, int(blocks_.size()) - 1);
    Block& block = blocks_[size_t(level)];
    line.depth = level;
    line.block = block.id;
    line.kind = block.kind;
    if (!line.comment_only && closing == 0) {
      bool declaration = StartsDeclaration(i) || (i == 0);
      bool continues = !declaration && block.last_item >= 0 &&
                       (brackets_ > 0 || StartsContinuation(t) ||
                        (last_code_ >= 0 && LeavesOpen(tokens_[size_t(last_code_)], out_.roles.unary[size_t(last_code_)])) ||
                        (block.item_column >= 0 && int(t.column) > block.item_column));
      if (continues) {
        line.continuation = true;
        line.item = block.last_item;
      } else {
        if (block.item_column < 0) block.item_column = int(t.column);
        block.last_item = int(out_.lines.size());
      }
    }
    if (!line.comment_only) {
      bool new_run = line.blank_before || pending_blank_ || line.block != last_block_;
      if (new_run) ++run_;
      pending_blank_ = false;
      last_block_ = line.block;
    } else if (line.blank_before) {
      pending_blank_ = true;
    }
    line.run = run_;
    out_.lines.push_back(std::move(line));
  }

  void Track(size_t i) {
    const Token& t = tokens_[i];
    if (t.IsComment()) return;
    if (t.Is("-")) out_.roles.unary[i] = last_code_ < 0 || NegatesAfter(size_t(last_code_));
    if (t.Is("(") || t.Is("[")) ++brackets_;
    if ((t.Is(")") || t.Is("]")) && brackets_ > 0) --brackets_;
    if (t.Is("{")) {
      bool set = IsSetBrace(i);
      out_.roles.set_brace[i] = set;
      braces_.push_back(set);
      if (set) {
        ++brackets_;
      } else {
        Block& outer = blocks_.back();
        size_t head = outer.last_item >= 0 ? out_.lines[size_t(outer.last_item)].toks.front() : i;
        if (tokens_[head].IsComment()) head = i;
        blocks_.push_back({KindOfBlock(tokens_, head, i, outer.kind), ++block_ids_, -1, -1});
        saved_brackets_.push_back(brackets_);
        brackets_ = 0;
      }
    }
    if (t.Is("}") && !braces_.empty()) {
      bool set = braces_.back();
      braces_.pop_back();
      out_.roles.set_brace[i] = set;
      if (set) {
        if (brackets_ > 0) --brackets_;
      } else if (blocks_.size() > 1) {
        blocks_.pop_back();
        brackets_ = saved_brackets_.back();
        saved_brackets_.pop_back();
      }
    }
    last_code_ = int(i);
  }

  // Whether a `-` after token `p` is a sign: after an operator, an opening bracket, a keyword,
  // or a scorecard word that takes a number (`baseline -5`, `weight -0.3`).
  bool NegatesAfter(size_t p) const {
    const Token& t = tokens_[p];
    if (t.kind == TokKind::Punct) return !IsOneOf(t, {")", "]", "}", "?"});
    if (t.kind != TokKind::Word) return false;
    if (IsHardKeyword(t.text)) return !IsOneOf(t, {"true", "false", "missing", "present"});
    if (!IsOneOf(t, {"baseline", "intercept", "scaling", "odds", "pdo", "weight"})) return false;
    if (first_in_line_[p]) return true;  // first on its line: an item word
    return p > 0 && EndsOperand(tokens_[p - 1]);  // after the characteristic's subject or a number
  }

  const std::vector<Token>& tokens_;
  Structure out_;
  std::vector<Block> blocks_;
  std::vector<bool> braces_;  // open braces: set (true) or block
  std::vector<int> saved_brackets_;
  std::vector<bool> first_in_line_;
  int brackets_ = 0;          // open ( [ and set braces in the current block
  int last_code_ = -1;
  int block_ids_ = 0;
  int run_ = 0;
  int last_block_ = -1;
  bool pending_blank_ = false;
};

}  // namespace

Structure BuildLines(const std::vector<Token>& tokens) { return Builder(tokens).Build(); }

}  // namespace credo::format
