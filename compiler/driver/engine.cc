// engine.cc — MakeEvaluator, apart from compile.cc so that the front end links without LLVM.
#include "compiler/driver/compile.h"
#include "compiler/interp/interpreter.h"
#include "compiler/jit/jit.h"

namespace credo {

std::unique_ptr<rt::Evaluator> MakeEvaluator(ir::Program program, Engine engine, std::string* error) {
  if (engine == Engine::Interpreter) return MakeInterpreter(std::move(program));
  std::string why;
  auto evaluator = MakeJitEvaluator(std::move(program), why);
  if (!evaluator && error) *error = "the JIT failed: " + why;
  return evaluator;
}

}  // namespace credo
