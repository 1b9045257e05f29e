#include "gen_outputs.h"

namespace credo::diff {

std::string GenGroupOutputs(Rng& r, const GroupOutputParts& parts) {
  std::string out;
  int outputs = int(r.Range(1, 2));
  for (int o = 0; o < outputs; ++o) {
    std::vector<std::string> columns, items;
    if (r.Chance(80)) {
      columns.push_back(parts.key);
      items.push_back(parts.key);
    }
    for (const auto& let : parts.uniform_lets)
      if (r.Chance(50)) {
        std::string col = r.Chance(50) ? let : parts.fresh("c");
        columns.push_back(col);
        items.push_back(col == let ? let : col + " = " + let);
      }
    int aggregates = int(r.Range(1, 3));
    for (int a = 0; a < aggregates; ++a) {
      std::string col = parts.fresh("c");
      columns.push_back(col);
      items.push_back(col + " = " + parts.aggregate());
    }
    std::string order;
    int keys = int(r.Range(0, std::min<int64_t>(3, int64_t(columns.size()))));
    std::vector<std::string> left = columns;
    for (int k = 0; k < keys; ++k) {
      size_t at = r.Index(left.size());
      order += (k ? ", " : " order by ") + left[at];
      int dir = int(r.Range(0, 2));
      order += dir == 0 ? "" : dir == 1 ? " asc" : " desc";
      left.erase(left.begin() + long(at));
    }
    out += "\noutput " + parts.fresh("summary") + " per group" + order + " {\n";
    for (const auto& item : items) out += "  " + item + "\n";
    out += "}\n";
  }
  return out;
}

std::string GenRejects(Rng& r) {
  static const char* kKinds[][2] = {{"bad_quote", ""},      {"field_count", "count"}, {"missing", "field"},
                                    {"unparsable", "field"}, {"not_in_list", "field"}, {"out_of_range", "field"},
                                    {"inconsistent", "check"}, {"duplicate", "field"}, {"overflow", "name"},
                                    {"date_range", "name"}};
  std::string out = "\nrejects {\n";
  int code = 0;
  for (const auto& kind : kKinds) {
    if (!r.Chance(50)) continue;
    std::string text = "R" + std::to_string(++code);
    std::string placeholder = kind[1];
    if (!placeholder.empty() && r.Chance(75)) {
      int form = int(r.Range(0, 2));
      text = form == 0 ? text + ":{" + placeholder + "}"
             : form == 1 ? "{" + placeholder + "} (" + text + ")"
                         : text + ", {" + placeholder + "} and {" + placeholder + "}";
    }
    out += std::string("  ") + kind[0] + " => \"" + text + "\"\n";
  }
  if (code == 0) out += "  missing => \"R0:{field}\"\n";
  return out + "}\n";
}

}  // namespace credo::diff
