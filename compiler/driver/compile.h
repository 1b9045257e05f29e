// compile.h — the whole front end in one call: source → diagnostics, checked policy, program.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "compiler/base/diagnostics.h"
#include "compiler/check/checker.h"
#include "compiler/ir/ir.h"
#include "compiler/lower/lower.h"
#include "runtime/core/evaluator.h"

namespace credo {

struct Compilation {
  std::unique_ptr<SourceFile> source;
  Diagnostics diagnostics;
  std::optional<check::CheckedPolicy> checked;  // set when the policy checked clean
  std::optional<ir::Program> program;           // set when it lowered (and verified)
  bool ok() const { return program.has_value(); }
};

// Compiles policy text; `path` is used in diagnostics.
Compilation CompileSource(std::string path, std::string text);
// With lowering options: `options.probes` fills Program::probes (their text from this source);
// the program's hash is the one it has without probes.
Compilation CompileSource(std::string path, std::string text, LowerOptions options);
// Like CompileSource, but an unchanged text (same path and bytes) is compiled only once per
// process: reloading a policy that did not change costs a hash of its text.
std::shared_ptr<const Compilation> CompileCached(const std::string& path, const std::string& text);

// Reads and compiles a file; an unreadable file returns false with `error` set.
bool CompileFile(const std::string& path, Compilation& out, std::string& error);
bool CompileFile(const std::string& path, Compilation& out, std::string& error, const LowerOptions& options);

enum class Engine { Interpreter, Jit };
// The evaluator for `engine`; null (with `error` set) when the JIT cannot compile.
std::unique_ptr<rt::Evaluator> MakeEvaluator(ir::Program program, Engine engine, std::string* error = nullptr);

}  // namespace credo
