#include "compiler/driver/compile.h"

#include <fstream>
#include <sstream>

#include "compiler/interp/interpreter.h"
#include "compiler/jit/jit.h"
#include "compiler/lower/lower.h"
#include "compiler/syntax/parser.h"

namespace credo {

Compilation CompileSource(std::string path, std::string text) {
  Compilation c;
  c.source = std::make_unique<SourceFile>(std::move(path), std::move(text));
  auto ast = Parse(*c.source, c.diagnostics);
  if (!ast) return c;
  c.checked = check::Check(std::move(ast), *c.source, c.diagnostics);
  if (!c.checked) return c;
  ir::Program program = Lower(*c.checked);
  if (std::string why = ir::Verify(program); !why.empty()) {
    // A lowering bug, not the author's: say so plainly rather than run a broken program.
    c.diagnostics.Report(DiagKind::SyntaxError, {}, "internal error: the lowered program is invalid: " + why,
                         "please report this policy to the credo maintainers");
    return c;
  }
  c.program = std::move(program);
  return c;
}

bool CompileFile(const std::string& path, Compilation& out, std::string& error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    error = "cannot read " + path;
    return false;
  }
  std::stringstream text;
  text << file.rdbuf();
  out = CompileSource(path, text.str());
  return true;
}

std::unique_ptr<rt::Evaluator> MakeEvaluator(ir::Program program, Engine engine, std::string* error) {
  if (engine == Engine::Interpreter) return MakeInterpreter(std::move(program));
  std::string why;
  auto evaluator = MakeJitEvaluator(std::move(program), why);
  if (!evaluator && error) *error = "the JIT failed: " + why;
  return evaluator;
}

}  // namespace credo
