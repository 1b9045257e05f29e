// jit_helpers.cc — the run-time functions generated code calls (jit_helpers.h): reference data,
// strings, rounded quotients, math, calendar, text and ranked lists, shared with the interpreter.
#include "compiler/jit/jit_helpers.h"

#include <string_view>

#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"
#include "runtime/core/math.h"
#include "runtime/core/text.h"

namespace credo::jit {

// RefFind / RefGet (ir.h): the reference's index, shared with the interpreter. A run without the
// reference loaded finds no key (the runner refuses such a run before it starts).
extern "C" int64_t credo_jit_ref_find(const rt::References* refs, int64_t ref, int64_t key, int64_t key_ok) {
  if (!key_ok || !refs) return -1;
  return refs->tables[size_t(ref)].Find(key);
}
// The column's value for the slot; *state = bit 0: present, bit 1: its aggregate overflowed.
extern "C" int64_t credo_jit_ref_get(const rt::References* refs, int64_t ref, int64_t column, int64_t slot, int64_t ok,
                                     int32_t* state) {
  if (!ok) {
    *state = 0;
    return 0;
  }
  const auto& c = refs->tables[size_t(ref)].columns[size_t(column)];
  *state = int32_t(c.valid[size_t(slot)]) | (int32_t(c.failed[size_t(slot)]) << 1);
  return c.valid[size_t(slot)] ? c.values[size_t(slot)] : 0;
}

// Strings of equal length: whether their bytes are equal. Codes and keys are short: a plain loop
// beats a call to memcmp.
extern "C" int64_t credo_jit_str_bytes_eq(int64_t a, int64_t b) {
  const rt::Str *x = rt::StrOf(a), *y = rt::StrOf(b);
  for (uint32_t i = 0; i < x->size; ++i)
    if (x->data[i] != y->data[i]) return 0;
  return 1;
}

extern "C" int64_t credo_jit_str_cmp(int64_t a, int64_t b) {
  std::string_view x = rt::StrOf(a)->view(), y = rt::StrOf(b)->view();
  return x < y ? -1 : x > y ? 1 : 0;
}

// round_mode(a·b·M / (c·U)); flags |= 1 when c == 0 (missing), 2 on overflow.
extern "C" int64_t credo_jit_round_quot(int64_t a, int64_t b, int64_t c, int64_t m, int64_t u, int64_t mode,
                                        int64_t* flags) {
  *flags = 0;
  if (c == 0) { *flags = 1; return 0; }
  __int128 num, den;
  if (__builtin_mul_overflow(__int128(a), __int128(b), &num) || __builtin_mul_overflow(num, __int128(m), &num) ||
      __builtin_mul_overflow(__int128(c), __int128(u), &den)) {
    *flags = 2;
    return 0;
  }
  __int128 k = rt::DivRound(num, den, static_cast<rt::RoundMode>(mode));
  if (k > INT64_MAX || k < INT64_MIN) { *flags = 2; return 0; }
  return int64_t(k);
}

// rt::Math itself, so that both engines compute ln / exp / pow / sqrt with the same code: LLVM
// sees an opaque function (not an intrinsic it could fold or vectorise with another libm).
extern "C" double credo_jit_math(int64_t fn, double a, double b) {
  return rt::Math(static_cast<rt::MathFn>(fn), a, b);
}

extern "C" int64_t credo_jit_calendar(int64_t fn, int64_t a, int64_t b) {
  return rt::Calendar(static_cast<rt::CalendarFn>(fn), a, b);
}

extern "C" int64_t credo_jit_calendar_in_range(int64_t fn, int64_t date, int64_t b) {
  return rt::CalendarInRange(static_cast<rt::CalendarFn>(fn), date, b);
}

// Text functions, join and text(x) (runtime/core/text.h); `type` is rt::PackType of operand a's.
extern "C" int64_t credo_jit_text(int64_t fn, int64_t type, int64_t a, int64_t b, int64_t c, const JitContext* ctx) {
  return rt::Text(static_cast<rt::TextFn>(fn), rt::UnpackType(type), a, b, c, {ctx->arena, ctx->info});
}

// Ranked lists: 0 count, 1 contains code n, 2 first n.
extern "C" int64_t credo_jit_ranked_list(int64_t what, int64_t list, int64_t n) {
  if (what == 0) return rt::ListCount(uint64_t(list), true);
  if (what == 1) return rt::ListContains(uint64_t(list), true, n);
  return int64_t(rt::ListFirst(uint64_t(list), true, n));
}

extern "C" int64_t credo_jit_first_codes(int64_t list, int64_t n) { return int64_t(rt::ListFirst(uint64_t(list), false, n)); }

}  // namespace credo::jit
