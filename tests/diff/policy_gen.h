// policy_gen.h — random well-typed credo policies and matching CSV records, for differential
// testing of the interpreter against the JIT; and the differential run itself.
//
// Everything is a deterministic function of a 64-bit seed (splitmix64, no std distributions), so
// a seed printed by a failing run reproduces the same policy and records on any platform.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace credo::diff {

// splitmix64: small, fast, and the same sequence everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi], both included (lo <= hi).
  int64_t Range(int64_t lo, int64_t hi) {
    uint64_t span = uint64_t(hi) - uint64_t(lo) + 1;
    return span == 0 ? int64_t(Next()) : int64_t(uint64_t(lo) + Next() % span);
  }
  bool Chance(int percent) { return int(Next() % 100) < percent; }
  size_t Index(size_t n) { return size_t(Next() % n); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[Index(v.size())]; }

 private:
  uint64_t state_;
};

// An independent seed for item `index` of stream `stream` of a run with seed `seed`.
uint64_t SubSeed(uint64_t seed, uint64_t index, uint64_t stream);

enum class FieldType : uint8_t { String, Int, Money, Number, Bool, Date, Enum, Decimal, Percent };

// What the record generator needs to know about an input field.
struct FieldSpec {
  std::string name;
  FieldType type = FieldType::Int;
  bool optional = false;
  std::vector<std::string> enum_values;
  int scale = 0;  // Decimal: N of decimal(N)
  // `where` bounds, in the field's units (int: 1, money: cents, number: hundredths).
  bool has_lo = false, lo_strict = false, has_hi = false, hi_strict = false;
  int64_t lo = 0, hi = 0;
  bool group_key = false;
  bool unique = false;
};

struct PolicySpec {
  uint64_t seed = 0;
  std::string text;
  std::vector<FieldSpec> fields;
  std::vector<std::pair<int64_t, int>> literals;  // numeric literals used: (scaled value, scale)
  std::vector<std::string> strings;                // string values worth feeding back
  std::vector<std::string> dates;                  // date literals used, "YYYY-MM-DD"
  std::vector<std::pair<std::string, std::string>> references;  // reference data: name → CSV text
};

// Records for policy `index` of a run with `records` per policy: every tenth policy gets five times
// as many, so that one batch spans several JIT chunks (1024 records) and interpreter chunks (256).
inline int RecordsFor(int index, int records) { return index % 10 == 9 ? records * 5 : records; }

// A random policy that passes the checker (a check failure is a generator bug).
PolicySpec GeneratePolicy(uint64_t seed);

// CSV text (header included) for `spec`'s input: values near the policy's constants and bounds,
// missing cells, extremes that overflow products, bad cells and malformed rows.
std::string GenerateRecords(const PolicySpec& spec, uint64_t seed, int rows);

// A valid policy with `rules` rules (in rule sets of at most `rules_per_set`) and a scorecard with
// `characteristics` characteristics, for the JIT's compile-time bound.
PolicySpec GenerateLargePolicy(int rules, int characteristics, int rules_per_set = 50);

// ---- the differential run -------------------------------------------------------------------------

struct EngineOutput {
  std::string name;      // e.g. "interp/batch=7"
  std::string out, rejects;
};

struct DiffOutcome {
  bool compiled = false;        // the policy checked, lowered and both engines were built
  std::string diagnostics;      // when it did not
  bool agree = true;
  std::string detail;           // which runs differ, and where
  std::vector<EngineOutput> runs;
  double check_seconds = 0, jit_seconds = 0, run_seconds = 0;
  size_t instructions = 0, group_instructions = 0;  // of the lowered program
  std::vector<std::pair<std::string, size_t>> ops;  // IR op name → count (record and group code)
  bool references = false;      // the policy reads reference data (which the AST oracle does not)
};

// Compiles `policy` once, runs RunCsv over `csv` with the interpreter and the JIT at every batch
// size on one thread, and at the first batch size on each of `threads` (> 1) worker threads, and
// compares every run with the first (interpreter, first batch size, one thread) byte for byte.
// `references` is the policy's reference data (name → CSV text), loaded once for both engines.
DiffOutcome RunDifferential(const std::string& policy, const std::string& csv, const std::vector<size_t>& batch_sizes,
                            const std::vector<size_t>& threads = {2},
                            const std::vector<std::pair<std::string, std::string>>& references = {});

// Writes policy.credo, input.csv, every run's output and rejects and a README into `dir`
// (created); returns "" or why it failed.
// Reference data is saved as ref-<name>.csv (ReadReferences reads it back).
std::string SaveCase(const std::string& dir, const std::string& policy, const std::string& csv,
                     const DiffOutcome& outcome, const std::string& note,
                     const std::vector<std::pair<std::string, std::string>>& references = {});
std::vector<std::pair<std::string, std::string>> ReadReferences(const std::string& dir);

// "line N:" and both versions of the first line where `a` and `b` differ; "(equal)" when none.
std::string FirstDifference(const std::string& a, const std::string& b);

// Reads a file; false when it cannot.
bool ReadFile(const std::string& path, std::string& text);

}  // namespace credo::diff
