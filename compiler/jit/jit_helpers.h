// jit_helpers.h — the run-time functions the generated code calls by name (jit.cc defines each
// symbol for LLJIT): the operations that are calls in the kernels rather than inline code, each
// the runtime's own code shared with the interpreter. (The table helpers are in jit_tables.h.)
#pragma once

#include <cstdint>

#include "compiler/jit/jit_kernels.h"
#include "runtime/core/reference.h"

extern "C" {
int64_t credo_jit_ref_find(const credo::rt::References* refs, int64_t ref, int64_t key, int64_t key_ok);
int64_t credo_jit_ref_get(const credo::rt::References* refs, int64_t ref, int64_t column, int64_t slot, int64_t ok,
                          int32_t* state);
int64_t credo_jit_str_bytes_eq(int64_t a, int64_t b);
int64_t credo_jit_str_cmp(int64_t a, int64_t b);
int64_t credo_jit_round_quot(int64_t a, int64_t b, int64_t c, int64_t m, int64_t u, int64_t mode, int64_t* flags);
double credo_jit_math(int64_t fn, double a, double b);
int64_t credo_jit_calendar(int64_t fn, int64_t a, int64_t b);
int64_t credo_jit_calendar_in_range(int64_t fn, int64_t date, int64_t b);
int64_t credo_jit_text(int64_t fn, int64_t type, int64_t a, int64_t b, int64_t c, const credo::jit::JitContext* ctx);
int64_t credo_jit_ranked_list(int64_t what, int64_t list, int64_t n);
int64_t credo_jit_first_codes(int64_t list, int64_t n);
}
