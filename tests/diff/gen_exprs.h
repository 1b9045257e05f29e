// gen_exprs.h — policy_gen's part for the constructs of issue 10 section 5: sets and ranges in
// `in`, the calendar functions add_days / add_years / end_of_month / day_of_week, `decimal(N)`
// and `percent` input cells, and `missing means false`. Text in, text out, over policy_gen's Rng.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "policy_gen.h"

namespace credo::diff::gen_exprs {

// An `in` test of `subject` (no parentheses around the whole): a list `[...]`, a set `{...}`,
// negated now and then, or for an ordered subject (numbers, dates) with two or more items a
// range over the first two: `[a, b)`, `(a, b]` or `(a, b)`.
std::string InTest(Rng& r, const std::string& subject, const std::vector<std::string>& items, bool ordered);

// A date: add_days(date, n), add_years(date, n) or end_of_month(date). `n` is an int expression.
std::string DateCall(Rng& r, const std::string& date, const std::string& n);
// An int count for add_days / add_years: small, a leap cycle, or one that leaves the date range.
int64_t DateStep(Rng& r, bool years);

// A `decimal(N)` cell (N 1..9) holding raw `x` (the value · 10^N), in one of its spellings.
std::string DecimalCell(Rng& r, int64_t x, int scale);
// A `percent` cell holding the percentage raw `x4` (· 10^4), with or without `%`.
std::string PercentCell(Rng& r, int64_t x4);
// An unreadable or out-of-range cell of either.
std::string BadDecimalCell(Rng& r, int scale, bool percent);

// The first line of a rules, warnings or decision block, or "".
inline const char* kMissingFalseLine = "  missing means false\n";

}  // namespace credo::diff::gen_exprs
