// lower_tables.h — decision tables and generalised lookup tables → TableRow / Pick / TableAgg
// (ir.h). Called by the lowerer (lower.cc) through the narrow interface below.
#pragma once

#include <functional>
#include <map>
#include <utility>

#include "compiler/check/checker.h"
#include "compiler/ir/ir.h"
#include "compiler/lower/probes.h"

namespace credo {

// What table lowering needs from the lowerer.
struct TableLowering {
  ir::Program& program;
  std::function<int32_t(ir::Instr)> emit;
  std::function<int32_t(const ast::Expr&, const Type&)> lower_as;  // a value of that checker type
  std::function<int32_t(const std::string&)> string;               // a string constant
  std::function<int32_t(int32_t)> commit;                          // a declared value: its error counts here
  std::function<rt::ValueType(const Type&)> value_type;
  std::function<rt::ValueType(int32_t)> type_of;
  std::function<int32_t()> overflow_site;                         // the reject reason of an overflow here
  lower::ProbeRecorder* probes = nullptr;                          // lowered with probes (lower/probes.h)
};

// The members of decision table `index`, by (check::MemberKind, index).
std::map<std::pair<int, int>, int32_t> LowerDecisionTable(TableLowering& l, const check::CheckedPolicy& cp, int index);
// `table[k1, …]` for a generalised lookup table.
int32_t LowerLookup(TableLowering& l, const check::CheckedPolicy& cp, int table, const ast::Expr& index);

}  // namespace credo
