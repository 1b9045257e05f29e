// policy_gen_records.cc — GenerateRecords: CSV records for a generated policy's input, with
// values near the policy's constants and `where` bounds, missing cells, extremes, unreadable cells
// and malformed rows.
#include "policy_gen_impl.h"

#include <cctype>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "gen_exprs.h"

namespace credo::diff {
namespace policy_gen_detail {
namespace {

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

class RecordGen {
 public:
  RecordGen(const PolicySpec& spec, uint64_t seed) : spec_(spec), r_(seed) {}

  std::string Run(int rows) {
    std::string csv;
    for (size_t f = 0; f < spec_.fields.size(); ++f) csv += (f ? "," : "") + spec_.fields[f].name;
    csv += "\n";
    std::vector<std::string> groups;
    int ngroups = int(r_.Range(1, 6));
    for (int g = 0; g < ngroups; ++g) groups.push_back(fmt::format("G{}", g + 1));
    for (int row = 0; row < rows; ++row) {
      int kind = int(r_.Range(0, 199));
      if (kind == 0 && row > 0) {  // an empty line: one field, a column_count reject
        csv += "\n";
        continue;
      }
      std::vector<std::string> cells;
      for (const FieldSpec& f : spec_.fields) cells.push_back(Cell(f, row, groups));
      if (kind < 14 && kind > 0) {  // one unreadable cell
        size_t f = r_.Index(cells.size());
        cells[f] = Bad(spec_.fields[f], cells[f]);
      }
      if (kind == 17)  // every optional cell missing at once
        for (size_t f = 0; f < cells.size(); ++f)
          if (spec_.fields[f].optional && spec_.fields[f].name != "id") cells[f] = "";
      if (kind == 14 && cells.size() > 1) cells.pop_back();
      if (kind == 15) cells.push_back("extra");
      std::string line;
      for (size_t c = 0; c < cells.size(); ++c) {
        if (c) line += ',';
        line += kind == 16 && c + 1 == cells.size() ? std::string("\"x\"y") : CsvCell(cells[c]);  // text after a closing quote
      }
      csv += line + "\n";
    }
    return csv;
  }

