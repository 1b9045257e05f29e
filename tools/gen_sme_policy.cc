// gen_sme_policy.cc — the SME policy's per-record arithmetic for one application (gen_sme.h):
// score, grade, limit and approval, exactly as policies/sme-credit-v1 computes them, so that the
// generator can aim at their boundaries.
#include "gen_sme.h"

namespace gen_sme {

namespace {

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

}  // namespace

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

}  // namespace gen_sme
