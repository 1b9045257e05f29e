// table_ops.h — the interpreter's TableRow, Pick and TableAgg (ir.h), over a batch of n records.
#pragma once

#include <cstddef>
#include <cstdint>

#include "compiler/ir/ir.h"

namespace credo::interp {

// Operand arrays by register (v: values; ok: validity, null = never missing; err: errors, null =
// never an error). Writes the result's values, validity (out_ok, when the type is optional) and
// errors (out_err, when the register may fail: every entry). A missing result's value is
// `missing_bits` (the empty string for strings, else 0).
void RunTableOp(const ir::Program& p, const ir::Instr& in, size_t n, const int64_t* const* v, const uint8_t* const* ok,
                const int32_t* const* err, int64_t* out, uint8_t* out_ok, int32_t* out_err, int64_t missing_bits);

}  // namespace credo::interp
