// credo-gen-sme — deterministic generator of SME credit v1 application files (CSV).
//
//   credo-gen-sme --rows N [--seed S] [--out PATH|-]
//
// Writes the header line and N records in the input format of the reference SME policy
// (policies/sme-credit-v1), LF line ends. The same (N, seed) always yields the same bytes on every
// platform: the only source of randomness is the xoshiro256** generator below (seeded through
// splitmix64) and every computation is integer arithmetic — no std:: distributions, no floating
// point, no libm — and never two random draws in one expression whose evaluation order C++
// leaves unspecified (function arguments, operands of +), which GCC and Clang order differently.
//
// Besides a realistic portfolio, the file deliberately exercises the corners of the policy:
//   * every optional column missing (~4% each, independently);
//   * zero denominators (revenue, total_assets, interest_expense, current_liabilities = 0) and
//     negative current liabilities (a -0.0 current ratio);
//   * values exactly on every scorecard bin edge and one cent either side, ratio edges built as
//     exact quotients (current_assets = 4/5 x current_liabilities, ...);
//   * every knockout, referral, grade and decision path, including L01 (exposure exactly at,
//     one cent below and above the limit), near-perfect applicants with 0, 1 and 2 score reasons,
//     and W01 at its exact boundary (10 x exposure = 9 x max_limit);
//   * corporate groups (~20% of rows, 2..20 members scattered through the file, plus a few
//     larger ones and single-row groups): groups whose exposure and approvals exceed the group
//     cap (some with no group headroom at all), ~1/4 of groups with one or more defaulters (K01),
//     rejected defaulters, and groups whose approvals land exactly on (and one cent over) their
//     group headroom;
//   * ~0.1% bad rows of every reject kind (column count incl. empty lines, missing, unparsable,
//     unknown industry, out of range by magnitude and by domain, two faults in one row);
//   * money in varied valid spellings ("1200000", "1200000.5", "007.00", "-0.00").
//
// Exit codes: 0 success, 2 usage error, 3 I/O failure.

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;
using u32 = std::uint32_t;
__extension__ typedef __int128 i128;  // GCC/Clang extension; __extension__ keeps -Wpedantic quiet
__extension__ typedef unsigned __int128 u128;

constexpr u64 kDefaultSeed = 20261122;

const char* const kUsage =
    "usage: credo-gen-sme --rows N [--seed S] [--out PATH|-]\n"
    "\n"
    "Writes N generated SME credit applications (plus the header line) in the input format of\n"
    "policies/sme-credit-v1 to PATH, or to standard output when PATH is '-' (the default).\n"
    "The output depends only on N and the seed (default 20261122), byte for byte.\n"
    "\n"
    "  --rows N      number of records (lines after the header), N >= 0\n"
    "  --seed S      unsigned 64-bit seed\n"
    "  --out PATH    output file, '-' for standard output\n"
    "  --help        this text\n";

// -------------------------------------------------------------------------------------------
// Random numbers
// -------------------------------------------------------------------------------------------

