// parser.h — source text → AST. The only place ANTLR appears; its parse tree never leaves here.
#pragma once

#include <memory>

#include "compiler/ast/ast.h"
#include "compiler/base/diagnostics.h"

namespace credo {

// Parses one policy. Syntax errors are reported to `diags`; the AST is returned only when the
// text parsed without error (a tree repaired by error recovery is not worth checking).
std::unique_ptr<ast::Policy> Parse(const SourceFile& source, Diagnostics& diags);

}  // namespace credo
