// credo-fuzz — long differential runs of the interpreter against the JIT and the AST oracle
// (tests/diff/ast_oracle.h), and the JIT's compile time on a large policy.
//
//   credo-fuzz --seed S --policies N --records M [--first I] [--out DIR] [--print] [--oracle R]
//   credo-fuzz --large [--rules R] [--characteristics C] [--rules-per-set K] [--records M] [--print]
//
// Every policy i of a run is generated from (S, i), so `--seed S --first i --policies 1` reproduces
// policy i alone; `--print` prints each policy. Disagreements are saved under DIR (default
// ./credo-fuzz-failures) as seed-<S>-<i>/ and counted; the exit code is 1 when any occurred.
// `--oracle used` (the default) holds the engines to the oracle's rule that an error counts only
// where its value is used, `--oracle everywhere` to the rule that every error counts, and
// `--oracle off` compares the engines only.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "compiler/driver/compile.h"
#include "compiler/jit/jit.h"
#include "oracle_diff.h"
#include "policy_gen.h"

namespace {

struct Args {
  uint64_t seed = 0;
  bool seed_given = false;
  int policies = 1000, records = 300, first = 0;
  std::string out = "credo-fuzz-failures";
  bool print = false, large = false, save_all = false;
  bool oracle = true;
  credo::oracle::ErrorRule oracle_rule = credo::oracle::ErrorRule::WhereUsed;
  int rules = 2000, characteristics = 200, rules_per_set = 50;
};

void Usage() {
  std::fprintf(stderr,
               "usage: credo-fuzz [--seed S] [--policies N] [--records M] [--first I] [--out DIR] [--print] [--save-all]\n"
               "                  [--oracle used|everywhere|off]\n"
               "       credo-fuzz --large [--rules R] [--characteristics C] [--rules-per-set K] [--records M] [--print]\n");
}

bool Parse(int argc, char** argv, Args& a) {
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto value = [&](const char* what) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "credo-fuzz: %s needs a value\n", what);
        return nullptr;
      }
      return argv[++i];
    };
    const char* v = nullptr;
    if (k == "--print") a.print = true;
    else if (k == "--save-all") a.save_all = true;
    else if (k == "--large") a.large = true;
    else if (k == "--seed" && (v = value("--seed"))) { a.seed = std::strtoull(v, nullptr, 0); a.seed_given = true; }
    else if (k == "--policies" && (v = value("--policies"))) a.policies = std::atoi(v);
    else if (k == "--records" && (v = value("--records"))) a.records = std::atoi(v);
    else if (k == "--first" && (v = value("--first"))) a.first = std::atoi(v);
    else if (k == "--out" && (v = value("--out"))) a.out = v;
    else if (k == "--oracle" && (v = value("--oracle"))) {
      std::string r = v;
      if (r != "used" && r != "everywhere" && r != "off") {
        Usage();
        return false;
      }
      a.oracle = r != "off";
      a.oracle_rule = r == "everywhere" ? credo::oracle::ErrorRule::Everywhere : credo::oracle::ErrorRule::WhereUsed;
    }
    else if (k == "--rules" && (v = value("--rules"))) a.rules = std::atoi(v);
    else if (k == "--characteristics" && (v = value("--characteristics"))) a.characteristics = std::atoi(v);
    else if (k == "--rules-per-set" && (v = value("--rules-per-set"))) a.rules_per_set = std::atoi(v);
    else {
      Usage();
      return false;
    }
  }
  if (!a.seed_given)
    a.seed = uint64_t(std::chrono::steady_clock::now().time_since_epoch().count()) ^ 0x5DEECE66Dull;
  return true;
}

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

