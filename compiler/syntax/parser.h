// parser.h — source text → AST. The only place ANTLR appears; its parse tree never leaves here.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "compiler/ast/ast.h"
#include "compiler/base/diagnostics.h"

namespace credo {

// Parses one policy. Syntax errors are reported to `diags` as ParseForCheck reports them; the
// AST is returned only when the text parsed without error.
std::unique_ptr<ast::Policy> Parse(const SourceFile& source, Diagnostics& diags);

// A parse for checking: what is safe to check even when the text has errors.
struct ParsedPolicy {
  // Null when nothing is safe to check (a broken header or import, a bad literal, too deep a
  // nesting); else the header and the declarations that parsed cleanly.
  std::unique_ptr<ast::Policy> policy;
  // Every declaration is in `policy`. The parse may still have reported errors: slips such as
  // `=` for `==` (compiler/syntax/slips.h), which the AST holds as what was meant.
  bool complete = false;
  // When not complete: every name-like word of the declarations left out, so that a use of a
  // name declared there is not reported as unknown (compiler/check/partial.h).
  std::set<std::string> broken_words;
};

// Parses one policy as Parse does, and reports only the first syntax error of each declaration
// (the others are usually its cascade); see compiler/syntax/recovery.h for which declarations
// are kept.
ParsedPolicy ParseForCheck(const SourceFile& source, Diagnostics& diags);

}  // namespace credo
