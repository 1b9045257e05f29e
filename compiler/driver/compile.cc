#include "compiler/driver/compile.h"

#include <fstream>
#include <mutex>
#include <unordered_map>
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
  program.hash = ir::Hash(program);
  c.program = std::move(program);
  return c;
}

std::shared_ptr<const Compilation> CompileCached(const std::string& path, const std::string& text) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::shared_ptr<const Compilation>> cache;
  uint64_t h = 1469598103934665603ull;  // FNV-1a over path and text
  for (unsigned char c : path + '\0' + text) h = (h ^ c) * 1099511628211ull;
  std::string key = std::to_string(h) + ":" + std::to_string(text.size());
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = cache.find(key); it != cache.end() && it->second->source->text() == WithoutBom(text)) return it->second;
  auto compiled = std::make_shared<const Compilation>(CompileSource(path, text));
  cache[key] = compiled;
  return compiled;
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