int Large(const Args& a) {
  using namespace credo;
  diff::PolicySpec spec = diff::GenerateLargePolicy(a.rules, a.characteristics, a.rules_per_set);
  if (a.print) std::printf("%s\n", spec.text.c_str());
  std::printf("large policy: %d rules (sets of %d), %d characteristics, %zu bytes\n", a.rules, a.rules_per_set,
              a.characteristics, spec.text.size());
  auto start = std::chrono::steady_clock::now();
  Compilation c = CompileSource("large.credo", spec.text);
  double front = Since(start);
  if (!c.ok()) {
    std::printf("the large policy does not compile:\n%s\n", c.diagnostics.Render(*c.source).c_str());
    return 1;
  }
  std::printf("parse + check + lower: %.3f s, %zu instructions\n", front, c.program->code.size());
  std::string error;
  JitStats stats;
  auto jit = MakeJitEvaluator(*c.program, error, &stats);
  if (!jit) {
    std::printf("the JIT failed: %s\n", error.c_str());
    return 1;
  }
  std::printf("JIT compile: %.3f s, %zu kernel functions%s\n", stats.compile_seconds, stats.functions,
              stats.cached ? " (cached)" : "");
  std::string csv = diff::GenerateRecords(spec, diff::SubSeed(a.seed, 0, 2), a.records);
  diff::DiffOutcome o = diff::RunDifferential(spec.text, csv, {7, 4096}, {2}, spec.references);
  if (a.oracle) diff::CompareWithOracle(spec.text, csv, o, a.oracle_rule);
  std::printf("differential run over %d records: %s (runs %.3f s)\n", a.records, o.agree ? "agree" : "DISAGREE",
              o.run_seconds);
  if (!o.agree) {
    std::string dir = a.out + "/large-" + std::to_string(a.rules) + "-" + std::to_string(a.characteristics);
    diff::SaveCase(dir, spec.text, csv, o, "credo-fuzz --large");
    std::printf("%s\nsaved in %s\n", o.detail.c_str(), dir.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!Parse(argc, argv, a)) return 2;
  if (a.large) return Large(a);
  using namespace credo;
  std::printf("credo-fuzz: seed %llu, policies %d..%d, %d records each\n", static_cast<unsigned long long>(a.seed),
              a.first, a.first + a.policies - 1, a.records);
  std::fflush(stdout);
  auto start = std::chrono::steady_clock::now();
  int check_failures = 0, disagreements = 0;
  double jit = 0;
  size_t instructions = 0, max_instructions = 0;
  std::map<std::string, size_t> ops;
  int segmented = 0, grouped = 0;
  for (int i = a.first; i < a.first + a.policies; ++i) {
    diff::PolicySpec spec = diff::GeneratePolicy(diff::SubSeed(a.seed, uint64_t(i), 1));
    std::string csv = diff::GenerateRecords(spec, diff::SubSeed(a.seed, uint64_t(i), 2), diff::RecordsFor(i, a.records));
    if (a.print) std::printf("---- policy %d ----\n%s\n", i, spec.text.c_str());
    diff::DiffOutcome o = diff::RunDifferential(spec.text, csv, {7, 4096}, {2}, spec.references);
    if (a.oracle) diff::CompareWithOracle(spec.text, csv, o, a.oracle_rule);
    jit += o.jit_seconds;
    instructions += o.instructions;
    for (auto& [op, n] : o.ops) ops[op] += n;
    max_instructions = std::max(max_instructions, o.instructions);
    if (o.instructions > 256) ++segmented;
    if (o.group_instructions) ++grouped;
    if (!o.compiled) {
      ++check_failures;
      std::printf("seed %llu policy %d does not check (a generator bug):\n%s\n%s\n",
                  static_cast<unsigned long long>(a.seed), i, o.diagnostics.c_str(), spec.text.c_str());
    } else if (a.save_all && o.agree) {
      diff::SaveCase(a.out + "/all/seed-" + std::to_string(a.seed) + "-" + std::to_string(i), spec.text, csv, o, "agree", spec.references);
    }
    if (o.compiled && !o.agree) {
      ++disagreements;
      std::string dir = a.out + "/seed-" + std::to_string(a.seed) + "-" + std::to_string(i);
      std::string note = "credo-fuzz --seed " + std::to_string(a.seed) + " --first " + std::to_string(i) +
                         " --policies 1 --records " + std::to_string(a.records);
      std::string why = diff::SaveCase(dir, spec.text, csv, o, note, spec.references);
      std::printf("seed %llu policy %d: DISAGREE, saved in %s %s\n%s", static_cast<unsigned long long>(a.seed), i,
                  dir.c_str(), why.c_str(), o.detail.c_str());
    }
    int done = i - a.first + 1;
    if (done % 25 == 0 || done == a.policies)
      std::printf("[seed %llu] %d/%d policies, %d disagreements, %d check failures, %.0f s (JIT %.0f s)\n",
                  static_cast<unsigned long long>(a.seed), done, a.policies, disagreements, check_failures,
                  Since(start), jit);
    std::fflush(stdout);
  }
  std::printf("instructions: mean %zu, max %zu; %d policies span several JIT kernels (> 256), %d have a group pass\n",
              instructions / size_t(std::max(1, a.policies)), max_instructions, segmented, grouped);
  std::printf("IR ops generated:");
  for (auto& [op, n] : ops) std::printf(" %s=%zu", op.c_str(), n);
  std::printf("\n");
  return disagreements || check_failures ? 1 : 0;
}
