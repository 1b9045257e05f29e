// symbol_index.h — every declaration of a checked policy with its position, type and doc
// comment, and every use of a name that the checker resolved: what hover, go to definition and
// find references answer from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/check/checker.h"
#include "compiler/syntax/comments.h"

namespace credo::lsp {

enum class DeclKind : uint8_t {
  Enum, EnumValue, Input, Field, Let, Const, Function, Param, RuleSet, Rule, Scorecard, Characteristic,
  Band, Table, DecisionTable, TableRow, TableOutput, Decision, Warnings, Warning, GroupLet,
};
// "input field", "rule set", ... for hovers and completion details.
const char* KindName(DeclKind kind);

struct Declaration {
  DeclKind kind;
  std::string name;
  Span span;             // the name where it is declared (any file of the compilation)
  std::string type;      // "money?", "Grade", ...; "" when it has no value (an enum, a rule) or no known type
  bool optional = false; // its value may be missing
  std::string parent;    // the enum, input, rule set, scorecard or table it belongs to
  std::string title;     // the title written after it, if any
  std::string doc;       // its doc comment (comments.h DocComment)
  int symbol = -1;       // the checker's symbol, if it is one
};

// One occurrence of a name: a use the checker resolved, or a declaration's own name.
struct Use {
  Span span;
  int decl = -1;          // into SymbolIndex::decls; -1 for a member with no declaration (`.fired`)
  bool declaration = false;
  std::string type;       // the type of the expression here (narrowed: `x` after `x is present`)
  std::string label;      // decl == -1: what the name is, e.g. "member `fired` of rule set `knockouts`"
};

class SymbolIndex {
 public:
  std::vector<Declaration> decls;
  std::vector<Use> uses;  // sorted by position

  // The use whose span holds `offset` (its end included, where a cursor stops after a name).
  const Use* At(uint32_t offset) const;
  // Every use of declaration `decl`, its declaration first.
  std::vector<const Use*> UsesOf(int decl) const;
  // The declaration of a checker symbol, or -1.
  int OfSymbol(int symbol) const;
  // The first declaration of `kind` named `name`, or -1.
  int Find(DeclKind kind, const std::string& name) const;

  std::vector<int> symbol_decls;  // per checker symbol
};

SymbolIndex BuildIndex(const check::CheckedPolicy& policy, const SourceFile& source, const std::vector<Comment>& comments);

}  // namespace credo::lsp
