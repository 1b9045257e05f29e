// collect.h — how Collect (doc.h) walks a checked policy: one Collector, whose parts are defined
// one concern per file (collect.cc: the frame, header, input, values, outputs; collect_logic.cc:
// rules, decision, warnings, group pass; collect_scoring.cc: scorecards, bands, tables).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/check/checker.h"
#include "compiler/doc/model.h"
#include "compiler/syntax/comments.h"

namespace credo::doc {

class Collector {
 public:
  Collector(const check::CheckedPolicy& policy, const SourceFile& source, uint64_t hash);
  Document Build();

 private:
  // --- the policy's parts (each appends its section or blocks to the current section) ---
  void Header();
  std::string Summary() const;  // what the policy is made of, in one line
  void Input(const ast::InputDecl& input);
  void Reference(const ast::ReferenceDecl& ref);
  void Values(const std::vector<int>& lets, const std::vector<int>& functions);
  void Output(const ast::OutputBlock& output, bool per_group);
  void Rejects(const ast::RejectsBlock& rejects);
  void Enums();
  void SignOff();
  void RuleSet(const ast::RuleSet& rules);
  void Decision(const ast::Decision& decision);
  void Warnings(const ast::WarningsBlock& warnings);
  void Group(const ast::GroupBlock& group);
  void Scorecard(int index);
  void Band(int index);
  void LookupTable(const ast::Table& table);
  void DecisionTable(const ast::DecisionTable& table);

  // --- helpers shared by the parts ---
  // Starts a section for one declaration (level 3 under an author's heading, else 2).
  Section& Open(std::string title, std::string code);
  void Add(Block block) { current().blocks.push_back(std::move(block)); }
  void Paragraph(Inline text) { Add({Block::Paragraph, std::move(text), {}, {}}); }
  void Facts(std::vector<Fact> facts) { Add({Block::Facts, {}, std::move(facts), {}}); }
  // Adds a table without the columns that are empty in every row (a policy with no notes has no
  // Notes column); a form to fill in keeps its blank columns.
  void Grid(Table table);
  // The note the author wrote for the block starting at `at` (its doc comment and the comment
  // at the end of its first line), as a Note block; nothing when there is none.
  void DocNote(uint32_t at);
  Section& current();

  // The source text of `span` as written; continuation lines lose the indentation they share
  // with the first one.
  std::string Source(Span span) const;
  Inline Code(Span span) const { return doc::Code(Source(span)); }
  Inline Code(const ast::Expr& expr) const { return Code(expr.span); }
  // The author's doc comment above the declaration at `at`, as prose ("" for none).
  std::string CommentAbove(uint32_t at) const;
  // The comments at the end of the line where an item ending at `end` ends, before `next` (where
  // the next item on the line starts: a comment after several items is the last one's).
  std::string CommentAfter(uint32_t end, uint32_t next = UINT32_MAX) const;
  // Both: the note of a declaration that starts at `at` and ends at `end`.
  std::string NoteOf(uint32_t at, uint32_t end, uint32_t next = UINT32_MAX) const;
  // The note of an item inside a block that starts at `owner` ("" for an item on the block's
  // first line, whose comments are the block's own).
  std::string ItemNote(uint32_t owner, uint32_t at, uint32_t end, uint32_t next = UINT32_MAX) const;
  std::string TypeName(const Type& type) const { return check::TypeName(type, policy_.enums); }
  const check::Symbol* SymbolNamed(const std::string& name) const;
  const check::Symbol* SymbolOf(check::SymbolKind kind, int decl) const;
  // A reject reason as this policy writes it: its `rejects` text for `kind` (with `{key}`
  // replaced by `value`), else the standard reason.
  std::string RejectText(const std::string& kind, const std::string& key, const std::string& value,
                         const std::string& standard) const;
  const std::vector<Comment>& CommentsOf(const SourceFile& file) const;

  const check::CheckedPolicy& policy_;
  const ast::Policy& ast_;
  const SourceFile& source_;
  const std::string hash_;  // the program's hash as shown: 16 hex digits
  mutable std::map<const SourceFile*, std::vector<Comment>> comments_;
  Document doc_;
  bool under_heading_ = false;  // an author's heading (a banner comment) is open
  std::map<std::string, int> ids_;
};

// Comment text without its `//` or `/* */`, and a banner's rule of dashes: "" when nothing
// else is left.
std::string CommentBody(const Comment& comment);
// The heading an author's banner comment (`// ---- 4. Knockouts ----`) gives, or "".
std::string BannerTitle(const Comment& comment);

}  // namespace credo::doc
