// gen_sme_applicants.cc — one application's values (gen_sme.h): ordinary applicants, strong ones
// with an exact number of score reasons, extreme magnitudes, and exposures pinned to the W01 and
// limit boundaries or to a group's exact headroom.
#include "gen_sme.h"

namespace gen_sme {

int Generator::pick_industry() {
  static constexpr std::array<int, 6> kCumulative = {19, 42, 55, 82, 90, 100};
  const u64 u = rng_.below(100);
  int k = 0;
  while (u >= static_cast<u64>(kCumulative[static_cast<std::size_t>(k)])) ++k;
  return k;
}

// amount x (lo..hi)/1'000'000
i64 Generator::scale_ppm(i64 amount, i64 lo, i64 hi) {
  return static_cast<i64>(i128{amount} * rng_.range(lo, hi) / 1'000'000);
}

i64 Generator::edge_offset() { return rng_.pick(std::array<i64, 5>{0, 0, 0, -1, 1}); }

void Generator::maybe_missing(App& a) {
  a.has_ca = !rng_.permille(40);
  a.has_cl = !rng_.permille(40);
  a.has_ocf = !rng_.permille(40);
  a.has_ie = !rng_.permille(40);
}

// An ordinary applicant. big: a member of a large corporate group.
void Generator::make_regular(App& a, bool big, bool heavy) {
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
void Generator::make_prime(App& a, int flaws, i64 min_revenue) {
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
void Generator::make_extreme(App& a) {
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
void Generator::pin_exposure(App& a, bool w01) {
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
void Generator::finish_tight(App& a, const Group& g) {
  const i64 rest = kGroupCap - g.tight_sum + g.tight_offset;
  if (rest <= 0 || rest > 4'900'000 * kUnit) return;
  const App saved = a;
  a.requested = rest <= 2'000'000 * kUnit ? rest : rng_.range(500'000 * kUnit, 2'000'000 * kUnit);
  a.exposure = rest - a.requested;
  const Outcome o = evaluate(a);
  if (!o.approve || o.approved != a.requested) a = saved;
}

}  // namespace gen_sme
