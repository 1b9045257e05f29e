// gen_sme_rows.cc — the file credo-gen-sme writes (gen_sme.h): the header line, corporate groups
// planned before the first row (sizes, kinds, defaulters), and each row: its application, its
// fields' text (money and integers in their varied valid spellings) and now and then a fault.
#include "gen_sme.h"

#include <utility>

namespace gen_sme {

namespace {

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

constexpr std::string_view kHeader =
    "customer_id,group_id,industry,years_in_business,revenue,net_income,current_assets,"
    "current_liabilities,total_assets,total_liabilities,operating_cash_flow,interest_expense,"
    "bureau_score,max_days_past_due_12m,defaults_24m,existing_exposure,requested_amount";

}  // namespace

void Generator::run() {
  plan_groups();
  out_.append(kHeader);
  out_.push('\n');
  for (u64 i = 0; i < rows_; ++i) {
    row(i);
    out_.maybe_flush();
  }
  out_.flush();
}

GroupKind Generator::pick_kind(bool allow_tight) {
  const u64 u = rng_.below(1000);
  if (u < 25) return allow_tight ? GroupKind::kTight : GroupKind::kBig;
  if (u < 140) return GroupKind::kBig;
  if (u < 185) return GroupKind::kHeavy;
  return GroupKind::kPlain;
}

void Generator::plan_groups() {
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

std::string_view Generator::money(i64 cents) {
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

std::string_view Generator::integer(i64 v) {
  if (v == 0 && rng_.permille(15)) return rng_.permille(500) ? "-0" : "00";
  char* p = scratch_.cursor();
  if (v < 0) *p++ = '-';
  if (v >= 0 && rng_.ppm(3000)) *p++ = '0';  // "07"
  p = put_uint(p, v < 0 ? static_cast<u64>(-v) : static_cast<u64>(v));
  return scratch_.commit(p);
}

std::string_view Generator::id_text(char prefix, u64 number, int width) {
  char* p = scratch_.cursor();
  *p++ = prefix;
  char digits[24];
  const int n = static_cast<int>(put_uint(digits, number) - digits);
  for (int k = n; k < width; ++k) *p++ = '0';
  p = put_text(p, std::string_view(digits, static_cast<std::size_t>(n)));
  return scratch_.commit(p);
}

void Generator::row(u64 i) {
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

}  // namespace gen_sme
