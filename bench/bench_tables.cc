// credo-bench-tables — records/second of a generated 200-row decision table (`hit first`, four
// input columns) on both engines, against the same policy written as a naive 200-arm decision
// block (one `and` of comparisons per arm, tried in order).
//
//   credo-bench-tables [--rows N] [--table-rows K] [--repeat R]
//
// Eval-only figures (parsed data in memory), the best of R runs on one thread. A benchmark, not
// a test: it prints figures and asserts nothing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "compiler/driver/compile.h"
#include "compiler/jit/jit.h"
#include "runtime/exec/runner.h"

namespace fs = std::filesystem;

namespace {

double Now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

uint64_t state = 42;
uint64_t Next() {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
int64_t Range(int64_t lo, int64_t hi) { return lo + int64_t(Next() % uint64_t(hi - lo + 1)); }

const char* kGrades[] = {"A", "B", "C", "D", "E"};
const char* kActions[] = {"KEEP", "REVIEW", "CUT", "FREEZE"};

struct Row {
  int64_t dpd_lo, dpd_hi;   // [lo, hi)
  int64_t util_pct;         // util >= pct/100, or -1 (any)
  int grades;               // bit set of grades, 31 = any
  int64_t balance;          // balance < balance (whole units), or -1 (any)
  int action;
};

std::vector<Row> Rows(int k) {
  std::vector<Row> rows;
  for (int i = 0; i < k; ++i) {
    Row r;
    r.dpd_lo = 2 * i;
    r.dpd_hi = 2 * i + 2;
    r.util_pct = Next() % 3 ? int64_t(Range(10, 140)) : -1;
    r.grades = Next() % 3 ? int(Range(1, 30)) : 31;
    r.balance = Next() % 3 ? Range(1'000, 900'000) : -1;
    r.action = int(Range(1, 3));
    rows.push_back(r);
  }
  return rows;
}

std::string GradeList(int set, const char* open, const char* close) {
  std::string s = open;
  for (int g = 0; g < 5; ++g)
    if (set >> g & 1) s += fmt::format("{}{}", s.size() > 1 ? ", " : "", kGrades[g]);
  return s + close;
}

const char* kHeader =
    "policy bench_tables version \"1\"\n"
    "enum Grade { A, B, C, D, E }\n"
    "enum Action { KEEP, REVIEW, CUT, FREEZE }\n"
    "input Account { id: string  dpd: int  util: number  grade: Grade  balance: money }\n";

std::string TablePolicy(const std::vector<Row>& rows) {
  std::string s = kHeader;
  s += "table review hit first {\n  inputs dpd | util | grade | balance\n  outputs action: Action\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    s += fmt::format("  T{:03} | [{}, {}) | {} | {} | {} => {}\n", i + 1, r.dpd_lo, r.dpd_hi,
                     r.util_pct < 0 ? "-" : fmt::format(">= {}.{:02}", r.util_pct / 100, r.util_pct % 100),
                     r.grades == 31 ? "-" : GradeList(r.grades, "{", "}"),
                     r.balance < 0 ? "-" : fmt::format("< {}.00", r.balance), kActions[r.action]);
  }
  s += "  else => KEEP\n}\noutput { id, action = review.action }\n";
  return s;
}

std::string DecisionPolicy(const std::vector<Row>& rows) {
  std::string s = kHeader;
  s += "decision: Action {\n";
  for (const Row& r : rows) {
    std::string c = fmt::format("dpd >= {} and dpd < {}", r.dpd_lo, r.dpd_hi);
    if (r.util_pct >= 0) c += fmt::format(" and util >= {}.{:02}", r.util_pct / 100, r.util_pct % 100);
    if (r.grades != 31) c += " and grade in " + GradeList(r.grades, "[", "]");
    if (r.balance >= 0) c += fmt::format(" and balance < {}.00", r.balance);
    s += fmt::format("  {} => {}\n", c, kActions[r.action]);
  }
  s += "  else => KEEP\n}\noutput { id, action = decision }\n";
  return s;
}

double Eval(credo::rt::Evaluator& ev, const std::vector<credo::rt::InputBatch>& batches, int repeat) {
  double best = 1e30;
  std::vector<credo::rt::StateBatch> states;
  for (int k = 0; k < repeat; ++k) {
    double t0 = Now();
    credo::exec::EvaluateAll(ev, batches, states, 1);
    best = std::min(best, Now() - t0);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  size_t n = 1'000'000;
  int k = 200, repeat = 3;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--rows" && i + 1 < argc) n = std::stoul(argv[++i]);
    else if (a == "--table-rows" && i + 1 < argc) k = std::stoi(argv[++i]);
    else if (a == "--repeat" && i + 1 < argc) repeat = std::stoi(argv[++i]);
    else {
      std::printf("usage: credo-bench-tables [--rows N] [--table-rows K] [--repeat R]\n");
      return a == "--help" ? 0 : 2;
    }
  }
  std::vector<Row> rows = Rows(k);
  std::string dir = (fs::temp_directory_path() / fmt::format("credo-bench-tables-{}", getpid())).string();
  fs::create_directories(dir);
  std::string in = dir + "/input.csv";
  {
    std::FILE* f = std::fopen(in.c_str(), "wb");
    std::fprintf(f, "id,dpd,util,grade,balance\n");
    for (size_t r = 0; r < n; ++r)
      std::fprintf(f, "a%zu,%lld,%lld.%02lld,%s,%lld.%02lld\n", r, (long long)Range(0, 2 * k + 20), (long long)Range(0, 1),
                   (long long)Range(0, 99), kGrades[Next() % 5], (long long)Range(0, 999'999), (long long)Range(0, 99));
    std::fclose(f);
  }
  std::printf("credo-bench-tables: %zu records, a %d-row decision table (4 inputs) vs a %d-arm decision block; "
              "eval best of %d, 1 thread\n\n", n, k, k, repeat);
  std::printf("%-16s %-8s %14s %12s\n", "policy", "engine", "eval rec/s", "table/block");
  std::vector<double> table_rate(2, 0);
  for (int which = 0; which < 2; ++which) {
    std::string text = which == 0 ? TablePolicy(rows) : DecisionPolicy(rows);
    std::string name = which == 0 ? "table.credo" : "block.credo";
    auto compiled = credo::CompileCached(name, text);
    if (!compiled->ok()) {
      std::fprintf(stderr, "%s", compiled->diagnostics.Render(*compiled->source).c_str());
      return 1;
    }
    std::vector<credo::rt::InputBatch> batches;
    std::string error;
    std::FILE* f = std::fopen(in.c_str(), "rb");
    credo::exec::LoadCsv(compiled->program->info, f, 4096, batches, error);
    std::fclose(f);
    for (auto engine : {credo::Engine::Interpreter, credo::Engine::Jit}) {
      auto ev = credo::MakeEvaluator(*compiled->program, engine, &error);
      if (!ev) {
        std::printf("%s\n", error.c_str());
        continue;
      }
      double rate = double(n) / Eval(*ev, batches, repeat);
      int e = engine == credo::Engine::Jit;
      if (which == 0) table_rate[size_t(e)] = rate;
      std::printf("%-16s %-8s %14.0f %12s\n", which == 0 ? "decision table" : "decision block", e ? "jit" : "interp", rate,
                  which == 1 ? fmt::format("{:.1f}x", table_rate[size_t(e)] / rate).c_str() : "");
    }
  }
  fs::remove_all(dir);
  return 0;
}
