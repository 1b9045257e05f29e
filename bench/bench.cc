// credo-bench — records/second of credo's engines on generated SME portfolios, and the ratio
// to the hand-written C++ version of the same policy when its source is available.
//
//   credo-bench [--rows N] [--repeat R] [--policy FILE] [--hand PATH/hand.cpp] [--keep DIR]
//
// Measures, on the same generated data: compile time (check + lower), eval-only (parsed data in
// memory, group pass included, median of R runs) and end-to-end CSV → CSV (whole run through the
// runner, files on disk). A benchmark, not a test: it prints figures and asserts nothing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "compiler/driver/compile.h"
#include "runtime/exec/runner.h"

namespace fs = std::filesystem;

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Options {
  size_t rows = 1'000'000;
  int repeat = 5;
  std::string policy = CREDO_SOURCE_DIR "/policies/sme-credit-v1.credo";
  std::string hand = CREDO_SOURCE_DIR "/../shared/policies/sme-credit-v1/hand.cpp";
  std::string dir;
};

int Shell(const std::string& command) { return std::system(command.c_str()); }

// Compiles the policy; returns the program and the compile time in seconds.
credo::ir::Program CompilePolicy(const std::string& path, double& seconds) {
  double t0 = Now();
  credo::Compilation c;
  std::string error;
  if (!credo::CompileFile(path, c, error) || !c.ok()) {
    std::fprintf(stderr, "credo-bench: %s does not compile\n%s", path.c_str(),
                 c.source ? c.diagnostics.Render(*c.source).c_str() : error.c_str());
    std::exit(1);
  }
  seconds = Now() - t0;
  return std::move(*c.program);
}

double EvalOnly(credo::rt::Evaluator& ev, const std::vector<credo::rt::InputBatch>& batches, int repeat) {
  std::vector<double> times;
  for (int k = 0; k < repeat; ++k) {
    std::vector<credo::rt::StateBatch> states;
    double t0 = Now();
    credo::exec::EvaluateAll(ev, batches, states);
    times.push_back(Now() - t0);
  }
  return Median(times);
}

double EndToEnd(credo::rt::Evaluator& ev, const std::string& in, const std::string& dir) {
  std::FILE* fin = std::fopen(in.c_str(), "rb");
  std::FILE* fout = std::fopen((dir + "/out.csv").c_str(), "wb");
  std::FILE* frej = std::fopen((dir + "/rejects.csv").c_str(), "wb");
  credo::exec::RunStats stats;
  std::string error;
  double t0 = Now();
  bool ok = credo::exec::RunCsv(ev, fin, fout, frej, {}, stats, error) == credo::exec::RunStatus::Ok;
  std::fclose(fin);
  std::fclose(fout);
  std::fclose(frej);
  double t = Now() - t0;
  if (!ok) std::fprintf(stderr, "credo-bench: run failed: %s\n", error.c_str());
  return t;
}

// Builds and runs hand.cpp; returns {eval-only seconds, whole-process seconds} or {0, 0}.
std::pair<double, double> Hand(const Options& o, const std::string& in, const std::string& dir) {
  if (!fs::exists(o.hand)) return {0, 0};
  std::string exe = dir + "/hand";
  if (Shell(fmt::format("g++ -O3 -march=native -fno-trapping-math -std=c++20 -pthread '{}' -o '{}'", o.hand, exe)) != 0)
    return {0, 0};
  std::string log = dir + "/hand.log";
  double t0 = Now();
  Shell(fmt::format("'{}' --in '{}' --out '{}/hand-out.csv' --rejects '{}/hand-rej.csv' --threads 1 2> '{}'", exe, in, dir, dir, log));
  double whole = Now() - t0;
  Shell(fmt::format("'{}' --in '{}' --out '{}/hand-out.csv' --rejects '{}/hand-rej.csv' --threads 1 --bench-eval {} 2> '{}'",
                    exe, in, dir, dir, o.repeat, log));
  double eval = 0;
  if (std::FILE* f = std::fopen(log.c_str(), "r")) {
    char line[1024];
    while (std::fgets(line, sizeof line, f))
      if (const char* at = std::strstr(line, "eval_median_s=")) eval = std::atof(at + 14);
    std::fclose(f);
  }
  return {eval, whole};
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) { std::fprintf(stderr, "credo-bench: %s needs a value\n", a.c_str()); std::exit(2); }
      return argv[++i];
    };
    if (a == "--rows") o.rows = std::stoull(next());
    else if (a == "--repeat") o.repeat = std::stoi(next());
    else if (a == "--policy") o.policy = next();
    else if (a == "--hand") o.hand = next();
    else if (a == "--keep") o.dir = next();
    else {
      std::printf("usage: credo-bench [--rows N] [--repeat R] [--policy FILE] [--hand hand.cpp] [--keep DIR]\n");
      return a == "--help" ? 0 : 2;
    }
  }
  std::string dir = o.dir.empty() ? (fs::temp_directory_path() / fmt::format("credo-bench-{}", getpid())).string() : o.dir;
  fs::create_directories(dir);
  std::string in = dir + "/input.csv";
  std::printf("credo-bench: %zu generated SME rows, median of %d, 1 thread\n", o.rows, o.repeat);
  if (Shell(fmt::format("'{}' --rows {} --out '{}'", CREDO_GEN, o.rows, in)) != 0) return 3;

  double compile_s = 0;
  credo::ir::Program program = CompilePolicy(o.policy, compile_s);
  std::vector<credo::rt::InputBatch> batches;
  std::string error;
  std::FILE* f = std::fopen(in.c_str(), "rb");
  credo::exec::LoadCsv(program.info, f, 4096, batches, error);
  std::fclose(f);
  size_t records = 0;
  for (auto& b : batches) records += b.rows;

  auto [hand_eval, hand_whole] = Hand(o, in, dir);
  std::printf("\n%-8s %12s %16s %16s %12s %12s\n", "engine", "compile ms", "eval rec/s", "end-to-end rec/s",
              "eval/hand", "e2e/hand");
  for (auto engine : {credo::Engine::Interpreter, credo::Engine::Jit}) {
    double compile_engine = 0;
    double t0 = Now();
    auto ev = credo::MakeEvaluator(program, engine);
    compile_engine = Now() - t0;
    const char* name = engine == credo::Engine::Jit ? "jit" : "interp";
    if (!ev) {
      std::printf("%-8s (not in this build)\n", name);
      continue;
    }
    double eval = EvalOnly(*ev, batches, o.repeat);
    double e2e = EndToEnd(*ev, in, dir);
    std::printf("%-8s %12.2f %16.0f %16.0f %12s %12s\n", name, (compile_s + compile_engine) * 1e3, records / eval,
                o.rows / e2e, hand_eval > 0 ? fmt::format("{:.2f}", hand_eval / eval).c_str() : "-",
                hand_whole > 0 ? fmt::format("{:.2f}", hand_whole / e2e).c_str() : "-");
  }
  if (hand_eval > 0)
    std::printf("%-8s %12s %16.0f %16.0f\n", "hand.cpp", "-", records / hand_eval, o.rows / hand_whole);
  else
    std::printf("hand.cpp: not found at %s (pass --hand PATH to compare)\n", o.hand.c_str());
  if (o.dir.empty()) fs::remove_all(dir);
  return 0;
}
