// jit_tables.h — run-time helpers the JIT's TableRow and TableAgg call (ir.h; the matcher is
// runtime/core/dtable.h, shared with the interpreter). Pick is inline, branch-free code.
#pragma once

#include <cstdint>

#include "runtime/core/dtable.h"

extern "C" {
// TableRow of one record: `vals`/`ok` per input column; mode as rt::TableMode.
int64_t credo_jit_table_row(const credo::rt::CompiledTable* t, const int64_t* vals, const uint8_t* ok, int64_t mode);
// TableAgg of one record: args (inputs, then one value per row [+ else]) as values, validity and
// errors; kind as rt::TableAggKind; out[0] = the rows' error (or `site` on overflow), out[1] =
// present. Returns the value's bits.
int64_t credo_jit_table_agg(const credo::rt::CompiledTable* t, int64_t kind, int64_t number, const int64_t* vals,
                            const uint8_t* ok, const int32_t* errs, int64_t site, int32_t* out);
}
