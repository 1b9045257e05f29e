// lists_text.h — lowering of the list and text built-ins (count/contains/first/join on lists of
// codes, the text functions, `s + t`, concat, text(x)), over a narrow interface to the lowerer.
#pragma once

#include <string>

#include "compiler/check/checker.h"
#include "compiler/ir/ir.h"

namespace credo::lower {

// What the list and text lowering needs from the lowerer.
class Builder {
 public:
  virtual ~Builder() = default;
  virtual int32_t Emit(ir::Instr in) = 0;
  virtual int32_t Lower(const ast::Expr& e) = 0;
  virtual const rt::ValueType& TypeOf(int32_t reg) const = 0;
  virtual const rt::PolicyInfo& Info() const = 0;
};

// A call of builtin `id` (Length .. Join, CountList, ContainsCode), resolved by the checker.
int32_t LowerListOrText(const ast::Expr& e, check::Builtin id, Builder& b);
// `a + b` on strings.
int32_t LowerConcat(const ast::Expr& e, Builder& b);

}  // namespace credo::lower
