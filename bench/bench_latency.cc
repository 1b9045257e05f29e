// credo-bench-latency — in-process single-record latency through the public C++ API
// (include/credo/credo.hpp): the SME policy's portfolio records evaluated one at a time, each
// call timed, on the JIT and the interpreter, from a typed record, from a record built before
// the clock starts, and from JSON text; on 1 and 2 threads sharing one compiled policy.
//
//   credo-bench-latency [--policy FILE] [--input CSV] [--iterations N] [--threads 1,2]
//
// Prints p50/p99/p99.9/max latency and records/s per case (docs/performance.md, "Embedded
// evaluation"). A benchmark, not a test: it prints figures and asserts nothing.
#include <credo/credo.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "runtime/io/csv.h"

namespace {

using Clock = std::chrono::steady_clock;

const char* kUsage =
    "usage: credo-bench-latency [--policy FILE] [--input CSV] [--iterations N] [--threads LIST]\n"
    "  --policy FILE     the policy (default: policies/sme-credit-v1.credo)\n"
    "  --input CSV       its records (default: examples/sme-portfolio.csv); each call takes the next one\n"
    "  --iterations N    timed calls per thread and case, 1000..100000000 (default 300000)\n"
    "  --threads LIST    comma-separated thread counts, each 1..64 (default 1,2)\n";

struct Input {
  std::vector<std::vector<credo::Value>> typed;  // per record: each field as a typed value
  std::vector<std::vector<std::string>> text;    // per record: its cells
  std::vector<std::string> json;                 // per record: a JSON object
};

credo::Value Typed(const credo::InputInfo& in, const std::string& cell) {
  using K = credo::ValueKind;
  if (cell.empty()) return credo::Missing{};
  if (in.kind == K::decimal && !in.percent)
    if (auto d = credo::Decimal::parse(cell)) return *d;
  if (in.kind == K::integer) {
    int64_t v;
    auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
    if (ec == std::errc() && end == cell.data() + cell.size()) return v;
  }
  if (in.kind == K::date)
    if (auto d = credo::Date::parse(cell)) return *d;
  return cell;  // strings and enum names (and, for this benchmark, anything else)
}

bool LoadInput(const char* path, const credo::Description& d, Input& input) {
  std::FILE* f = std::fopen(path, "rb");
  if (!f) return false;
  credo::io::CsvReader reader(f);
  std::vector<std::string> header;
  reader.ReadHeader(header);
  credo::io::TextBatch batch;
  while (reader.ReadBatch(4096, batch) > 0)
    for (size_t r = 0; r < batch.rows(); ++r) {
      auto cells = batch.row(r);
      if (!batch.error[r].empty() || cells.size() != d.inputs.size()) continue;
      std::vector<credo::Value> typed;
      std::vector<std::string> text;
      std::string json = "{";
      for (size_t c = 0; c < cells.size(); ++c) {
        std::string cell(cells[c]);
        typed.push_back(Typed(d.inputs[c], cell));
        text.push_back(cell);
        bool quoted = d.inputs[c].kind == credo::ValueKind::string || d.inputs[c].kind == credo::ValueKind::enumeration ||
                      d.inputs[c].kind == credo::ValueKind::date;
        json += (c ? ",\"" : "\"") + d.inputs[c].name + "\":" + (cell.empty() ? "null" : quoted ? "\"" + cell + "\"" : cell);
      }
      input.typed.push_back(std::move(typed));
      input.text.push_back(std::move(text));
      input.json.push_back(json + "}");
    }
  std::fclose(f);
  return !input.typed.empty();
}

enum class Path { typed, prebuilt, json };
const char* Name(Path p) { return p == Path::typed ? "typed record" : p == Path::prebuilt ? "record built before" : "JSON text"; }

struct Figures {
  double p50, p99, p999, max, per_second;
  uint64_t accepted;
};

// `threads` threads each time `iterations` calls, cycling through the records from their own start.
Figures Measure(const credo::Policy& policy, const Input& input, Path path, size_t threads, size_t iterations) {
  std::vector<std::vector<uint32_t>> latencies(threads);
  std::atomic<uint64_t> accepted{0};
  std::atomic<size_t> ready{0};
  std::atomic<bool> go{false};
  auto body = [&](size_t t) {
    std::vector<uint32_t>& ns = latencies[t];
    ns.resize(iterations);
    credo::Record record = policy.record();
    credo::Result result;
    std::vector<credo::Record> prebuilt;
    if (path == Path::prebuilt)
      for (const auto& values : input.typed) {
        prebuilt.push_back(policy.record());
        for (size_t f = 0; f < values.size(); ++f) prebuilt.back().set(f, values[f]);
      }
    size_t n = input.typed.size(), at = t * n / threads;
    auto call = [&](size_t r) {
      switch (path) {
        case Path::typed:
          record.clear();
          for (size_t f = 0; f < input.typed[r].size(); ++f) record.set(f, input.typed[r][f]);
          policy.evaluate(record, result);
          break;
        case Path::prebuilt: policy.evaluate(prebuilt[r], result); break;
        case Path::json: policy.evaluate_json(input.json[r], result); break;
      }
    };
    for (size_t i = 0; i < std::min<size_t>(n, 20000); ++i) call((at + i) % n);  // warm: caches, buffers
    ++ready;
    while (!go) std::this_thread::yield();
    uint64_t ok = 0;
    for (size_t i = 0; i < iterations; ++i) {
      size_t r = (at + i) % n;
      auto start = Clock::now();
      call(r);
      auto end = Clock::now();
      ns[i] = uint32_t(std::min<int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count(), UINT32_MAX));
      ok += result.accepted();
    }
    accepted += ok;
  };
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) pool.emplace_back(body, t);
  while (ready < threads) std::this_thread::yield();
  auto start = Clock::now();
  go = true;
  for (auto& th : pool) th.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<uint32_t> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto at = [&](double q) { return all[std::min(all.size() - 1, size_t(q * double(all.size())))] / 1000.0; };
  return {at(0.50), at(0.99), at(0.999), all.back() / 1000.0, double(all.size()) / seconds, accepted};
}

