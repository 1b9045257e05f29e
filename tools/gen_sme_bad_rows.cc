// gen_sme_bad_rows.cc — the rows the policy rejects (gen_sme.h): wrong column counts, missing
// required cells, unparsable numbers, unknown industries, values out of range by magnitude and
// by domain, and two faults in one row.
#include "gen_sme.h"

namespace gen_sme {

namespace {

bool is_integer_column(int c) {
  return c == kYears || c == kBureauScore || c == kDaysPastDue || c == kDefaults;
}

}  // namespace

int Generator::pick_numeric_column() { return static_cast<int>(rng_.range(kYears, kRequested)); }

std::string_view Generator::unparsable_text(int column) {
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

std::string_view Generator::magnitude_text(int column) {
  if (is_integer_column(column)) {
    return rng_.pick(std::array<std::string_view, 5>{"1000000000", "-1000000000",
                                                      "18446744073709551617", "0001000000000",
                                                      "99999999999999999999999999"});
  }
  return rng_.pick(std::array<std::string_view, 6>{
      "10000000000000.00", "-10000000000000", "10000000000000", "18446744073709551616.01",
      "99999999999999999999999999999999999999999999999999.99", "-00010000000000000.5"});
}

void Generator::erase_field(Fields& f, int& n, int at) {
  for (int k = at; k + 1 < n; ++k) f[static_cast<std::size_t>(k)] = f[static_cast<std::size_t>(k + 1)];
  --n;
}

void Generator::insert_field(Fields& f, int& n, int at, std::string_view text) {
  for (int k = n; k > at; --k) f[static_cast<std::size_t>(k)] = f[static_cast<std::size_t>(k - 1)];
  f[static_cast<std::size_t>(at)] = text;
  ++n;
}

void Generator::corrupt(Fields& f, int& n) {
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

}  // namespace gen_sme
