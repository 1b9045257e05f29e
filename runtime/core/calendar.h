// calendar.h — calendar arithmetic on dates held as days since 1970-01-01 (proleptic Gregorian).
// Written once; the interpreter calls these and the JIT calls them through a helper.
#pragma once

#include <cstdint>

namespace credo::rt {

struct CivilDate {
  int64_t year;
  int month, day;  // 1-based
};

constexpr int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

inline CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int d = int(doy - (153 * mp + 2) / 5 + 1);
  int m = int(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (m <= 2), m, d};
}

inline int DaysInMonth(int64_t y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return kDays[m - 1] + (m == 2 && leap);
}

// The dates credo reads and writes: 0000-01-01 to 9999-12-31 (four-digit years). A computed
// date outside this range is a per-record error (`date_range:<name>`).
inline constexpr int64_t kMinYear = 0, kMaxYear = 9999;
inline constexpr int64_t kMinDate = DaysFromCivil(kMinYear, 1, 1);
inline constexpr int64_t kMaxDate = DaysFromCivil(kMaxYear, 12, 31);
inline bool InDateRange(int64_t days) { return days >= kMinDate && days <= kMaxDate; }

// Whether add_months(date, months) stays in the date range, for a date in the range.
inline bool AddMonthsInRange(int64_t date, int64_t months) {
  constexpr int64_t kSpan = (kMaxYear - kMinYear + 1) * 12;  // more months than that always leave it
  if (months > kSpan || months < -kSpan) return false;
  CivilDate d = CivilFromDays(date);
  int64_t index = d.year * 12 + (d.month - 1) + months;
  return index >= kMinYear * 12 && index <= kMaxYear * 12 + 11;
}

enum class CalendarFn : uint8_t {
  Year, Month, Day, YearsBetween, MonthsBetween, AddMonths,
  AddDays,    // a + b days
  AddYears,   // b years later: add_months(a, 12·b), so Feb 29 + 1 year is Feb 28
  EndOfMonth, // the last day of a's month
  DayOfWeek,  // 1 = Monday ... 7 = Sunday
};

// Whether fn can leave the date range (and so has a `date_range:<name>` site).
constexpr bool CalendarCanFail(CalendarFn fn) {
  return fn == CalendarFn::AddMonths || fn == CalendarFn::AddDays || fn == CalendarFn::AddYears;
}

// Whether Calendar(fn, date, b) stays in the date range, for a date in the range (always true
// for the functions that cannot fail).
inline bool CalendarInRange(CalendarFn fn, int64_t date, int64_t b) {
  switch (fn) {
    case CalendarFn::AddMonths: return AddMonthsInRange(date, b);
    case CalendarFn::AddYears:
      return b <= kMaxYear - kMinYear && b >= -(kMaxYear - kMinYear) && AddMonthsInRange(date, b * 12);
    case CalendarFn::AddDays:
      return b <= kMaxDate - kMinDate && b >= -(kMaxDate - kMinDate) && InDateRange(date + b);
    default: return true;
  }
}

// Whole months from `from` to `to`, counting a month only once its day of the month is reached
// (Jan 31 → Feb 28 is 0 months); negative when `to` is earlier.
inline int64_t MonthsBetween(int64_t from, int64_t to) {
  if (to < from) return -MonthsBetween(to, from);
  CivilDate a = CivilFromDays(from), b = CivilFromDays(to);
  int64_t months = (b.year - a.year) * 12 + (b.month - a.month);
  return b.day < a.day ? months - 1 : months;
}

// `fn` applied to a (a date) and b (a date or, for AddMonths, a number of months). AddMonths
// keeps the day of the month, or takes the month's last day when it is shorter.
inline int64_t Calendar(CalendarFn fn, int64_t a, int64_t b) {
  switch (fn) {
    case CalendarFn::Year: return CivilFromDays(a).year;
    case CalendarFn::Month: return CivilFromDays(a).month;
    case CalendarFn::Day: return CivilFromDays(a).day;
    case CalendarFn::MonthsBetween: return MonthsBetween(a, b);
    case CalendarFn::YearsBetween: return MonthsBetween(a, b) / 12;  // completed years: an age
    case CalendarFn::AddDays: return a + b;
    case CalendarFn::AddYears: return Calendar(CalendarFn::AddMonths, a, b * 12);
    case CalendarFn::EndOfMonth: {
      CivilDate d = CivilFromDays(a);
      return DaysFromCivil(d.year, d.month, DaysInMonth(d.year, d.month));
    }
    case CalendarFn::DayOfWeek: {  // 1970-01-01 (day 0) was a Thursday (4)
      int64_t r = (a + 3) % 7;
      return (r < 0 ? r + 7 : r) + 1;
    }
    case CalendarFn::AddMonths: {
      CivilDate d = CivilFromDays(a);
      int64_t index = d.year * 12 + (d.month - 1) + b;
      int64_t year = index >= 0 ? index / 12 : -((-index + 11) / 12);
      int month = int(index - year * 12) + 1;
      int day = d.day < DaysInMonth(year, month) ? d.day : DaysInMonth(year, month);
      return DaysFromCivil(year, month, day);
    }
  }
  return 0;
}

}  // namespace credo::rt
