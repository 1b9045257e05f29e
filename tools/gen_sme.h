// gen_sme.h — credo-gen-sme's shared declarations (tools/gen_sme.cc describes the tool): the
// random numbers, one application and the policy's outcome for it, corporate groups, the input's
// columns, row text and output buffers, and the Generator class. Its members are defined by
// concern: gen_sme_rows.cc (the file: groups planned first, then row by row),
// gen_sme_applicants.cc (one application's values) and gen_sme_bad_rows.cc (rows the policy
// rejects).
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

namespace gen_sme {

using i64 = std::int64_t;
using u64 = std::uint64_t;
using u32 = std::uint32_t;
__extension__ typedef __int128 i128;  // GCC/Clang extension; __extension__ keeps -Wpedantic quiet
__extension__ typedef unsigned __int128 u128;

// ---- random numbers (gen_sme_random.cc) ----------------------------------------------------

// 2^(k/256) for k = 0..256 in Q62 (lognormal).
extern const std::array<u64, 257> kPow2;

class Rng {
 public:
  explicit Rng(u64 seed);

  u64 next() {  // xoshiro256**
    const u64 result = rotl(s_[1] * 5, 7) * 9;
    const u64 t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n) by multiply-shift (n > 0).
  u64 below(u64 n) { return static_cast<u64>((u128{next()} * n) >> 64); }
  // Uniform in [lo, hi].
  i64 range(i64 lo, i64 hi) { return lo + static_cast<i64>(below(static_cast<u64>(hi - lo) + 1)); }
  // True with probability p / 1'000'000.
  bool ppm(u32 p) { return below(1'000'000) < p; }
  // True with probability p / 1000.
  bool permille(u32 p) { return below(1000) < p; }

  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(N)];
  }

  // Approximately standard normal, in thousandths (Irwin-Hall: sum of 12 uniforms - 6).
  i64 normal_milli();

  // Log-normal amount: median x e^(sigma * Z), sigma in thousandths.
  i64 lognormal(i64 median, i64 sigma_milli);

 private:
  static u64 rotl(u64 x, int k) { return (x << k) | (x >> (64 - k)); }
  u64 s_[4];
};

// ---- one application and the policy's arithmetic (gen_sme_policy.cc) ------------------------

// One application and the policy's per-record arithmetic (used only to steer the generator
// towards boundaries: W01 exactly at 9/10 of the limit, headroom exactly 0, group approvals
// exactly on the group headroom).

constexpr i64 kUnit = 100;  // cents per currency unit
constexpr i64 kGroupCap = 20'000'000 * kUnit;

enum Industry { kManufacturing, kRetail, kConstruction, kServices, kAgriculture, kTechnology };
constexpr std::array<std::string_view, 6> kIndustryName = {
    "manufacturing", "retail", "construction", "services", "agriculture", "technology"};
constexpr std::array<int, 6> kIndustryPoints = {10, 0, -15, 5, -5, 15};

struct App {
  int industry = kServices;
  bool has_years = true, has_ca = true, has_cl = true, has_ocf = true, has_ie = true,
       has_bureau = true;
  i64 years = 0, revenue = 0, net_income = 0, ca = 0, cl = 0, ta = 0, tl = 0, ocf = 0, ie = 0,
      bureau = 0, dpd = 0, defaults = 0, exposure = 0, requested = 0;
};

struct Edge {
  i64 p, q;  // the bin edge p/q, q > 0
};

struct Outcome {
  int score = 0;
  int grade = 0;  // 0 = A .. 4 = E
  i64 max_limit = 0;
  bool approve = false;
  i64 approved = 0;
};

// The policy's outcome for one application.
Outcome evaluate(const App& a);

// ---- corporate groups and columns -------------------------------------------------------------

enum class GroupKind : std::uint8_t {
  kPlain,   // ordinary members
  kBig,     // large exposures and requests: the group cap binds
  kHeavy,   // exposures that usually exhaust the whole group headroom
  kTight,   // approvals steered to exactly the group headroom (or one cent over)
  kSingle,  // a group_id used by one row only
};

struct Group {
  u32 number = 0;
  u32 size = 0;
  u32 seen = 0;  // members written so far
  GroupKind kind = GroupKind::kPlain;
  i64 tight_target = 0;  // kTight: exposure + approvals the members before the last aim at
  i64 tight_offset = 0;  // kTight: final approvals = group headroom + this (0 or 1 cent)
  i64 tight_sum = 0;     // kTight: exposure + per-record approvals of accepted members so far
};

