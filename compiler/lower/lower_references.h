// lower_references.h — lowering of reference lookups (docs/language.md, "Reference data"):
// `R[key].field`, `key in R` and the aggregates over a key's rows, as RefFind / RefGet (ir.h)
// over the per-key columns they add to Program::references.
#pragma once

#include <functional>
#include <map>
#include <utility>

#include "compiler/check/checker.h"
#include "compiler/ir/ir.h"
#include "compiler/lower/lists_text.h"

namespace credo::lower {

// What reference lowering needs from the lowerer.
struct ReferenceLowering {
  ir::Program& program;
  Builder& b;
  std::function<int32_t(rt::ValueType, int64_t)> constant;  // a constant register (never missing)
  std::function<rt::ValueType(const Type&)> value_type;
  std::function<int32_t()> overflow_site;                     // of the value being lowered
  // RefFind already emitted in this program, by (reference, key register): a key looked up in
  // several ways is probed once.
  std::map<std::pair<int, int32_t>, int32_t>& finds;
  // The state slot of reference r's row program that computes expression e of a row (added once).
  std::function<int(int r, const ast::Expr& e)> row_value;
};

int32_t LowerReferenceField(ReferenceLowering& l, const check::CheckedPolicy& cp, const ast::Expr& member);
int32_t LowerReferenceAggregate(ReferenceLowering& l, const check::CheckedPolicy& cp, const ast::Expr& call,
                                check::Builtin id);
int32_t LowerInReference(ReferenceLowering& l, const check::CheckedPolicy& cp, const ast::Expr& e);

}  // namespace credo::lower
