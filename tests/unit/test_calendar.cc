// The calendar functions (runtime/core/calendar.h) on the dates authors ask about: 29 February,
// month ends, completed months and years, weekdays, and the ends of the date range; and the
// percent cell reader (runtime/core/decimal.h).
#include <catch2/catch.hpp>

#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"

using namespace credo::rt;

namespace {

int64_t D(int64_t y, int m, int d) { return DaysFromCivil(y, m, d); }
int64_t Cal(CalendarFn fn, int64_t a, int64_t b = 0) { return Calendar(fn, a, b); }

}  // namespace

TEST_CASE("months_between counts a month once its day of the month is reached", "[calendar]") {
  CHECK(MonthsBetween(D(2024, 1, 31), D(2024, 2, 29)) == 0);
  CHECK(MonthsBetween(D(2024, 1, 31), D(2024, 3, 31)) == 2);
  CHECK(MonthsBetween(D(2024, 1, 31), D(2024, 3, 30)) == 1);
  CHECK(MonthsBetween(D(2024, 1, 15), D(2024, 2, 15)) == 1);
  CHECK(MonthsBetween(D(2024, 1, 15), D(2024, 2, 14)) == 0);
  CHECK(MonthsBetween(D(2024, 2, 29), D(2024, 2, 29)) == 0);
  CHECK(MonthsBetween(D(2025, 3, 31), D(2024, 2, 29)) == -13);  // the negation of the forward count
  CHECK(MonthsBetween(D(2024, 2, 29), D(2025, 3, 31)) == 13);
}

TEST_CASE("years_between: a 29 February birthday completes its year on 1 March, or on 29 February", "[calendar]") {
  int64_t born = D(2000, 2, 29);
  CHECK(Cal(CalendarFn::YearsBetween, born, D(2001, 2, 28)) == 0);
  CHECK(Cal(CalendarFn::YearsBetween, born, D(2001, 3, 1)) == 1);
  CHECK(Cal(CalendarFn::YearsBetween, born, D(2004, 2, 28)) == 3);
  CHECK(Cal(CalendarFn::YearsBetween, born, D(2004, 2, 29)) == 4);
  CHECK(Cal(CalendarFn::YearsBetween, D(1990, 6, 15), D(2024, 6, 14)) == 33);
  CHECK(Cal(CalendarFn::YearsBetween, D(1990, 6, 15), D(2024, 6, 15)) == 34);
  CHECK(Cal(CalendarFn::YearsBetween, D(2024, 6, 15), D(1990, 6, 15)) == -34);
}

TEST_CASE("add_years keeps month and day, 29 February becomes 28 February", "[calendar]") {
  CHECK(Cal(CalendarFn::AddYears, D(2024, 2, 29), 1) == D(2025, 2, 28));
  CHECK(Cal(CalendarFn::AddYears, D(2024, 2, 29), 4) == D(2028, 2, 29));
  CHECK(Cal(CalendarFn::AddYears, D(2024, 2, 29), -100) == D(1924, 2, 29));
  CHECK(Cal(CalendarFn::AddYears, D(2024, 2, 29), 76) == D(2100, 2, 28));  // 2100 is no leap year
  CHECK(Cal(CalendarFn::AddYears, D(2023, 12, 31), -1) == D(2022, 12, 31));
  CHECK(CalendarInRange(CalendarFn::AddYears, D(9998, 12, 31), 1));
  CHECK_FALSE(CalendarInRange(CalendarFn::AddYears, D(9999, 1, 1), 1));
  CHECK_FALSE(CalendarInRange(CalendarFn::AddYears, D(0, 1, 1), -1));
  CHECK_FALSE(CalendarInRange(CalendarFn::AddYears, D(2024, 1, 1), INT64_MAX));  // no overflow on the way
  CHECK_FALSE(CalendarInRange(CalendarFn::AddYears, D(2024, 1, 1), INT64_MIN));
}

TEST_CASE("add_days and its range", "[calendar]") {
  CHECK(Cal(CalendarFn::AddDays, D(2024, 2, 28), 1) == D(2024, 2, 29));
  CHECK(Cal(CalendarFn::AddDays, D(2023, 2, 28), 1) == D(2023, 3, 1));
  CHECK(Cal(CalendarFn::AddDays, D(2024, 1, 1), -1) == D(2023, 12, 31));
  CHECK(CalendarInRange(CalendarFn::AddDays, D(9999, 12, 30), 1));
  CHECK_FALSE(CalendarInRange(CalendarFn::AddDays, D(9999, 12, 31), 1));
  CHECK_FALSE(CalendarInRange(CalendarFn::AddDays, D(0, 1, 1), -1));
  CHECK_FALSE(CalendarInRange(CalendarFn::AddDays, D(2024, 1, 1), INT64_MAX));
  CHECK_FALSE(CalendarInRange(CalendarFn::AddDays, D(2024, 1, 1), INT64_MIN));
  CHECK(CalendarInRange(CalendarFn::AddDays, kMinDate, kMaxDate - kMinDate));
}

TEST_CASE("end_of_month and day_of_week", "[calendar]") {
  CHECK(Cal(CalendarFn::EndOfMonth, D(2024, 2, 10)) == D(2024, 2, 29));
  CHECK(Cal(CalendarFn::EndOfMonth, D(2023, 2, 1)) == D(2023, 2, 28));
  CHECK(Cal(CalendarFn::EndOfMonth, D(1900, 2, 1)) == D(1900, 2, 28));
  CHECK(Cal(CalendarFn::EndOfMonth, D(2000, 2, 1)) == D(2000, 2, 29));
  CHECK(Cal(CalendarFn::EndOfMonth, D(9999, 12, 1)) == kMaxDate);
  CHECK(Cal(CalendarFn::DayOfWeek, D(1970, 1, 1)) == 4);   // a Thursday
  CHECK(Cal(CalendarFn::DayOfWeek, D(2024, 1, 1)) == 1);   // Monday
  CHECK(Cal(CalendarFn::DayOfWeek, D(2023, 12, 31)) == 7); // Sunday
  CHECK(Cal(CalendarFn::DayOfWeek, D(1969, 12, 29)) == 1); // before day 0: Monday
  CHECK(Cal(CalendarFn::DayOfWeek, D(0, 1, 1)) == 6);      // proleptic Gregorian: a Saturday
  for (int64_t day = D(2024, 3, 4); day < D(2024, 3, 11); ++day)
    CHECK(Cal(CalendarFn::DayOfWeek, day) == day - D(2024, 3, 4) + 1);
}

TEST_CASE("a percent cell is the exact fraction at scale 6", "[decimal][percent]") {
  int64_t v = 0;
  REQUIRE(ParsePercent("12.5%", &v) == ParseStatus::Ok);
  CHECK(v == 125000);
  REQUIRE(ParsePercent("12.5", &v) == ParseStatus::Ok);
  CHECK(v == 125000);
  REQUIRE(ParsePercent("-0.0001%", &v) == ParseStatus::Ok);
  CHECK(v == -1);
  REQUIRE(ParsePercent("999999999.9999", &v) == ParseStatus::Ok);
  CHECK(v == 9'999'999'999'999);
  for (const char* bad : {"%", "12.5%%", "12.34567", "5 %", "+5", ".5%", "1e2%", "12,5", ""})
    CHECK(ParsePercent(bad, &v) == ParseStatus::Unparsable);
  CHECK(ParsePercent("1000000000", &v) == ParseStatus::OutOfRange);
  CHECK(ParsePercent("-1000000000%", &v) == ParseStatus::OutOfRange);
}
