// jit.h — ir::Program → Evaluator compiled to native code with LLVM ORC (LLJIT).
//
// LLVM appears only inside compiler/jit; this header names none of it.
#pragma once

#include <memory>
#include <string>

#include "compiler/ir/ir.h"
#include "runtime/core/evaluator.h"

namespace credo {

struct JitStats {
  double compile_seconds = 0;  // building, optimising and linking the native code
  bool cached = false;         // the code came from the compile cache
  size_t functions = 0;        // kernel functions the program was split into
};

// Compiles `program` (or takes it from the in-memory compile cache, keyed by the program's
// hash, the engine version and the host CPU). Returns null with `error` set when LLVM fails.
std::unique_ptr<rt::Evaluator> MakeJitEvaluator(ir::Program program, std::string& error,
                                                JitStats* stats = nullptr);

// The version of the code generator ("credo-jit-3"): the same program and version give the same
// native code, so it keys the compile cache and names the engine in the embedding API.
const char* JitEngineVersion();

// The LLVM IR of `program`'s kernels after optimisation (for `credo check --dump=llvm`).
std::string DumpLlvm(const ir::Program& program);

}  // namespace credo
