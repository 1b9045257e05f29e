// imports.h — `import "path.credo"`: loads the libraries a policy imports (and those they
// import), parses each as one more file of the compilation, checks what a library may declare,
// and merges their declarations into the policy (docs/language.md, "Libraries and import").
#pragma once

#include <functional>
#include <string>

#include "compiler/ast/ast.h"
#include "compiler/base/diagnostics.h"

namespace credo {

// Reads a file's bytes; false (with `error` set to why) when it cannot. Replaceable in tests.
using FileReader = std::function<bool(const std::string& path, std::string& text, std::string& error)>;
bool ReadSourceFile(const std::string& path, std::string& text, std::string& error);

// Resolves every import of `policy` (parsed from `main`), transitively: each imported file is
// attached to `main` (so that diagnostics inside it show its own path, line and column), and its
// declarations are appended to `policy`'s (policy.imported_from marks where they start). Paths
// are relative to the importing file. Reports unreadable files (E0006), cycles (E0007), imports
// of policies (E0008), what a library may not declare (E0009) and names declared in two files
// (E0171). A policy file that is itself a library is reported too (E0008).
void ResolveImports(ast::Policy& policy, SourceFile& main, Diagnostics& diags,
                    const FileReader& read = ReadSourceFile);

}  // namespace credo
