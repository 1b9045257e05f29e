// credo-bench-scorecard — records/second of both engines on a generated scaled (WOE) scorecard:
// 20 characteristics of 5 bins each (a missing bin among them), the points table computed by the
// compiler, score, odds, PD and 4 reason codes per record.
//
//   credo-bench-scorecard [--rows N] [--repeat R] [--characteristics C] [--rounding per_bin|total|none|points]
//
// `--rounding points` runs the same bins as a point scorecard, for comparison.
//
// Eval-only (parsed records in memory), the best of R runs, on 1 thread and on every core. A
// benchmark, not a test: it prints figures and asserts nothing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "cli/options.h"
#include "compiler/driver/compile.h"
#include "runtime/exec/runner.h"

namespace fs = std::filesystem;

namespace {

double Now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

uint64_t Mix(uint64_t x) {  // splitmix64: the same data on every run
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// rounding "points": the same scorecard as a point scorecard (whole points, no scaling), to
// compare; its decision uses the score instead of the PD.
std::string Policy(int chars, const std::string& rounding) {
  bool points = rounding == "points";
  std::string p = "policy woe_bench version \"1\"\n\nenum Decision { APPROVE, DECLINE }\n\ninput Applicant {\n  id: string\n";
  for (int c = 1; c <= chars; ++c) p += fmt::format("  f{:02}: {}\n", c, c % 3 == 0 ? "number?" : "int?");
  p += "}\n\nscorecard app \"Generated WOE scorecard\" {\n";
  p += points ? "  baseline 100\n  reasons 4\n" : "  scaling 600 at odds 50 pdo 20\n  intercept -1.35\n  rounding " + rounding + "\n  reasons 4\n";
  for (int c = 1; c <= chars; ++c) {
    double w = 0.3 + 0.05 * c;
    if (points)
      p += fmt::format("  C{:02} f{:02} {{ missing => -3, < {} => -9, [{}, {}) => -2, [{}, {}) => 1, >= {} => 5 }}\n", c, c,
                       c % 3 ? "20" : "0.2", c % 3 ? "20" : "0.2", c % 3 ? "40" : "0.4", c % 3 ? "40" : "0.4",
                       c % 3 ? "70" : "0.7", c % 3 ? "70" : "0.7");
    else if (c % 3 == 0)
      p += fmt::format("  C{:02} f{:02} weight {:.2f} {{ missing => -0.20, < 0.2 => -0.80, [0.2, 0.4) => -0.25, [0.4, 0.7) => 0.15, >= 0.7 => 0.60 }}\n", c, c, w);
    else
      p += fmt::format("  C{:02} f{:02} weight {:.2f} {{ missing => -0.30, < 20 => -0.90, [20, 40) => -0.20, [40, 70) => 0.10, >= 70 => 0.55 }}\n", c, c, w);
  }
  p += points ? "}\n\ndecision: Decision {\n  app.score >= 100 => APPROVE\n  else => DECLINE\n}\n\n"
                : "}\n\ndecision: Decision {\n  app.pd < 0.5 => APPROVE\n  else => DECLINE\n}\n\n";
  p += std::string("output { id, decision, score = app.score, ") + (points ? "" : "pd = app.pd, ") + "r1 = app.reason(1), r2 = app.reason(2), r3 = app.reason(3), r4 = app.reason(4) }\n";
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  size_t rows = 1'000'000;
  int repeat = 5, chars = 20;
  std::string rounding = "per_bin";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) { std::fprintf(stderr, "credo-bench-scorecard: %s needs a value\n", a.c_str()); std::exit(2); }
      return argv[++i];
    };
    auto count = [&](uint64_t min, uint64_t max) {
      std::string why;
      auto n = credo::cli::ParseCount(a, next(), min, max, why);
      if (!n) { std::fprintf(stderr, "credo-bench-scorecard: %s\n", why.c_str()); std::exit(2); }
      return *n;
    };
    if (a == "--rows") rows = count(1, 100'000'000);
    else if (a == "--repeat") repeat = int(count(1, 1000));
    else if (a == "--characteristics") chars = int(count(1, 60));
    else if (a == "--rounding") rounding = next();
    else {
      std::printf("usage: credo-bench-scorecard [--rows N] [--repeat R] [--characteristics C] [--rounding per_bin|total|none|points]\n");
      return a == "--help" ? 0 : 2;
    }
  }
  std::string text = Policy(chars, rounding);
  double t0 = Now();
  credo::Compilation c = credo::CompileSource("woe_bench.credo", text);
  double front = Now() - t0;
  if (!c.ok()) {
    std::fprintf(stderr, "%s%s", text.c_str(), c.diagnostics.Render(*c.source).c_str());
    return 1;
  }
  std::string path = (fs::temp_directory_path() / fmt::format("credo-bench-scorecard-{}.csv", getpid())).string();
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::string header = "id";
    for (int k = 1; k <= chars; ++k) header += fmt::format(",f{:02}", k);
    std::fprintf(f, "%s\n", header.c_str());
    std::string line;
    for (size_t r = 0; r < rows; ++r) {
      line = fmt::format("a{}", r);
      for (int k = 1; k <= chars; ++k) {
        uint64_t h = Mix(r * 64 + uint64_t(k));
        if (h % 20 == 0) line += ",";  // 5% missing
        else if (k % 3 == 0) line += fmt::format(",{:.3f}", double(h % 1000) / 1000.0);
        else line += fmt::format(",{}", h % 100);
      }
      line += '\n';
      std::fwrite(line.data(), 1, line.size(), f);
    }
    std::fclose(f);
  }
  std::vector<credo::rt::InputBatch> batches;
  std::string error;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  credo::exec::LoadCsv(c.program->info, f, 4096, batches, error);
  std::fclose(f);
  fs::remove(path);
  size_t records = 0;
  for (auto& b : batches) records += b.rows;
  std::printf("credo-bench-scorecard: %zu records, a %d-characteristic WOE scorecard (rounding %s, 4 reasons, odds, PD); "
              "check+lower %.2f ms, %zu IR instructions; eval best of %d runs\n",
              records, chars, rounding.c_str(), front * 1e3, c.program->code.size(), repeat);
  size_t cores = std::max(1u, std::thread::hardware_concurrency());
  std::printf("%-8s %8s %14s\n", "engine", "threads", "eval rec/s");
  for (auto engine : {credo::Engine::Interpreter, credo::Engine::Jit}) {
    auto ev = credo::MakeEvaluator(*c.program, engine, &error);
    const char* name = engine == credo::Engine::Jit ? "jit" : "interp";
    if (!ev) { std::printf("%-8s %s\n", name, error.c_str()); continue; }
    for (size_t threads : {size_t(1), cores}) {
      std::vector<double> times;
      std::vector<credo::rt::StateBatch> states;
      for (int k = 0; k < repeat; ++k) {
        double t = Now();
        credo::exec::EvaluateAll(*ev, batches, states, threads);
        times.push_back(Now() - t);
      }
      std::printf("%-8s %8zu %14.0f\n", name, threads, records / *std::min_element(times.begin(), times.end()));
      if (cores == 1) break;
    }
  }
  return 0;
}