u64 splitmix64(u64& state) {
  u64 z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// 2^(k/256) for k = 0..256 in Q62, built once by integer multiplication (deterministic).
std::array<u64, 257> make_pow2_table() {
  constexpr u64 kStep = 4624189567668517720ull;  // round(2^(1/256) * 2^62)
  std::array<u64, 257> t{};
  t[0] = u64{1} << 62;
  for (int k = 1; k <= 256; ++k) t[k] = static_cast<u64>((u128{t[k - 1]} * kStep) >> 62);
  return t;
}
const std::array<u64, 257> kPow2 = make_pow2_table();

i64 floor_div(i64 a, i64 b) {  // b > 0
  i64 q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

class Rng {
 public:
  explicit Rng(u64 seed) {
    u64 s = seed;
    for (auto& w : s_) w = splitmix64(s);
  }

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
  i64 normal_milli() {
    i64 sum = 0;
    for (int k = 0; k < 3; ++k) {
      u64 r = next();
      for (int j = 0; j < 4; ++j, r >>= 16) sum += static_cast<i64>(r & 0xFFFF);
    }
    return (sum - 393210) * 1000 / 65536;
  }

  // Log-normal amount: median x e^(sigma * Z), sigma in thousandths.
  i64 lognormal(i64 median, i64 sigma_milli) {
    const i64 x = normal_milli() * sigma_milli;                // millionths of a nat
    const i64 t = floor_div(x * 256 * 65536, 693147);          // 1/2^24 of an octave
    const i64 q = t >> 16;                                     // 1/256 octaves (floor)
    const u64 frac = static_cast<u64>(t & 0xFFFF);
    const i64 octave = q >> 8;
    const auto k = static_cast<std::size_t>(q & 255);
    const u64 m = kPow2[k] + static_cast<u64>((u128{kPow2[k + 1] - kPow2[k]} * frac) >> 16);
    u128 v = (u128{static_cast<u64>(median)} * m) >> 62;
    if (octave >= 0) {
      v <<= octave;
    } else {
      v >>= -octave;
    }
    constexpr u128 kCap = 900'000'000'000'000;  // stay well inside the [C3] bound
    return static_cast<i64>(v > kCap ? kCap : v);
  }

 private:
  static u64 rotl(u64 x, int k) { return (x << k) | (x >> (64 - k)); }
  u64 s_[4];
};

// -------------------------------------------------------------------------------------------
// One application and the policy's per-record arithmetic (used only to steer the generator
// towards boundaries: W01 exactly at 9/10 of the limit, headroom exactly 0, group approvals
// exactly on the group headroom).
// -------------------------------------------------------------------------------------------

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

// num/den < p/q, exactly (den != 0).
bool below_edge(i64 num, i64 den, Edge e) {
  const i128 lhs = i128{num} * e.q;
  const i128 rhs = i128{e.p} * den;
  return den > 0 ? lhs < rhs : lhs > rhs;
}

int ratio_points(bool present, i64 num, i64 den, int missing, const std::array<Edge, 3>& edges,
                 const std::array<int, 4>& points) {
  if (!present || den == 0) return missing;
  for (std::size_t k = 0; k < 3; ++k)
    if (below_edge(num, den, edges[k])) return points[k];
  return points[3];
}

template <std::size_t N>
int value_points(i64 v, const std::array<i64, N>& edges, const std::array<int, N + 1>& points) {
  for (std::size_t k = 0; k < N; ++k)
    if (v < edges[k]) return points[k];
  return points[N];
}

struct Outcome {
  int score = 0;
  int grade = 0;  // 0 = A .. 4 = E
  i64 max_limit = 0;
  bool approve = false;
  i64 approved = 0;
};

Outcome evaluate(const App& a) {
  int s = 500;
  s += ratio_points(a.has_ca && a.has_cl, a.ca, a.cl, -10, {{{4, 5}, {6, 5}, {2, 1}}},
                    {-25, 0, 20, 30});
  s += ratio_points(true, a.tl, a.ta, -10, {{{2, 5}, {3, 5}, {4, 5}}}, {35, 20, 0, -30});
  s += ratio_points(true, a.net_income, a.revenue, -15, {{{0, 1}, {1, 20}, {3, 20}}},
                    {-30, 0, 20, 30});
  s += ratio_points(a.has_ocf && a.has_ie, a.ocf, a.ie, 0, {{{1, 1}, {3, 1}, {6, 1}}},
                    {-25, 5, 20, 30});
  s += ratio_points(true, a.exposure + a.requested, a.revenue, -20, {{{1, 10}, {3, 10}, {3, 5}}},
                    {25, 10, -5, -30});
  s += a.has_bureau ? value_points<4>(a.bureau, {550, 650, 720, 800}, {-40, -10, 10, 30, 45}) : -20;
  s += value_points<3>(a.dpd, {1, 30, 60}, {25, 5, -20, -45});
  s += a.has_years ? value_points<3>(a.years, {2, 5, 10}, {-20, 0, 15, 25}) : -15;
  s += kIndustryPoints[static_cast<std::size_t>(a.industry)];
  s += value_points<3>(a.revenue, {500'000 * kUnit, 2'000'000 * kUnit, 10'000'000 * kUnit},
                       {-10, 0, 15, 25});

  Outcome o;
  o.score = s;
  o.grade = s >= 600 ? 0 : s >= 560 ? 1 : s >= 520 ? 2 : s >= 480 ? 3 : 4;
  constexpr std::array<i64, 5> kFactorPercent = {25, 18, 12, 6, 0};
  const i128 product = i128{a.revenue} * kFactorPercent[static_cast<std::size_t>(o.grade)];
  constexpr i64 kLimitCap = 5'000'000 * kUnit;
  o.max_limit = product >= i128{kLimitCap} * 100
                    ? kLimitCap
                    : static_cast<i64>(product / (1000 * kUnit * 100)) * (1000 * kUnit);


  const bool knockout = a.defaults > 0 || a.dpd >= 90 || (a.ta > 0 && a.tl > a.ta);
  const bool referral = (!a.has_bureau && (!a.has_years || a.years < 2)) ||
                        a.requested > 2'000'000 * kUnit;
  const i64 headroom = o.max_limit > a.exposure ? o.max_limit - a.exposure : 0;
  o.approve = !knockout && o.grade <= 2 && !referral && headroom > 0;
  o.approved = o.approve ? (a.requested < headroom ? a.requested : headroom) : 0;
  return o;
}

// -------------------------------------------------------------------------------------------
// Text
// -------------------------------------------------------------------------------------------

char* put_uint(char* p, u64 v) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) *p++ = tmp[--n];
  return p;
}

char* put_text(char* p, std::string_view s) {
  if (s.empty()) return p;
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

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

// -------------------------------------------------------------------------------------------
// Corporate groups, planned before the first row is written
// -------------------------------------------------------------------------------------------

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

constexpr std::string_view kHeader =
    "customer_id,group_id,industry,years_in_business,revenue,net_income,current_assets,"
    "current_liabilities,total_assets,total_liabilities,operating_cash_flow,interest_expense,"
    "bureau_score,max_days_past_due_12m,defaults_24m,existing_exposure,requested_amount";

bool is_integer_column(int c) {
  return c == kYears || c == kBureauScore || c == kDaysPastDue || c == kDefaults;
}

// -------------------------------------------------------------------------------------------
// The generator
// -------------------------------------------------------------------------------------------

class Generator {
 public:
  Generator(u64 rows, u64 seed, Output& out) : rows_(rows), rng_(seed), out_(out) {}

  void run() {
    plan_groups();
    out_.append(kHeader);
    out_.push('\n');
    for (u64 i = 0; i < rows_; ++i) {
      row(i);
      out_.maybe_flush();
    }
    out_.flush();
  }

 private:
  using Fields = std::array<std::string_view, kColumns + 8>;

  // ----- groups ------------------------------------------------------------------------------

  GroupKind pick_kind(bool allow_tight) {
    const u64 u = rng_.below(1000);
    if (u < 25) return allow_tight ? GroupKind::kTight : GroupKind::kBig;
    if (u < 140) return GroupKind::kBig;
    if (u < 185) return GroupKind::kHeavy;
    return GroupKind::kPlain;
  }

  void plan_groups() {
    group_of_.assign(rows_, -1);
    role_.assign(rows_, 0);
    if (rows_ < 2) return;
    std::vector<u32> order(rows_);
    for (u64 i = 0; i < rows_; ++i) order[i] = static_cast<u32>(i);
    for (u64 i = rows_ - 1; i > 0; --i) std::swap(order[i], order[rng_.below(i + 1)]);

    u64 pos = 0;
    auto add = [&](u64 size, GroupKind kind) {
      Group g;
      g.number = static_cast<u32>(groups_.size() + 1);
      g.size = static_cast<u32>(size);
      g.kind = kind;
      if (kind == GroupKind::kTight) {
        g.tight_target = rng_.range(15'500'000, 18'500'000) * kUnit;
        g.tight_offset = static_cast<i64>(rng_.below(2));
      }
      const auto index = static_cast<std::int32_t>(groups_.size());
      groups_.push_back(g);
      for (u64 k = 0; k < size; ++k) group_of_[order[pos + k]] = index;
      if (kind != GroupKind::kTight && kind != GroupKind::kSingle && rng_.permille(250)) {
        u64 defaulters = 1;
        if (rng_.permille(200)) defaulters = rng_.permille(100) ? 3 : 2;
        if (defaulters > size) defaulters = size;
        for (u64 k = 0; k < defaulters; ++k)
          role_[order[pos + k]] = static_cast<std::uint8_t>(
              kDefaulter | (rng_.permille(30) ? kRejectedRow : 0));
      }
      pos += size;
    };

    // A few groups larger than 20 members.
    for (u64 k = 0; k < (rows_ + 20'000) / 40'000 && pos + 48 <= rows_ / 2; ++k) {
      const auto size = static_cast<u64>(rng_.range(21, 48));
      add(size, pick_kind(false));
    }
    // ~20% of the rows in groups of 2..20 members, small groups more common.
    const u64 target = rows_ / 5;
    while (pos + 2 <= target) {
      u64 size = static_cast<u64>(rng_.permille(500) ? rng_.range(2, 6) : rng_.range(2, 20));
      if (size > target - pos) size = target - pos;
      add(size, pick_kind(true));
    }
    // Single-row groups.
    for (u64 k = 0; k < rows_ / 2000 && pos < rows_; ++k) add(1, GroupKind::kSingle);
  }

  // ----- field values ------------------------------------------------------------------------

  int pick_industry() {
    static constexpr std::array<int, 6> kCumulative = {19, 42, 55, 82, 90, 100};
    const u64 u = rng_.below(100);
    int k = 0;
    while (u >= static_cast<u64>(kCumulative[static_cast<std::size_t>(k)])) ++k;
    return k;
  }

  // amount x (lo..hi)/1'000'000
  i64 scale_ppm(i64 amount, i64 lo, i64 hi) {
    return static_cast<i64>(i128{amount} * rng_.range(lo, hi) / 1'000'000);
  }

  static i64 round_to(i64 v, i64 step) { return v / step * step; }

  // floor(amount x m / 1000) for amount >= 0: never below the exact ratio m/1000 it aims at.
  static i64 per_mille(i64 amount, i64 m) { return static_cast<i64>(i128{amount} * m / 1000); }

  // Numerator making numerator/den exactly p/q (den must be a multiple of q), plus `off` cents.
  static i64 exact(i64 den, Edge e, i64 off) { return den / e.q * e.p + off; }

  i64 edge_offset() { return rng_.pick(std::array<i64, 5>{0, 0, 0, -1, 1}); }

  void maybe_missing(App& a) {
    a.has_ca = !rng_.permille(40);
    a.has_cl = !rng_.permille(40);
    a.has_ocf = !rng_.permille(40);
    a.has_ie = !rng_.permille(40);
  }

  // An ordinary applicant. big: a member of a large corporate group.
  void make_regular(App& a, bool big, bool heavy) {
    a.industry = pick_industry();

    u64 u = rng_.below(1000);
    if (u < 40) {
      a.has_years = false;
    } else if (u < 140) {
      a.years = rng_.pick(std::array<i64, 7>{0, 1, 2, 4, 5, 9, 10});
    } else if (u < 146) {
      a.years = rng_.pick(std::array<i64, 4>{-1, -4, 150, 999'999'999});
    } else if (u < 360) {
      a.years = rng_.range(0, 3);
    } else {
      a.years = rng_.range(0, 4);
      a.years += rng_.range(0, 4);
      a.years += rng_.range(0, 7);
      if (rng_.permille(200)) a.years += rng_.range(0, 40);
    }

    bool special_revenue = false;
    u = rng_.below(1000);
    if (big) {
      a.revenue = round_to(rng_.lognormal(40'000'000 * kUnit, 700), kUnit);
    } else if (u < 6) {
      a.revenue = 0;
    } else if (u < 30) {
      special_revenue = true;
      a.revenue = rng_.pick(std::array<i64, 14>{
          500'000'00, 2'000'000'00, 10'000'000'00, 499'999'99, 1'999'999'99, 9'999'999'99,
          500'000'01, 2'000'000'01, 10'000'000'01, 20'000'000'00, 20'000'000'04, 27'777'777'78,
          41'666'666'67, 83'333'333'34});
    } else {
      a.revenue = rng_.lognormal(1'500'000 * kUnit, 1100);
      if (rng_.permille(700)) a.revenue = round_to(a.revenue, kUnit);
    }
    const bool margin_edge = rng_.permille(35);
    const bool leverage_edge = rng_.permille(30);
    if ((margin_edge || leverage_edge) && !special_revenue) a.revenue = round_to(a.revenue, 20);

    // Net income: margin ~ N(6%, 9%); exact 0 / 5% / 15% edges.
    if (margin_edge && a.revenue > 0 && a.revenue % 20 == 0) {
      const Edge e = rng_.pick(std::array<Edge, 3>{{{0, 1}, {1, 20}, {3, 20}}});
      a.net_income = exact(a.revenue, e, edge_offset());
    } else if (a.revenue > 0) {
      a.net_income = static_cast<i64>(i128{a.revenue} * (60'000 + 90 * rng_.normal_milli()) /
                                      1'000'000);
    } else {
      a.net_income = rng_.range(-5'000'00, 5'000'00);
    }

    // Current assets / liabilities: ratio log-normal around 1.35; edges 0.8, 1.2, 2.0.
    a.cl = a.revenue == 0 ? rng_.lognormal(300'000 * kUnit, 1000)
                          : scale_ppm(a.revenue, 50'000, 400'000);
    if (rng_.permille(600)) a.cl = round_to(a.cl, kUnit);
    u = rng_.below(1000);
    if (u < 10) {
      a.cl = 0;
      a.ca = rng_.lognormal(100'000 * kUnit, 1000);
    } else if (u < 15) {
      a.cl = -rng_.range(1, 20'000'000);
      a.ca = rng_.permille(500) ? 0 : rng_.lognormal(100'000 * kUnit, 1000);
    } else if (u < 55) {
      a.cl = round_to(a.cl, 5);
      const Edge e = rng_.pick(std::array<Edge, 3>{{{4, 5}, {6, 5}, {2, 1}}});
      a.ca = exact(a.cl, e, edge_offset());
    } else if (u < 58) {
      a.ca = -rng_.range(1, 5'000'000);
    } else {
      a.ca = rng_.lognormal(a.cl / 100 * 135, 450);
      if (rng_.permille(500)) a.ca = round_to(a.ca, kUnit);
    }

    // Total assets / liabilities: debt ratio around 0.55; edges 0.4, 0.6, 0.8 and 1.0 (K03).
    a.ta = rng_.lognormal((a.revenue > 50'000'00 ? a.revenue : 50'000'00) / 100 * 82, 600);
    if (rng_.permille(600)) a.ta = round_to(a.ta, kUnit);
    u = rng_.below(1000);
    if (u < 4) {
      a.ta = 0;
      a.tl = rng_.range(0, 2'000'000'00);
    } else if (u < 50) {
      a.ta = round_to(a.ta, 5);
      const Edge e = rng_.pick(std::array<Edge, 4>{{{2, 5}, {3, 5}, {4, 5}, {1, 1}}});
      a.tl = exact(a.ta, e, edge_offset());
      if (a.tl < 0) a.tl = 0;
    } else {
      i64 debt_ppm = 550'000 + 170 * rng_.normal_milli();
      if (rng_.permille(70)) debt_ppm = debt_ppm / 4 * 5;
      if (debt_ppm < 0) debt_ppm = -debt_ppm / 10;
      a.tl = static_cast<i64>(i128{a.ta} * debt_ppm / 1'000'000);
    }

    // Interest and operating cash flow: coverage around 3.5; edges 1, 3, 6; interest 0.
    a.ie = scale_ppm(a.revenue > 10'000'00 ? a.revenue : 10'000'00, 2'000, 50'000);
    u = rng_.below(1000);
    if (u < 20) {
      a.ie = 0;
      a.ocf = rng_.range(-200'000'00, 900'000'00);
    } else if (u < 60) {
      a.ocf = a.ie * rng_.pick(std::array<i64, 3>{1, 3, 6});
      a.ocf += edge_offset();
    } else {
      a.ocf = static_cast<i64>(i128{a.ie} * (3'500'000 + 3'000 * rng_.normal_milli()) /
                               1'000'000);
    }

    // Bureau score.
    u = rng_.below(1000);
    if (u < 40) {
      a.has_bureau = false;
    } else if (u < 80) {
      a.bureau =
          rng_.pick(std::array<i64, 10>{300, 549, 550, 649, 650, 719, 720, 799, 800, 900});
    } else {
      a.bureau = 690 + 75 * rng_.normal_milli() / 1000;
      a.bureau = a.bureau < 300 ? 300 : a.bureau > 900 ? 900 : a.bureau;
    }

    // Delinquency and defaults.
    u = rng_.below(1000);
    if (u < 700) {
      a.dpd = 0;
    } else if (u < 760) {
      a.dpd = rng_.pick(std::array<i64, 7>{1, 29, 30, 59, 60, 89, 90});
    } else if (u < 900) {
      a.dpd = rng_.range(1, 29);
    } else if (u < 960) {
      a.dpd = rng_.range(30, 89);
    } else {
      a.dpd = rng_.range(90, 400);
    }
    a.defaults = rng_.permille(975) ? 0 : rng_.range(1, 3);

    // Existing exposure and the request.
    u = rng_.below(1000);
    if (big) {
      a.exposure = round_to(rng_.lognormal((heavy ? 2'600'000 : 1'100'000) * kUnit, 500), kUnit);
    } else if (u < 450) {
      a.exposure = 0;
    } else if (u < 550) {
      a.exposure = scale_ppm(a.revenue, 150'000, 300'000);  // near or over the limit
    } else {
      a.exposure = scale_ppm(a.revenue, 0, 120'000);
    }
    u = rng_.below(1000);
    a.requested = 0;
    if (big) {
      a.requested = rng_.range(300'000, 2'400'000) * kUnit;
      if (rng_.permille(600)) a.requested = round_to(a.requested, 10'000 * kUnit);
    } else if (u < 6) {
      a.requested = rng_.pick(std::array<i64, 2>{2'000'000'00, 2'000'000'01});
    } else if (u < 15) {
      a.requested = rng_.range(2'000'000 * kUnit, 6'000'000 * kUnit);
    } else if (leverage_edge && a.revenue > 0 && a.revenue % 20 == 0) {
      const Edge e = rng_.pick(std::array<Edge, 3>{{{1, 10}, {3, 10}, {3, 5}}});
      const i64 target = exact(a.revenue, e, edge_offset());
      a.requested = target - a.exposure;
    } else {
      a.requested = scale_ppm(a.revenue > 100'000'00 ? a.revenue : 100'000'00, 10'000, 250'000);
      if (rng_.permille(500)) a.requested = round_to(a.requested, 1000 * kUnit);
    }
    if (a.requested <= 0) {
      a.requested = rng_.range(1, 200'000) * kUnit;
      a.requested += rng_.pick(std::array<i64, 5>{0, 0, 0, 50, 99});
    }

    maybe_missing(a);
  }

  // A strong applicant: every characteristic at its best bin except `flaws` of them, so the
  // record has exactly `flaws` score reasons (0, 1 or 2).
  void make_prime(App& a, int flaws, i64 min_revenue) {
    unsigned mask = 0;
    while (static_cast<int>(__builtin_popcount(mask)) < flaws) mask |= 1u << rng_.below(10);
    auto flawed = [&](int c) { return (mask >> (c - 1)) & 1u; };

    a.industry = flawed(9) ? rng_.pick(std::array<int, 3>{kManufacturing, kServices, kRetail})
                           : kTechnology;
    a.years = flawed(8) ? rng_.range(5, 9) : rng_.range(10, 35);
    a.revenue = flawed(10) ? rng_.range(2'000'000, 9'999'999) * kUnit
                           : rng_.lognormal(25'000'000 * kUnit, 400);
    if (!flawed(10) && a.revenue < 10'000'000 * kUnit) a.revenue = 10'000'000 * kUnit;
    if (a.revenue < min_revenue) a.revenue = min_revenue;
    a.revenue = round_to(a.revenue, kUnit);
    a.net_income = per_mille(a.revenue, flawed(3) ? rng_.range(60, 140) : rng_.range(155, 300));
    a.cl = round_to(scale_ppm(a.revenue, 50'000, 150'000), kUnit);
    a.ca = per_mille(a.cl, flawed(1) ? rng_.range(1'250, 1'900) : rng_.range(2'000, 3'500));
    a.ta = round_to(scale_ppm(a.revenue, 600'000, 1'200'000), kUnit);
    a.tl = per_mille(a.ta, flawed(2) ? rng_.range(450, 590) : rng_.range(100, 390));
    a.ie = round_to(scale_ppm(a.revenue, 2'000, 10'000), kUnit);
    a.ocf = per_mille(a.ie, flawed(4) ? rng_.range(3'100, 5'900) : rng_.range(6'000, 15'000));
    a.bureau = flawed(6) ? rng_.range(720, 799) : rng_.range(800, 900);
    a.dpd = flawed(7) ? rng_.range(1, 29) : 0;
    a.defaults = 0;
    a.exposure = rng_.permille(500) ? 0 : round_to(scale_ppm(a.revenue, 0, 40'000), kUnit);
    if (flawed(5)) {  // leverage in [0.1, 0.3)
      a.requested = scale_ppm(a.revenue, 150'000, 250'000) - a.exposure;
    } else {          // leverage < 0.1
      a.requested = scale_ppm(a.revenue / 10 - a.exposure - 1, 100'000, 900'000);
    }
    a.requested = round_to(a.requested, 1000 * kUnit);
    if (a.requested <= 0) a.requested = 1000 * kUnit;
  }

  // Extreme but valid magnitudes (|money| close to 10^13, integers close to 10^9).
  void make_extreme(App& a) {
    constexpr i64 kMax = 999'999'999'999'999;  // 9999999999999.99
    a.industry = pick_industry();
    a.years = rng_.pick(std::array<i64, 3>{999'999'999, -999'999'999, 40});
    a.revenue = rng_.permille(300) ? kMax : rng_.range(kMax / 10, kMax);
    a.net_income = static_cast<i64>(i128{a.revenue} * rng_.range(-300, 300) / 1000);
    a.cl = rng_.range(-kMax, kMax);
    a.ca = rng_.range(-kMax, kMax);
    a.ta = round_to(rng_.range(kMax / 10, kMax), 5);
    a.tl = a.ta / 5 * rng_.pick(std::array<i64, 4>{2, 3, 4, 5});
    a.ie = rng_.range(0, kMax);
    a.ocf = rng_.range(-kMax, kMax);
    a.bureau = rng_.range(300, 900);
    a.dpd = rng_.pick(std::array<i64, 3>{0, 0, 999'999'999});
    a.defaults = rng_.pick(std::array<i64, 3>{0, 0, 999'999'999});
    a.exposure = rng_.range(0, kMax);
    a.requested = rng_.range(1, kMax);
  }

  // Moves the exposure onto the W01 boundary (10 x exposure = 9 x max_limit, or a cent either
  // side) or onto the limit itself (headroom 0, or a cent either side), keeping max_limit stable.
  void pin_exposure(App& a, bool w01) {
    const i64 off = rng_.pick(std::array<i64, 4>{0, 0, 1, -1});
    const i64 saved = a.exposure;
    for (int iteration = 0; iteration < 4; ++iteration) {
      const i64 limit = evaluate(a).max_limit;
      if (limit == 0) break;
      const i64 want = (w01 ? limit / 10 * 9 : limit) + off;
      if (want == a.exposure) return;
      a.exposure = want;
    }
    a.exposure = saved;
  }

  // Last member of a kTight group: exposure + approval such that the group's approvals equal
  // its headroom (offset 0) or exceed it by one cent (offset 1).
  void finish_tight(App& a, const Group& g) {
    const i64 rest = kGroupCap - g.tight_sum + g.tight_offset;
    if (rest <= 0 || rest > 4'900'000 * kUnit) return;
    const App saved = a;
    a.requested = rest <= 2'000'000 * kUnit ? rest : rng_.range(500'000 * kUnit, 2'000'000 * kUnit);
    a.exposure = rest - a.requested;
    const Outcome o = evaluate(a);
    if (!o.approve || o.approved != a.requested) a = saved;
  }

  // ----- text --------------------------------------------------------------------------------

  std::string_view money(i64 cents) {
    if (cents == 0) {
      // "0.00" mostly; now and then "0", "0.0", "000.00" and the negative zeros "-0.00", "-0".
      const u64 u = rng_.below(100);
      return u < 84 ? "0.00" : u < 90 ? "0" : u < 93 ? "0.0" : u < 95 ? "000.00" : u < 98 ? "-0.00" : "-0";
    }
    char* p = scratch_.cursor();
    const u64 a = cents < 0 ? static_cast<u64>(-cents) : static_cast<u64>(cents);
    const u64 whole = a / 100, frac = a % 100;
    if (cents < 0) *p++ = '-';
    if (rng_.ppm(3000)) p = put_text(p, "00");  // leading zeros: "007.00"
    p = put_uint(p, whole);
    const u64 u = rng_.below(1000);
    if (frac == 0) {
      if (u < 120) {
        // "1200000"
      } else if (u < 140) {
        p = put_text(p, ".0");
      } else {
        p = put_text(p, ".00");
      }
    } else if (frac % 10 == 0 && u < 60) {  // "1200000.5"
      *p++ = '.';
      *p++ = static_cast<char>('0' + frac / 10);
    } else {
      *p++ = '.';
      *p++ = static_cast<char>('0' + frac / 10);
      *p++ = static_cast<char>('0' + frac % 10);
    }
    return scratch_.commit(p);
  }

  std::string_view integer(i64 v) {
    if (v == 0 && rng_.permille(15)) return rng_.permille(500) ? "-0" : "00";
    char* p = scratch_.cursor();
    if (v < 0) *p++ = '-';
    if (v >= 0 && rng_.ppm(3000)) *p++ = '0';  // "07"
    p = put_uint(p, v < 0 ? static_cast<u64>(-v) : static_cast<u64>(v));
    return scratch_.commit(p);
  }

  std::string_view id_text(char prefix, u64 number, int width) {
    char* p = scratch_.cursor();
    *p++ = prefix;
    char digits[24];
    const int n = static_cast<int>(put_uint(digits, number) - digits);
    for (int k = n; k < width; ++k) *p++ = '0';
    p = put_text(p, std::string_view(digits, static_cast<std::size_t>(n)));
    return scratch_.commit(p);
  }

  // ----- bad rows ----------------------------------------------------------------------------

  static constexpr std::array<int, 10> kRequired = {kCustomerId,  kIndustryCol, kRevenue,
                                                    kNetIncome,   kTotalAssets, kTotalLiabilities,
                                                    kDaysPastDue, kDefaults,    kExposure,
                                                    kRequested};

  int pick_numeric_column() { return static_cast<int>(rng_.range(kYears, kRequested)); }

  std::string_view unparsable_text(int column) {
    if (rng_.permille(400)) return rng_.pick(std::array<std::string_view, 4>{"1e3", ".5", "5.", "+1"});
    if (is_integer_column(column)) {
      return rng_.pick(std::array<std::string_view, 16>{"1.0", "5.", ".5", "+1", "1e3", "0x1F",
                                                         "12a", "-", "--1", " 7", "7 ", "NaN",
                                                         "1_000", "2.5", "١", "+0"});
    }
    return rng_.pick(std::array<std::string_view, 22>{
        "1e3", ".5", "5.", "+1", "1.234", "12a.50", " 42", "42 ", "NaN", "inf", "0x10", "--3",
        "1 000", "12.5.1", "-", ".", "-.5", "1.2e5", "1.-5", "+0.00", "1'000", "5.000"});
  }

  std::string_view magnitude_text(int column) {
    if (is_integer_column(column)) {
      return rng_.pick(std::array<std::string_view, 5>{"1000000000", "-1000000000",
                                                        "18446744073709551617", "0001000000000",
                                                        "99999999999999999999999999"});
    }
    return rng_.pick(std::array<std::string_view, 6>{
        "10000000000000.00", "-10000000000000", "10000000000000", "18446744073709551616.01",
        "99999999999999999999999999999999999999999999999999.99", "-00010000000000000.5"});
  }

  void erase_field(Fields& f, int& n, int at) {
    for (int k = at; k + 1 < n; ++k) f[static_cast<std::size_t>(k)] = f[static_cast<std::size_t>(k + 1)];
    --n;
  }

  void insert_field(Fields& f, int& n, int at, std::string_view text) {
    for (int k = n; k > at; --k) f[static_cast<std::size_t>(k)] = f[static_cast<std::size_t>(k - 1)];
    f[static_cast<std::size_t>(at)] = text;
    ++n;
  }

  void corrupt(Fields& f, int& n) {
    auto at = [&](int c) -> std::string_view& { return f[static_cast<std::size_t>(c)]; };
    switch (rng_.below(7)) {
      case 0: {  // column_count
        switch (rng_.below(6)) {
          case 0:  // empty line
            n = 1;
            at(0) = "";
            break;
          case 1: {  // a thousands separator: "1,234.56" -> one field too many
            const int c = rng_.pick(std::array<int, 6>{kRevenue, kNetIncome, kTotalAssets,
                                                       kExposure, kRequested, kCurrentAssets});
            const std::string_view text = at(c);
            if (text.size() >= 2) {
              at(c) = text.substr(0, 1);
              insert_field(f, n, c + 1, text.substr(1));
            } else {
              at(c) = "1";
              insert_field(f, n, c + 1, "0");
            }
            break;
          }
          case 2:  // a trailing comma or an extra field
            at(n++) = rng_.pick(std::array<std::string_view, 3>{"", "x", "extra"});
            break;
          case 3:  // a field left out
            erase_field(f, n, static_cast<int>(rng_.range(1, kColumns - 1)));
            break;
          case 4:  // the line cut short
            n = static_cast<int>(rng_.range(1, kColumns - 2));
            break;
          default:  // several extra fields
            for (int k = 0; k < 3; ++k) at(n++) = rng_.pick(std::array<std::string_view, 2>{"0", ""});
            break;
        }
        break;
      }
      case 1:  // missing:<required column>
        at(rng_.pick(kRequired)) = "";
        break;
      case 2: {  // unparsable:<numeric column>
        const int c = pick_numeric_column();
        at(c) = unparsable_text(c);
        break;
      }
      case 3:  // unknown:industry
        at(kIndustryCol) = rng_.pick(std::array<std::string_view, 11>{
            "mining", "Retail", "tech", "finance", "MANUFACTURING", " retail", "retail ",
            "Services", "agri", "technology.", "n/a"});
        break;
      case 4: {  // out_of_range: [C3] magnitude
        const int c = pick_numeric_column();
        at(c) = magnitude_text(c);
        break;
      }
      case 5: {  // out_of_range: [C4] domain
        struct Bad {
          int column;
          std::string_view text;
        };
        const Bad b = rng_.pick(std::array<Bad, 18>{{{kRevenue, "-0.01"},
                                                     {kRevenue, "-1"},
                                                     {kTotalAssets, "-500.00"},
                                                     {kTotalLiabilities, "-0.01"},
                                                     {kInterestExpense, "-5.00"},
                                                     {kBureauScore, "299"},
                                                     {kBureauScore, "901"},
                                                     {kBureauScore, "0"},
                                                     {kBureauScore, "-700"},
                                                     {kDaysPastDue, "-1"},
                                                     {kDefaults, "-2"},
                                                     {kExposure, "-100.00"},
                                                     {kExposure, "-0.01"},
                                                     {kRequested, "0"},
                                                     {kRequested, "0.00"},
                                                     {kRequested, "-0.00"},
                                                     {kRequested, "-10.00"},
                                                     {kRequested, "-0"}}});
        at(b.column) = b.text;
        break;
      }
      default: {  // two faults: the first column in order wins; within a column, syntax first
        struct Pair {
          int c1;
          std::string_view t1;
          int c2;
          std::string_view t2;
        };
        const Pair p = rng_.pick(std::array<Pair, 9>{{{kIndustryCol, "mining", kRevenue, ""},
                                                      {kRevenue, "1e3", kRequested, "0"},
                                                      {kBureauScore, "299", kExposure, ""},
                                                      {kCustomerId, "", kIndustryCol, "Tech"},
                                                      {kYears, "1000000000", kRevenue, "-1"},
                                                      {kRevenue, "-5.", kRevenue, "-5."},
                                                      {kRequested, "-1e3", kRequested, "-1e3"},
                                                      {kBureauScore, "3.5e2", kDefaults, "x"},
                                                      {kNetIncome, "", kTotalAssets, "abc"}}});
        at(p.c2) = p.t2;
        at(p.c1) = p.t1;
        break;
      }
    }
  }

  // ----- one row -----------------------------------------------------------------------------

  void row(u64 i) {
    scratch_.reset();
    const std::int32_t gi = group_of_[i];
    Group* g = gi >= 0 ? &groups_[static_cast<std::size_t>(gi)] : nullptr;
    const GroupKind kind = g ? g->kind : GroupKind::kPlain;
    const std::uint8_t role = role_[i];
    const bool bad = (role & kRejectedRow) != 0 || rng_.ppm(1000);

    App a;
    if (kind == GroupKind::kTight) {
      if (g->seen + 1 == g->size) {
        make_prime(a, 0, 50'000'000 * kUnit);
        if (!bad) finish_tight(a, *g);
      } else {
        make_regular(a, true, false);
        const i64 remaining = static_cast<i64>(g->size - 1 - g->seen);
        i64 share = (g->tight_target - g->tight_sum) / remaining;
        if (share < 0) share = 0;
        a.exposure = round_to(static_cast<i64>(i128{share} * rng_.range(850, 1150) / 1000), kUnit);
        a.requested = rng_.range(50, 400) * 1000 * kUnit;
        a.defaults = 0;
        if (!bad) g->tight_sum += a.exposure + evaluate(a).approved;
      }
    } else if (g == nullptr && rng_.ppm(200)) {
      make_extreme(a);
    } else if (rng_.ppm(4000)) {
      make_prime(a, static_cast<int>(rng_.pick(std::array<i64, 5>{0, 0, 1, 1, 2})), 0);
    } else {
      make_regular(a, kind == GroupKind::kBig || kind == GroupKind::kHeavy,
                   kind == GroupKind::kHeavy);
      if (g == nullptr) {
        if (rng_.ppm(5000)) {
          pin_exposure(a, true);
        } else if (rng_.ppm(4000)) {
          pin_exposure(a, false);
        }
      }
    }
    if (g != nullptr) {
      if (kind != GroupKind::kSingle) a.defaults = (role & kDefaulter) ? rng_.range(1, 3) : 0;
      ++g->seen;
    }

    Fields f;
    int n = kColumns;
    const bool duplicate_id = i > 0 && rng_.ppm(200);  // [C7]: ids are not checked for uniqueness
    f[kCustomerId] = id_text('C', duplicate_id ? i : i + 1, 7);
    f[kGroupId] = g == nullptr ? std::string_view()
                               : id_text(kind == GroupKind::kSingle ? 'S' : 'G', g->number, 6);
    f[kIndustryCol] = kIndustryName[static_cast<std::size_t>(a.industry)];
    f[kYears] = a.has_years ? integer(a.years) : std::string_view();
    f[kRevenue] = money(a.revenue);
    f[kNetIncome] = money(a.net_income);
    f[kCurrentAssets] = a.has_ca ? money(a.ca) : std::string_view();
    f[kCurrentLiabilities] = a.has_cl ? money(a.cl) : std::string_view();
    f[kTotalAssets] = money(a.ta);
    f[kTotalLiabilities] = money(a.tl);
    f[kOperatingCashFlow] = a.has_ocf ? money(a.ocf) : std::string_view();
    f[kInterestExpense] = a.has_ie ? money(a.ie) : std::string_view();
    f[kBureauScore] = a.has_bureau ? integer(a.bureau) : std::string_view();
    f[kDaysPastDue] = integer(a.dpd);
    f[kDefaults] = integer(a.defaults);
    f[kExposure] = money(a.exposure);
    f[kRequested] = money(a.requested);
    if (bad) corrupt(f, n);

    for (int k = 0; k < n; ++k) {
      if (k > 0) out_.push(',');
      out_.append(f[static_cast<std::size_t>(k)]);
    }
    out_.push('\n');
  }

  u64 rows_;
  Rng rng_;
  Output& out_;
  Scratch scratch_;
  std::vector<Group> groups_;
  std::vector<std::int32_t> group_of_;
  std::vector<std::uint8_t> role_;
};

// -------------------------------------------------------------------------------------------
// Command line
// -------------------------------------------------------------------------------------------

bool parse_u64(const char* text, u64& value) {
  if (text == nullptr || *text == '\0') return false;
  u64 v = 0;
  for (const char* p = text; *p != '\0'; ++p) {
    if (*p < '0' || *p > '9') return false;
    const u64 digit = static_cast<u64>(*p - '0');
    if (v > (~u64{0} - digit) / 10) return false;
    v = v * 10 + digit;
  }
  value = v;
  return true;
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "credo-gen-sme: %s\n%s", message.c_str(), kUsage);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  u64 rows = 0, seed = kDefaultSeed;
  bool have_rows = false;
  std::string out_path = "-";
  for (int k = 1; k < argc; ++k) {
    std::string arg = argv[k];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    std::string value;
    bool inline_value = false;
    if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
      inline_value = true;
    }
    if (arg != "--rows" && arg != "--seed" && arg != "--out") {
      return usage_error("unknown argument '" + std::string(argv[k]) + "'");
    }
    if (!inline_value) {
      if (k + 1 >= argc) return usage_error(arg + " needs a value");
      value = argv[++k];
    }
    if (arg == "--rows") {
      if (!parse_u64(value.c_str(), rows) || rows > 0xFFFFFFF0ull)
        return usage_error("--rows wants a whole number below 2^32, got '" + value + "'");
      have_rows = true;
    } else if (arg == "--seed") {
      if (!parse_u64(value.c_str(), seed))
        return usage_error("--seed wants an unsigned 64-bit number, got '" + value + "'");
    } else {
      if (value.empty()) return usage_error("--out wants a path or '-'");
      out_path = value;
    }
  }
  if (!have_rows) return usage_error("--rows is required");

  std::FILE* file = out_path == "-" ? stdout : std::fopen(out_path.c_str(), "wb");
  if (file == nullptr) {
    std::fprintf(stderr, "credo-gen-sme: cannot open '%s' for writing: %s\n", out_path.c_str(),
                 std::strerror(errno));
    return 3;
  }
  Output out(file);
  Generator(rows, seed, out).run();
  bool ok = out.ok() && std::fflush(file) == 0;
  if (file != stdout) ok = std::fclose(file) == 0 && ok;
  if (!ok) {
    std::fprintf(stderr, "credo-gen-sme: writing '%s' failed: %s\n", out_path.c_str(),
                 std::strerror(errno));
    return 3;
  }
  return 0;
}