// The cost of reading the clock twice, which every figure includes.
double ClockOverheadNs() {
  std::vector<int64_t> ns(100000);
  for (auto& n : ns) {
    auto a = Clock::now();
    auto b = Clock::now();
    n = std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count();
  }
  std::sort(ns.begin(), ns.end());
  return double(ns[ns.size() / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  std::string root = CREDO_SOURCE_DIR;
  std::string policy_path = root + "/policies/sme-credit-v1.credo", input_path = root + "/examples/sme-portfolio.csv";
  size_t iterations = 300000;
  std::vector<size_t> thread_counts = {1, 2};
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    const char* v = (a == "--policy" || a == "--input" || a == "--iterations" || a == "--threads") ? value() : nullptr;
    if (!v) {
      std::fprintf(stderr, "credo-bench-latency: %s\n%s", a.rfind("--", 0) == 0 ? ("'" + a + "' needs a value or is unknown").c_str() : ("unexpected argument '" + a + "'").c_str(), kUsage);
      return 2;
    }
    if (a == "--policy") policy_path = v;
    if (a == "--input") input_path = v;
    if (a == "--iterations") {
      char* end = nullptr;
      unsigned long long n = std::strtoull(v, &end, 10);
      if (*end || n < 1000 || n > 100000000) {
        std::fprintf(stderr, "credo-bench-latency: --iterations must be 1000..100000000\n");
        return 2;
      }
      iterations = n;
    }
    if (a == "--threads") {
      thread_counts.clear();
      for (const char* p = v; *p;) {
        char* end = nullptr;
        unsigned long n = std::strtoul(p, &end, 10);
        if (end == p || n < 1 || n > 64 || (*end && *end != ',')) {
          std::fprintf(stderr, "credo-bench-latency: --threads takes counts 1..64, e.g. 1,2\n");
          return 2;
        }
        thread_counts.push_back(n);
        p = *end ? end + 1 : end;
      }
    }
  }

  std::printf("clock overhead (two reads): %.0f ns, included in every figure\n", ClockOverheadNs());
  std::printf("%-12s %-20s %7s %9s %9s %9s %9s %12s\n", "engine", "input", "threads", "p50 us", "p99 us",
              "p99.9 us", "max us", "records/s");
  for (credo::Engine engine : {credo::Engine::jit, credo::Engine::interpreter}) {
    credo::CompileResult compiled = credo::Policy::compile_file(policy_path, {.engine = engine});
    if (!compiled.ok()) {
      std::fprintf(stderr, "%scredo-bench-latency: %s\n", compiled.rendered.c_str(), compiled.error.c_str());
      return 1;
    }
    const credo::Policy& policy = *compiled.policy;
    Input input;
    if (!LoadInput(input_path.c_str(), policy.describe(), input)) {
      std::fprintf(stderr, "credo-bench-latency: cannot read records from %s\n", input_path.c_str());
      return 3;
    }
    for (Path path : {Path::typed, Path::prebuilt, Path::json})
      for (size_t threads : thread_counts) {
        Figures f = Measure(policy, input, path, threads, iterations);
        std::printf("%-12s %-20s %7zu %9.2f %9.2f %9.2f %9.1f %12.0f\n",
                    engine == credo::Engine::jit ? "jit" : "interpreter", Name(path), threads, f.p50, f.p99, f.p999,
                    f.max, f.per_second);
        std::fflush(stdout);
      }
  }
  return 0;
}
