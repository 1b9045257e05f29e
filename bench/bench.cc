// credo-bench — records/second of credo's engines on generated SME portfolios, and the ratio
// to the hand-written C++ version of the same policy when its source is available.
//
//   credo-bench [--rows N] [--repeat R] [--e2e-repeat E] [--policy FILE] [--hand PATH/hand.cpp] [--keep DIR]
//               [--engine jit|interp]
//
// Measures, on the same generated data: compile time (check + lower), eval-only (parsed data in
// memory, group pass included) and end-to-end CSV → CSV (whole run through the runner, files on
// disk), each the best of R runs, as is hand.cpp: on a shared machine the best run is the one
// least disturbed by others. A benchmark, not a test: it prints figures and asserts nothing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "cli/options.h"
#include "compiler/driver/compile.h"
#include "compiler/jit/jit.h"
#include "runtime/exec/runner.h"

namespace fs = std::filesystem;

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double Best(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

struct Options {
  size_t rows = 1'000'000;
  int repeat = 5;
  int e2e_repeat = 3;
  std::string policy = CREDO_SOURCE_DIR "/policies/sme-credit-v1.credo";
  std::string hand = CREDO_SOURCE_DIR "/../shared/policies/sme-credit-v1/hand.cpp";
  std::string dir;
  std::string engine;  // empty: both
};

int Shell(const std::string& command) { return std::system(command.c_str()); }

double EvalOnly(credo::rt::Evaluator& ev, const std::vector<credo::rt::InputBatch>& batches, int repeat, size_t threads) {
  std::vector<double> times;
  std::vector<credo::rt::StateBatch> states;  // reused, as a service reuses its buffers
  for (int k = 0; k < repeat; ++k) {
    double t0 = Now();
    credo::exec::EvaluateAll(ev, batches, states, threads);
    times.push_back(Now() - t0);
  }
  return Best(times);
}

double EndToEnd(credo::rt::Evaluator& ev, const std::string& in, const std::string& dir, size_t threads) {
  std::FILE* fin = std::fopen(in.c_str(), "rb");
  std::FILE* fout = std::fopen((dir + "/out.csv").c_str(), "wb");
  std::FILE* frej = std::fopen((dir + "/rejects.csv").c_str(), "wb");
  credo::exec::RunStats stats;
  std::string error;
  double t0 = Now();
  credo::exec::RunOptions options;
  options.threads = threads;
  options.map_input = true;  // as credo run does
  bool ok = credo::exec::RunCsv(ev, fin, fout, frej, options, stats, error) == credo::exec::RunStatus::Ok;
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
  for (int k = 1; k < o.e2e_repeat; ++k) {
    t0 = Now();
    Shell(fmt::format("'{}' --in '{}' --out '{}/hand-out.csv' --rejects '{}/hand-rej.csv' --threads 1 2> '{}'", exe, in, dir, dir, log));
    whole = std::min(whole, Now() - t0);
  }
  Shell(fmt::format("'{}' --in '{}' --out '{}/hand-out.csv' --rejects '{}/hand-rej.csv' --threads 1 --bench-eval {} 2> '{}'",
                    exe, in, dir, dir, o.repeat, log));
  double eval = 0;
  if (std::FILE* f = std::fopen(log.c_str(), "r")) {
    char line[1024];
    while (std::fgets(line, sizeof line, f))
      if (const char* at = std::strstr(line, "eval_min_s=")) eval = std::atof(at + 11);
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
    auto count = [&](uint64_t min, uint64_t max) {
      std::string why;
      auto n = credo::cli::ParseCount(a, next(), min, max, why);
      if (!n) { std::fprintf(stderr, "credo-bench: %s\n", why.c_str()); std::exit(2); }
      return *n;
    };
    if (a == "--rows") o.rows = count(1, 1'000'000'000);
    else if (a == "--repeat") o.repeat = int(count(1, 1000));
    else if (a == "--e2e-repeat") o.e2e_repeat = int(count(1, 1000));
    else if (a == "--policy") o.policy = next();
    else if (a == "--hand") o.hand = next();
    else if (a == "--keep") o.dir = next();
    else if (a == "--engine" && (o.engine = next()) != "jit" && o.engine != "interp") {
      std::fprintf(stderr, "credo-bench: --engine is jit or interp, not '%s'\n", o.engine.c_str());
      return 2;
    } else if (a == "--engine") {
    } else {
      std::printf("usage: credo-bench [--rows N] [--repeat R] [--e2e-repeat E] [--policy FILE] [--hand hand.cpp] [--keep DIR] [--engine jit|interp]\n"
                  "  eval figures are the best of R runs (default 5), end-to-end the best of E (default 3)\n"
                  "  --engine: measure only that engine (default both)\n");
      return a == "--help" ? 0 : 2;
    }
  }
  std::string dir = o.dir.empty() ? (fs::temp_directory_path() / fmt::format("credo-bench-{}", getpid())).string() : o.dir;
  fs::create_directories(dir);
  std::string in = dir + "/input.csv";
  std::printf("credo-bench: %zu generated SME rows; eval best of %d runs, end-to-end best of %d\n", o.rows, o.repeat,
              o.e2e_repeat);
  if (Shell(fmt::format("'{}' --rows {} --out '{}'", CREDO_GEN, o.rows, in)) != 0) return 3;

  // Compile times: the first compile in the process (cold) and a reload of the same text (cached).
  std::string text;
  {
    std::FILE* pf = std::fopen(o.policy.c_str(), "rb");
    char chunk[65536];
    for (size_t got; pf && (got = std::fread(chunk, 1, sizeof chunk, pf)) > 0;) text.append(chunk, got);
    if (pf) std::fclose(pf);
  }
  double t0 = Now();
  auto compiled = credo::CompileCached(o.policy, text);
  double front_cold = Now() - t0;
  if (!compiled->ok()) {
    std::fprintf(stderr, "credo-bench: %s does not compile\n%s", o.policy.c_str(),
                 compiled->diagnostics.Render(*compiled->source).c_str());
    return 1;
  }
  const credo::ir::Program& program = *compiled->program;
  credo::JitStats cold, cached;
  std::string error;
  t0 = Now();
  auto jit = credo::MakeJitEvaluator(program, error, &cold);
  double jit_cold = Now() - t0;
  t0 = Now();
  auto reloaded = credo::CompileCached(o.policy, text);
  auto jit_again = credo::MakeJitEvaluator(*reloaded->program, error, &cached);
  double reload = Now() - t0;
  std::printf("compile: check+lower %.2f ms, JIT %.2f ms (%zu kernel functions); cold total %.2f ms\n",
              front_cold * 1e3, jit_cold * 1e3, cold.functions, (front_cold + jit_cold) * 1e3);
  std::printf("reload of the unchanged policy (check+compile cached): %.3f ms (JIT cache hit: %s)\n", reload * 1e3,
              cached.cached ? "yes" : "no");

  std::vector<credo::rt::InputBatch> batches;
  std::FILE* f = std::fopen(in.c_str(), "rb");
  credo::exec::LoadCsv(program.info, f, 4096, batches, error);
  std::fclose(f);
  size_t records = 0;
  for (auto& b : batches) records += b.rows;

  size_t cores = std::max(1u, std::thread::hardware_concurrency());
  auto [hand_eval, hand_whole] = Hand(o, in, dir);
  std::printf("\n%-8s %8s %14s %18s %10s %10s\n", "engine", "threads", "eval rec/s", "end-to-end rec/s", "eval/hand",
              "e2e/hand");
  std::vector<double> interp_eval;
  for (auto engine : {credo::Engine::Interpreter, credo::Engine::Jit}) {
    auto ev = credo::MakeEvaluator(program, engine, &error);
    const char* name = engine == credo::Engine::Jit ? "jit" : "interp";
    if (!o.engine.empty() && o.engine != name) continue;
    if (!ev) {
      std::printf("%-8s %s\n", name, error.c_str());
      continue;
    }
    for (size_t threads : {size_t(1), cores}) {
      if (threads == cores && cores == 1 && engine == credo::Engine::Jit) break;
      double eval = EvalOnly(*ev, batches, o.repeat, threads);
      double e2e = EndToEnd(*ev, in, dir, threads);
      for (int k = 1; k < o.e2e_repeat; ++k) e2e = std::min(e2e, EndToEnd(*ev, in, dir, threads));
      if (engine == credo::Engine::Interpreter) interp_eval.push_back(eval);
      std::printf("%-8s %8zu %14.0f %18.0f %10s %10s", name, threads, records / eval, o.rows / e2e,
                  hand_eval > 0 && threads == 1 ? fmt::format("{:.2f}", hand_eval / eval).c_str() : "-",
                  hand_whole > 0 && threads == 1 ? fmt::format("{:.2f}", hand_whole / e2e).c_str() : "-");
      if (engine == credo::Engine::Jit && interp_eval.size() >= 1)
        std::printf("   (eval %.1fx the interpreter)", interp_eval[threads == 1 ? 0 : interp_eval.size() - 1] / eval);
      std::printf("\n");
      if (cores == 1) break;
    }
  }
  if (hand_eval > 0)
    std::printf("%-8s %8d %14.0f %18.0f\n", "hand.cpp", 1, records / hand_eval, o.rows / hand_whole);
  else
    std::printf("hand.cpp: not found at %s (pass --hand PATH to compare)\n", o.hand.c_str());
  if (o.dir.empty()) fs::remove_all(dir);
  return 0;
}
