// differential_run.cc — RunDifferential (one policy, the interpreter and the JIT at several batch
// sizes and thread counts, byte for byte), and saving and reading a case (policy_gen.h).
#include "policy_gen.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "compiler/driver/compile.h"
#include "compiler/driver/reference_data.h"
#include "compiler/syntax/imports.h"
#include "runtime/exec/runner.h"

namespace credo::diff {

namespace {

struct RunText {
  std::string out, rejects;
};

RunText RunOnce(rt::Evaluator& ev, const std::string& csv, size_t batch_rows, size_t threads) {
  exec::RunOptions options;
  options.batch_rows = batch_rows;
  options.threads = threads;
  exec::TextRun run = exec::RunCsvText(ev, csv, options);
  std::string out = run.out;
  for (size_t k = 0; k < run.group_outputs.size(); ++k)  // per-group outputs compare as part of the output
    out += "--- per-group output " + std::to_string(k) + " ---\n" + run.group_outputs[k];
  return {run.status == exec::RunStatus::Ok ? out : "error: " + run.error, run.rejects};
}

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

// The first line where `a` and `b` differ, both versions.
std::string FirstDifference(const std::string& a, const std::string& b) {
  std::istringstream x(a), y(b);
  std::string la, lb;
  for (int line = 1;; ++line) {
    bool ha = bool(std::getline(x, la)), hb = bool(std::getline(y, lb));
    if (!ha && !hb) return "(equal)";
    if (!ha || !hb || la != lb)
      return fmt::format("line {}:\n    {}\n    {}", line, ha ? la : "<end>", hb ? lb : "<end>");
  }
}

DiffOutcome RunDifferential(const std::string& policy, const std::string& csv, const std::vector<size_t>& batch_sizes,
                            const std::vector<size_t>& threads,
                            const std::vector<std::pair<std::string, std::string>>& references) {
  DiffOutcome o;
  auto start = std::chrono::steady_clock::now();
  Compilation c = CompileSource("policy.credo", policy);
  o.check_seconds = Since(start);
  if (!c.ok()) {
    o.diagnostics = c.diagnostics.Render(*c.source);
    return o;
  }
  o.instructions = c.program->code.size();
  o.group_instructions = c.program->group_code.size();
  {
    std::map<std::string, size_t> ops;
    for (const auto* code : {&c.program->code, &c.program->group_code})
      for (const auto& in : *code) ++ops[ir::OpName(in.op)];
    o.ops.assign(ops.begin(), ops.end());
  }
  std::shared_ptr<const rt::References> refs;
  if (!c.program->references.empty()) {
    o.references = true;
    std::string ref_rejects, error;
    refs = LoadReferenceTexts(*c.program, {references.begin(), references.end()}, &ref_rejects, error);
    if (!refs) {
      o.diagnostics = "the reference data did not load: " + error;
      return o;
    }
  }
  auto interp = MakeEvaluator(*c.program, Engine::Interpreter);
  interp->SetReferences(refs);
  start = std::chrono::steady_clock::now();
  std::string error;
  auto jit = MakeEvaluator(std::move(*c.program), Engine::Jit, &error);
  o.jit_seconds = Since(start);
  o.compiled = true;
  if (!jit) {
    o.agree = false;
    o.detail = "the JIT failed to compile: " + error;
    return o;
  }
  jit->SetReferences(refs);
  start = std::chrono::steady_clock::now();
  for (int engine = 0; engine < 2; ++engine) {
    rt::Evaluator& ev = engine == 0 ? *interp : *jit;
    const char* name = engine == 0 ? "interp" : "jit";
    for (size_t b : batch_sizes) {
      RunText r = RunOnce(ev, csv, b, 1);
      o.runs.push_back({fmt::format("{}-batch{}", name, b), std::move(r.out), std::move(r.rejects)});
    }
    for (size_t t : threads) {
      if (t <= 1 || batch_sizes.empty()) continue;
      RunText r = RunOnce(ev, csv, batch_sizes[0], t);
      o.runs.push_back({fmt::format("{}-batch{}-threads{}", name, batch_sizes[0], t), std::move(r.out), std::move(r.rejects)});
    }
  }
  o.run_seconds = Since(start);
  const EngineOutput& ref = o.runs[0];
  for (size_t i = 1; i < o.runs.size(); ++i) {
    const EngineOutput& run = o.runs[i];
    if (run.out != ref.out) {
      o.agree = false;
      o.detail += fmt::format("output of {} differs from {} at {}\n", run.name, ref.name, FirstDifference(ref.out, run.out));
    }
    if (run.rejects != ref.rejects) {
      o.agree = false;
      o.detail += fmt::format("rejects of {} differ from {} at {}\n", run.name, ref.name, FirstDifference(ref.rejects, run.rejects));
    }
  }
  return o;
}

std::vector<std::pair<std::string, std::string>> ReadReferences(const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string file = entry.path().filename().string();
    if (file.rfind("ref-", 0) != 0 || file.size() < 8 || file.substr(file.size() - 4) != ".csv") continue;
    std::string text;
    if (ReadFile(entry.path().string(), text)) out.push_back({file.substr(4, file.size() - 8), text});
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool ReadFile(const std::string& path, std::string& text) {
  std::string error;
  return ReadSourceFile(path, text, error);
}

std::string SaveCase(const std::string& dir, const std::string& policy, const std::string& csv,
                     const DiffOutcome& outcome, const std::string& note,
                     const std::vector<std::pair<std::string, std::string>>& references) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot create " + dir + ": " + ec.message();
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream f(dir + "/" + name, std::ios::binary);
    f << text;
    return bool(f);
  };
  bool ok = write("policy.credo", policy) && write("input.csv", csv);
  for (const auto& [name, text] : references) ok = ok && write("ref-" + name + ".csv", text);
  for (const auto& run : outcome.runs) ok = ok && write(run.name + ".out.csv", run.out) && write(run.name + ".rejects.csv", run.rejects);
  ok = ok && write("README.txt", note + "\n\n" + outcome.detail);
  return ok ? "" : "cannot write into " + dir;
}

}  // namespace credo::diff