enum Role : std::uint8_t { kDefaulter = 1, kRejectedRow = 2 };

// Column indexes of the input.
enum Col {
  kCustomerId, kGroupId, kIndustryCol, kYears, kRevenue, kNetIncome, kCurrentAssets,
  kCurrentLiabilities, kTotalAssets, kTotalLiabilities, kOperatingCashFlow, kInterestExpense,
  kBureauScore, kDaysPastDue, kDefaults, kExposure, kRequested, kColumns
};

// ---- text: a row's fields, and the output ---------------------------------------------------

// Per-row text storage for the fields; reset before every row.
class Scratch {
 public:
  void reset() { used_ = 0; }
  char* cursor() { return buf_ + used_; }
  std::string_view commit(char* end) {
    std::string_view v(buf_ + used_, static_cast<std::size_t>(end - (buf_ + used_)));
    used_ = static_cast<std::size_t>(end - buf_);
    return v;
  }

 private:
  char buf_[4096];
  std::size_t used_ = 0;
};

class Output {
 public:
  explicit Output(std::FILE* f) : f_(f), buf_(kChunk + kSlack) {}
  // Callers flush between rows; a row is far shorter than kSlack.
  void append(std::string_view s) {
    if (s.empty()) return;  // an empty view may have a null data()
    std::memcpy(buf_.data() + used_, s.data(), s.size());
    used_ += s.size();
  }
  void push(char c) { buf_[used_++] = c; }
  void maybe_flush() {
    if (used_ >= kChunk) flush();
  }
  void flush() {
    if (used_ != 0 && std::fwrite(buf_.data(), 1, used_, f_) != used_) ok_ = false;
    used_ = 0;
  }
  bool ok() const { return ok_; }

 private:
  static constexpr std::size_t kChunk = std::size_t{1} << 22;
  static constexpr std::size_t kSlack = std::size_t{1} << 16;
  std::FILE* f_;
  std::vector<char> buf_;
  std::size_t used_ = 0;
  bool ok_ = true;
};

// ---- the generator -----------------------------------------------------------------------------

class Generator {
 public:
  Generator(u64 rows, u64 seed, Output& out) : rows_(rows), rng_(seed), out_(out) {}

  void run();

 private:
  using Fields = std::array<std::string_view, kColumns + 8>;

  static i64 round_to(i64 v, i64 step) { return v / step * step; }
  // floor(amount x m / 1000) for amount >= 0: never below the exact ratio m/1000 it aims at.
  static i64 per_mille(i64 amount, i64 m) { return static_cast<i64>(i128{amount} * m / 1000); }
  // Numerator making numerator/den exactly p/q (den must be a multiple of q), plus `off` cents.
  static i64 exact(i64 den, Edge e, i64 off) { return den / e.q * e.p + off; }

  // The file: groups planned before the first row, then row by row (gen_sme_rows.cc).
  GroupKind pick_kind(bool allow_tight);
  void plan_groups();
  std::string_view money(i64 cents);
  std::string_view integer(i64 v);
  std::string_view id_text(char prefix, u64 number, int width);
  void row(u64 i);

  // One application's values (gen_sme_applicants.cc).
  int pick_industry();
  i64 scale_ppm(i64 amount, i64 lo, i64 hi);
  i64 edge_offset();
  void maybe_missing(App& a);
  void make_regular(App& a, bool big, bool heavy);
  void make_prime(App& a, int flaws, i64 min_revenue);
  void make_extreme(App& a);
  void pin_exposure(App& a, bool w01);
  void finish_tight(App& a, const Group& g);

  // Bad rows (gen_sme_bad_rows.cc).
  int pick_numeric_column();
  std::string_view unparsable_text(int column);
  std::string_view magnitude_text(int column);
  void erase_field(Fields& f, int& n, int at);
  void insert_field(Fields& f, int& n, int at, std::string_view text);
  void corrupt(Fields& f, int& n);
  static constexpr std::array<int, 10> kRequired = {kCustomerId,  kIndustryCol, kRevenue,
                                                    kNetIncome,   kTotalAssets, kTotalLiabilities,
                                                    kDaysPastDue, kDefaults,    kExposure,
                                                    kRequested};

  u64 rows_;
  Rng rng_;
  Output& out_;
  Scratch scratch_;
  std::vector<Group> groups_;
  std::vector<std::int32_t> group_of_;
  std::vector<std::uint8_t> role_;
};

}  // namespace gen_sme