 private:
  std::string Cell(const FieldSpec& f, int row, const std::vector<std::string>& groups) {
    if (f.name == "id") {
      if (f.unique && row > 0 && r_.Chance(3)) return ids_[r_.Index(ids_.size())];
      std::string id = fmt::format("r{}", row + 1);
      if (r_.Chance(2)) id += r_.Chance(50) ? ",x" : " \"q\"";
      ids_.push_back(id);
      return id;
    }
    if (f.group_key) {
      if (r_.Chance(f.optional ? 12 : 1)) return "";
      return r_.Pick(groups);
    }
    if (r_.Chance(f.optional ? 15 : 1)) return "";
    switch (f.type) {
      case FieldType::Int: return IntCell(f);
      case FieldType::Money: return MoneyCell(f);
      case FieldType::Number: return NumberCell(f);
      case FieldType::Bool: {  // the usual spellings are all accepted
        static const char* k[] = {"true", "false", "true", "false", "TRUE", "False", "yes", "no", "Y", "N", "1", "0"};
        return k[r_.Index(std::size(k))];
      }
      case FieldType::Date: return DateCell();
      case FieldType::Enum: return r_.Pick(f.enum_values);
      case FieldType::Decimal: return gen_exprs::DecimalCell(r_, Scaled(f, f.scale, 1'000'000'000'000'000), f.scale);
      case FieldType::Percent: return gen_exprs::PercentCell(r_, Scaled(f, 4, 10'000'000'000'000));
      case FieldType::String: {
        std::vector<std::string> pool = spec_.strings;
        pool.push_back("line\nbreak");
        pool.push_back("q\"q");
        std::string s = r_.Pick(pool);
        return s.empty() ? "alpha" : s;
      }
    }
    return "";
  }

  // A value in the field's units (int: 1, money: cents) near the policy's constants and bounds;
  // mostly inside the field's `where` bounds, so that most records are evaluated.
  int64_t Scaled(const FieldSpec& f, int scale, int64_t limit) {
    int64_t x = AnyScaled(f, scale, limit);
    if ((f.has_lo || f.has_hi) && r_.Chance(80)) {
      int64_t lo = f.has_lo ? f.lo + (f.lo_strict ? 1 : 0) : -limit + 1;
      int64_t hi = f.has_hi ? f.hi - (f.hi_strict ? 1 : 0) : limit - 1;
      if (lo <= hi) x = x < lo || x > hi ? r_.Range(lo, std::min(hi, lo + 1000 * int64_t(Pow10u(scale)))) : x;
    }
    return x;
  }

  int64_t AnyScaled(const FieldSpec& f, int scale, int64_t limit) {
    int64_t unit = int64_t(Pow10u(scale));
    int v = int(r_.Range(0, 99));
    int64_t x;
    if (v < 30 && !spec_.literals.empty()) {
      auto [lit, ls] = r_.Pick(spec_.literals);
      __int128 w = ls >= scale ? __int128(lit) / __int128(Pow10u(ls - scale)) : __int128(lit) * __int128(Pow10u(scale - ls));
      if (w > limit || w < -limit) w = w > 0 ? limit - 1 : -limit + 1;
      x = int64_t(w) + r_.Range(-1, 1);
    } else if (v < 45 && (f.has_lo || f.has_hi)) {
      x = (f.has_lo && (!f.has_hi || r_.Chance(50)) ? f.lo : f.hi) + r_.Range(-1, 1);
    } else if (v < 55) {
      x = (r_.Chance(50) ? 1 : -1) * (limit - 1 - r_.Range(0, 1));
    } else if (v < 57) {
      x = limit;  // out of range: rejected
    } else if (v < 65 && (f.has_lo || f.has_hi)) {
      int64_t lo = f.has_lo ? f.lo : f.hi - 1000 * unit, hi = f.has_hi ? f.hi : f.lo + 1000 * unit;
      x = r_.Range(lo, hi);
    } else if (v < 80) {
      x = r_.Range(-100, 100) * unit + (r_.Chance(50) ? r_.Range(0, unit - 1) : 0);
    } else if (v < 85) {
      x = 0;
    } else {
      x = r_.Range(0, 1000000) * unit + r_.Range(0, unit - 1);
    }
    return x;
  }

  std::string IntCell(const FieldSpec& f) {
    int64_t x = Scaled(f, 0, 1'000'000'000);
    std::string s = std::to_string(x);
    if (x == 0 && r_.Chance(20)) s = "-0";
    if (x > 0 && r_.Chance(3)) s = "00" + s;
    return s;
  }

  std::string MoneyCell(const FieldSpec& f) {
    int64_t x = Scaled(f, 2, 1'000'000'000'000'000);
    std::string s = LitText(x, 2, false);
    if (x % 100 == 0 && r_.Chance(50)) s = LitText(x / 100, 0, false);
    else if (x % 10 == 0 && r_.Chance(50)) s = LitText(x / 10, 1, false);
    if (x == 0 && r_.Chance(30)) s = "-0.00";
    return s;
  }

  std::string NumberCell(const FieldSpec& f) {
    std::string text = AnyNumber(f);
    if ((f.has_lo || f.has_hi) && r_.Chance(80)) {  // mostly inside the bounds (hundredths)
      double d = std::strtod(text.c_str(), nullptr);
      double lo = f.has_lo ? double(f.lo) / 100 : -1e300, hi = f.has_hi ? double(f.hi) / 100 : 1e300;
      bool inside = (f.lo_strict ? d > lo : d >= lo) && (f.hi_strict ? d < hi : d <= hi);
      if (!inside) {
        int64_t a = f.has_lo ? f.lo + 1 : f.hi - 100000, b = f.has_hi ? f.hi - 1 : f.lo + 100000;
        if (a <= b) return LitText(r_.Range(a, b), 2, false);
      }
    }
    return text;
  }

  std::string AnyNumber(const FieldSpec& f) {
    int v = int(r_.Range(0, 99));
    if (v < 35 && !spec_.literals.empty()) {
      auto [lit, ls] = r_.Pick(spec_.literals);
      std::string text = LitText(lit, ls, false);
      int nudge = int(r_.Range(0, 2));
      if (nudge == 0) return text;
      double d = std::strtod(text.c_str(), nullptr);
      double n = std::nextafter(d, nudge == 1 ? INFINITY : -INFINITY);
      return std::isfinite(n) ? fmt::format("{}", n) : text;
    }
    if (v < 45 && (f.has_lo || f.has_hi)) {
      int64_t b = f.has_lo && (!f.has_hi || r_.Chance(50)) ? f.lo : f.hi;
      double d = double(b) / 100;
      int nudge = int(r_.Range(0, 2));
      if (nudge) d = std::nextafter(d, nudge == 1 ? INFINITY : -INFINITY);
      return fmt::format("{}", d);
    }
    static const char* kSpecial[] = {"0", "-0", "0.0", "1e300", "-1e300", "1.7976931348623157e308", "5e-324",
                                      "1e-400", "-1e-400", "2.5", "0.1", "1E3", "123456789012345678901234567890",
                                      "9007199254740993", "0.30000000000000004"};
    if (v < 55) return kSpecial[r_.Index(std::size(kSpecial))];
    if (v < 80) return LitText(r_.Range(-100000, 100000), int(r_.Range(0, 4)), false);
    return fmt::format("{}", double(r_.Range(-1000000, 1000000)) / double(r_.Range(1, 1000)));
  }

  std::string DateCell() {
    if (!spec_.dates.empty() && r_.Chance(40)) {
      const std::string& d = r_.Pick(spec_.dates);
      int64_t days = DaysFromCivil(std::stoi(d.substr(0, 4)), std::stoi(d.substr(5, 2)), std::stoi(d.substr(8, 2)));
      return CivilFromDays(days + r_.Range(-1, 1));
    }
    if (r_.Chance(5)) {
      static const char* kEdges[] = {"2024-02-29", "0001-01-01", "9999-12-31", "2000-02-29", "1900-02-28", "2023-01-31"};
      return kEdges[r_.Index(std::size(kEdges))];
    }
    if (r_.Chance(15)) {  // a month's last day
      int y = int(r_.Range(1970, 2035)), m = int(r_.Range(1, 12));
      return CivilFromDays(DaysFromCivil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1);
    }
    return CivilFromDays(r_.Range(DaysFromCivil(1970, 1, 1), DaysFromCivil(2035, 12, 31)));
  }

  std::string Bad(const FieldSpec& f, const std::string& good) {
    switch (f.type) {
      case FieldType::Int: {
        static const char* k[] = {"abc", "1.5", "+5", " 5", "1e3", "1000000000", "-1000000000", "--1", "1_000"};
        return k[r_.Index(std::size(k))];
      }
      case FieldType::Money: {
        static const char* k[] = {"1.234", "1,000", ".5", "5.", "+1", "1e3", "10000000000000", "-10000000000000", "1 000"};
        return k[r_.Index(std::size(k))];
      }
      case FieldType::Number: {
        static const char* k[] = {"inf", "nan", "1e400", ".5", "5.", "+1", "1,5", "-inf", "0x10"};
        return k[r_.Index(std::size(k))];
      }
      case FieldType::Bool: {
        static const char* k[] = {"maybe", "2", "tru", "yess", "t"};
        return k[r_.Index(std::size(k))];
      }
      case FieldType::Date: {
        static const char* k[] = {"2023-02-29", "2024-13-01", "20240101", "2024-1-01", "2024-04-31", "today"};
        return k[r_.Index(std::size(k))];
      }
      case FieldType::Enum: {
        if (!f.enum_values.empty() && r_.Chance(50)) {
          std::string s = f.enum_values[0];
          for (char& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
          return s;
        }
        return "bogus";
      }
      case FieldType::String: return good.empty() ? "" : "";  // an empty cell: missing
      case FieldType::Decimal:
      case FieldType::Percent: return gen_exprs::BadDecimalCell(r_, f.scale, f.type == FieldType::Percent);
    }
    return good;
  }

  const PolicySpec& spec_;
  Rng r_;
  std::vector<std::string> ids_;
};

}  // namespace
}  // namespace policy_gen_detail

std::string GenerateRecords(const PolicySpec& spec, uint64_t seed, int rows) { return policy_gen_detail::RecordGen(spec, seed).Run(rows); }

}  // namespace credo::diff
