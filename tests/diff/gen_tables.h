// gen_tables.h — random decision tables and generalised lookup tables for policy_gen (the hook
// is PolicyGen::GenTables). Every table it writes passes the checker: the first input column's
// cells partition its domain (so no row is shadowed and no two rows overlap, whatever the other
// cells say), a table that must be total has `else` or only `-` beyond that column, and collect
// tables (which the checker does not constrain) take random, overlapping cells.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "policy_gen.h"

namespace credo::diff {

enum class GenKind : uint8_t { Bool, Int, Dec, Num, Str, Date, Enum };  // policy_gen's B
struct GenType {
  GenKind kind = GenKind::Int;
  int scale = 0;
  bool opt = false;
  int en = -1;
};
struct GenExpr {
  std::string text;
  GenType type;
};

// What the table generator needs from policy_gen.
struct TableGenContext {
  Rng& r;
  std::function<std::string(const char*)> fresh;                  // a fresh name or code
  std::function<GenExpr(GenKind kind, bool opt_ok, int en)> expr;  // Dec: scale ≤ 2; Enum: of enum `en` (-1 any)
  std::function<std::string(const GenType&)> type_text;            // "int", "money", an enum's name …
  std::vector<std::pair<std::string, std::vector<std::string>>> enums;
  std::vector<std::string> strings;                               // the record strings' pool
};

struct TableGenResult {
  std::string text;                        // the declaration
  std::vector<GenExpr> atoms;              // member reads usable in expressions (`t.out`, `t.count` …)
  std::vector<std::string> codes_values;   // codes-valued reads (`t.rows`)
  std::vector<std::pair<std::string, GenExpr>> lets;  // lets that use the table: name, value
};

TableGenResult GenDecisionTable(TableGenContext& c);
TableGenResult GenLookupTable(TableGenContext& c);

}  // namespace credo::diff
