#include "gen_references.h"

#include <fmt/format.h>

namespace credo::diff {
namespace {

std::string Cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string Key(Rng& r, const std::vector<std::string>& values) {
  if (r.Chance(85) && !values.empty()) {
    const std::string& v = r.Pick(values);
    if (!v.empty()) return v;
  }
  return fmt::format("k{}", r.Range(0, 5));  // a key no record has
}

std::string Amount(Rng& r) {
  static const char* kEdges[] = {"0.00", "-0.01", "9999999999999.99", "-9999999999999.99", "0.5", "12"};
  if (r.Chance(15)) return kEdges[r.Index(std::size(kEdges))];
  int64_t cents = r.Range(-100000, 100000000);
  return fmt::format("{}{}.{:02}", cents < 0 ? "-" : "", (cents < 0 ? -cents : cents) / 100, (cents < 0 ? -cents : cents) % 100);
}

std::string Int(Rng& r) { return std::to_string(r.Chance(10) ? r.Range(-999999999, 999999999) : r.Range(-5, 120)); }

std::string Number(Rng& r) {
  static const char* kEdges[] = {"0", "-0", "1e300", "-1e300", "0.1", "2.5e-3"};
  if (r.Chance(15)) return kEdges[r.Index(std::size(kEdges))];
  return fmt::format("{}.{}", r.Range(-1000, 1000), r.Range(0, 99));
}

// A cell that does not read, or a row of the wrong width, now and then.
std::string Bad(Rng& r, std::string good) {
  if (!r.Chance(4)) return good;
  static const char* kBad[] = {"", "x", "1.234", "1e", "--1"};
  return kBad[r.Index(std::size(kBad))];
}

}  // namespace

GeneratedReferences GenReferences(Rng& r, const std::vector<std::pair<std::string, bool>>& keys,
                                  const std::vector<std::string>& key_values, int id, const char* amount_type) {
  GeneratedReferences g;
  std::string many = fmt::format("ledger{}", id), one = fmt::format("register{}", id);
  g.declarations += fmt::format(
      "reference {} \"generated ledger\" keyed by k many {{\n  a: {} where a >= -1000.00\n  k: string\n  n: int\n"
      "  x: number\n}}\n\n",
      many, amount_type);
  g.declarations += fmt::format("reference {} keyed by k {{\n  k: string\n  v: {}?\n  w: int where w != 7\n}}\n\n", one,
                                amount_type);
  // Column orders other than the declared one, and an extra column.
  std::string ledger = "n,extra,k,x,a\n", reg = "w,k,v\n";
  int rows = int(r.Range(0, 40));
  for (int i = 0; i < rows; ++i) {
    std::string row = Bad(r, Int(r)) + ",e," + Cell(Key(r, key_values)) + "," + Bad(r, Number(r)) + "," + Bad(r, Amount(r));
    if (r.Chance(3)) row += ",1";  // another number of fields
    ledger += row + "\n";
  }
  int keys_listed = int(r.Range(0, 8));
  for (int i = 0; i < keys_listed; ++i)
    reg += Bad(r, r.Chance(10) ? "7" : Int(r)) + "," + Cell(Key(r, key_values)) + "," + (r.Chance(20) ? "" : Bad(r, Amount(r))) + "\n";
  g.files = {{many, ledger}, {one, reg}};
  int lookups = int(r.Range(1, 4));
  for (int i = 0; i < lookups; ++i) {
    const auto& [key, optional] = keys[r.Index(keys.size())];
    std::string k = optional && r.Chance(50) ? "(" + key + " ?? \"alpha\")" : key;
    bool opt = optional && k == key;
    switch (r.Range(0, 12)) {
      case 8: g.values.push_back({fmt::format("count({}[{}], n > {})", many, k, r.Range(-5, 60)), RefValue::Int, opt}); break;
      case 9: g.values.push_back({fmt::format("any({}[{}], a > {}.00)", many, k, r.Range(-10, 1000)), RefValue::Bool, opt}); break;
      case 10: g.values.push_back({fmt::format("all({}[{}], x >= 0 or n < 3)", many, k), RefValue::Bool, opt}); break;
      case 11: g.values.push_back({fmt::format("sum({}[{}], a * 2 - n)", many, k), RefValue::Amount, opt}); break;
      case 12: g.values.push_back({fmt::format("max_of({}[{}], if n > 0 then a else -a)", many, k), RefValue::Amount, true}); break;
      case 0: g.values.push_back({fmt::format("sum({}[{}].a)", many, k), RefValue::Amount, opt}); break;
      case 1: g.values.push_back({fmt::format("count({}[{}])", many, k), RefValue::Int, opt}); break;
      case 2: g.values.push_back({fmt::format("max_of({}[{}].n)", many, k), RefValue::Int, true}); break;
      case 3: g.values.push_back({fmt::format("min_of({}[{}].x)", many, k), RefValue::Number, true}); break;
      case 4: g.values.push_back({fmt::format("sum({}[{}].x)", many, k), RefValue::Number, opt}); break;
      case 5: g.values.push_back({fmt::format("{}[{}].v", one, k), RefValue::Amount, true}); break;
      case 6: g.values.push_back({fmt::format("{}[{}].w", one, k), RefValue::Int, true}); break;
      default:
        g.values.push_back({fmt::format("{} {}in {}", k, r.Chance(30) ? "not " : "", one), RefValue::Bool, opt});
        break;
    }
  }
  return g;
}

}  // namespace credo::diff
