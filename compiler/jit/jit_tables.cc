// jit_tables.cc — the JIT's table helpers (jit_tables.h).
#include "compiler/jit/jit_tables.h"

extern "C" int64_t credo_jit_table_row(const credo::rt::CompiledTable* t, const int64_t* vals, const uint8_t* ok,
                                       int64_t mode) {
  return credo::rt::TableRow(*t, static_cast<credo::rt::TableMode>(mode), vals, ok);
}

extern "C" int64_t credo_jit_table_agg(const credo::rt::CompiledTable* t, int64_t kind, int64_t number,
                                       const int64_t* vals, const uint8_t* ok, const int32_t* errs, int64_t site,
                                       int32_t* out) {
  size_t cols = t->columns.size();
  credo::rt::AggResult r = credo::rt::TableAgg(*t, static_cast<credo::rt::TableAggKind>(kind), number != 0, vals, ok,
                                               vals + cols, ok + cols, errs + cols);
  out[0] = r.error ? r.error : r.overflow ? int32_t(site) : 0;
  out[1] = r.present;
  return r.present ? r.value : 0;
}
