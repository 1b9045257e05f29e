// credo-bench-arrow — throughput of the C ABI's batch evaluation over Arrow arrays
// (credo_evaluate_arrow), on the SME portfolio replicated to a large batch.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include <credo/credo.h>

#include "tests/cabi/csv_to_arrow.h"

namespace {

const char kUsage[] =
    "usage: credo-bench-arrow [--rows N] [--threads T] [--engine jit|interp] [--repeat K]\n"
    "  Evaluates examples/sme-portfolio.csv, replicated to N rows (default 500000), as one Arrow batch\n"
    "  through credo_evaluate_arrow on 1 and on T threads (default 2), typed columns and all-utf8\n"
    "  columns; prints the best of K runs (default 3) in rows per second.\n";

double Seconds(const credo_policy* policy, const ArrowSchema& schema, const ArrowArray& array, unsigned threads,
               int repeat) {
  double best = 1e30;
  for (int k = 0; k < repeat; ++k) {
    ArrowSchema out_schema, rejects_schema;
    ArrowArray out, rejects;
    auto start = std::chrono::steady_clock::now();
    credo_status status =
        credo_evaluate_arrow(policy, &schema, &array, &out_schema, &out, &rejects_schema, &rejects, threads);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (status != CREDO_OK) {
      std::fprintf(stderr, "credo_evaluate_arrow: %s\n", credo_last_error());
      std::exit(1);
    }
    out.release(&out);
    rejects.release(&rejects);
    out_schema.release(&out_schema);
    rejects_schema.release(&rejects_schema);
    best = std::min(best, s);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  long rows = 500'000, threads = 2, repeat = 3;
  credo_engine engine = CREDO_ENGINE_JIT;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto number = [&](long lo, long hi) {
      long v = i + 1 < argc ? std::strtol(argv[++i], nullptr, 10) : 0;
      if (v < lo || v > hi) {
        std::fprintf(stderr, "credo-bench-arrow: %s takes a number from %ld to %ld\n", a.c_str(), lo, hi);
        std::exit(2);
      }
      return v;
    };
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--rows") {
      rows = number(1, 100'000'000);
    } else if (a == "--threads") {
      threads = number(1, CREDO_MAX_THREADS);
    } else if (a == "--repeat") {
      repeat = number(1, 100);
    } else if (a == "--engine" && i + 1 < argc) {
      std::string e = argv[++i];
      if (e != "jit" && e != "interp") {
        std::fprintf(stderr, "credo-bench-arrow: --engine is jit or interp\n");
        return 2;
      }
      engine = e == "jit" ? CREDO_ENGINE_JIT : CREDO_ENGINE_INTERPRETER;
    } else {
      std::fprintf(stderr, "credo-bench-arrow: unknown argument %s\n%s", a.c_str(), kUsage);
      return 2;
    }
  }
  std::string dir = CREDO_SOURCE_DIR;
  credo_policy* policy = nullptr;
  if (credo_compile_file((dir + "/policies/sme-credit-v1.credo").c_str(), engine, &policy, nullptr) != CREDO_OK) {
    std::fprintf(stderr, "%s\n", credo_last_error());
    return 3;
  }
  cabi_test::Csv csv = cabi_test::ReadCsv(dir + "/examples/sme-portfolio.csv");
  size_t base = csv.rows.size();
  if (base == 0) {
    std::fprintf(stderr, "credo-bench-arrow: cannot read examples/sme-portfolio.csv\n");
    return 3;
  }
  for (size_t r = base; r < size_t(rows); ++r) csv.rows.push_back(csv.rows[r % base]);
  csv.rows.resize(size_t(rows));
  std::printf("SME policy, %ld rows in one Arrow batch, %s\n", rows, engine == CREDO_ENGINE_JIT ? "jit" : "interpreter");
  for (bool typed : {true, false}) {
    ArrowSchema schema;
    ArrowArray array;
    cabi_test::Variant variant;
    variant.typed = typed;
    std::string error = cabi_test::ToArrow(policy, csv, variant, &schema, &array);
    if (!error.empty()) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 1;
    }
    for (unsigned t : {1u, unsigned(threads)}) {
      double s = Seconds(policy, schema, array, t, int(repeat));
      std::printf("  %-5s columns, %u thread(s): %.3f s, %.2f M rows/s\n", typed ? "typed" : "utf8", t, s,
                  double(rows) / s / 1e6);
      if (threads == 1) break;
    }
    array.release(&array);
    schema.release(&schema);
  }
  credo_policy_free(policy);
  return 0;
}
