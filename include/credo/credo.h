/* credo.h — the C ABI of credo (C11): compile a credit policy, describe it, and evaluate batches
 * of records held as Arrow C Data Interface arrays, with no copy through CSV.
 *
 * Conventions (docs/c-abi.md has the whole contract and the type mapping table):
 *  - Every handle is opaque and freed by its own *_free function (NULL is accepted and ignored).
 *  - Functions that can fail return a credo_status; CREDO_OK is 0. On failure the calling
 *    thread's credo_last_error() says what failed in one plain sentence (naming the column, the
 *    option or the file); a successful call leaves it as "".
 *  - No C++ exception crosses this boundary; no function prints anything.
 *  - A compiled credo_policy is immutable: any number of threads may evaluate it at once.
 *  - Strings passed in are UTF-8 and need not outlive the call; strings returned are owned by the
 *    object they came from and live as long as it does.
 */
#ifndef CREDO_CREDO_H
#define CREDO_CREDO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- The Arrow C Data Interface, as its specification defines it ----------------------------
 * (https://arrow.apache.org/docs/format/CDataInterface.html). The guard is the one the
 * specification gives, so this header and arrow's own abi.h (or nanoarrow's) can be included in
 * the same translation unit: whichever comes first defines the structs. */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  /* Array type description */
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;

  /* Release callback */
  void (*release)(struct ArrowSchema*);
  /* Opaque producer-specific data */
  void* private_data;
};

struct ArrowArray {
  /* Array data description */
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;

  /* Release callback */
  void (*release)(struct ArrowArray*);
  /* Opaque producer-specific data */
  void* private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

/* ---- Status and errors ---------------------------------------------------------------------- */

typedef enum credo_status {
  CREDO_OK = 0,
  CREDO_ERROR_ARGUMENT = 1,  /* a required pointer is NULL, or an option is out of its bounds */
  CREDO_ERROR_POLICY = 2,    /* the policy has errors: see the diagnostics */
  CREDO_ERROR_IO = 3,        /* a policy file (or a file it imports) cannot be read */
  CREDO_ERROR_SCHEMA = 4,    /* the input arrays do not fit the policy (a column missing, of a
                                type that cannot hold the field, or a malformed array) */
  CREDO_ERROR_ENGINE = 5,    /* the JIT could not compile the policy (the interpreter can) */
  CREDO_ERROR_RESOURCE = 6,  /* out of memory, or worker threads could not be started */
  CREDO_ERROR_INTERNAL = 7,  /* a bug in credo: please report the message */
  CREDO_ERROR_REFERENCE = 8, /* the policy's reference data was refused: a reference not given or
                                not declared, a file without a declared column, a bad row not set
                                aside (an unreadable reference file is CREDO_ERROR_IO) */
  CREDO_STATUS_MAX_ENUM_ = 0x7fffffff  /* not a status: makes every int value a valid credo_status */
} credo_status;

/* The status's stable name, e.g. "CREDO_ERROR_SCHEMA" ("" for a value that is not a status). */
const char* credo_status_name(credo_status status);

/* What the calling thread's last failed call said; "" after a call that succeeded. Valid until the
 * thread's next call into credo. */
const char* credo_last_error(void);

/* The library's version, e.g. "0.1.0". */
const char* credo_version(void);

/* ---- Compiling ------------------------------------------------------------------------------ */

typedef struct credo_policy credo_policy;
typedef struct credo_diagnostics credo_diagnostics;

typedef enum credo_engine {
  CREDO_ENGINE_JIT = 0,          /* native code through LLVM (the default, fastest) */
  CREDO_ENGINE_INTERPRETER = 1,  /* the reference semantics; same results */
  CREDO_ENGINE_MAX_ENUM_ = 0x7fffffff  /* not an engine: makes every int value a valid credo_engine */
} credo_engine;

/* One diagnostic of a compilation. Its strings belong to the credo_diagnostics. */
typedef struct credo_diagnostic {
  const char* severity;  /* "error", "warning" or "note" */
  const char* code;      /* stable code, e.g. "E0201" */
  const char* message;   /* plain message, one line */
  const char* hint;      /* "" when there is none */
  const char* path;      /* file the diagnostic is in */
  int line, column;      /* 1-based */
  const char* rendered;  /* as `credo check` prints it: file:line:col, the source line, a caret */
} credo_diagnostic;

/* A policy that declares reference data compiles only with it: credo_compile_*_with_references
 * below (without, CREDO_ERROR_REFERENCE names the reference).
 * Compiles policy text; `path` names it in diagnostics and resolves its imports (may be NULL:
 * "<text>"). On CREDO_OK *policy is set; on CREDO_ERROR_POLICY it is NULL and the diagnostics say
 * why. *diagnostics (if `diagnostics` is not NULL) is set in both cases and is the caller's to
 * free; it may hold warnings for a policy that compiled. */
credo_status credo_compile_text(const char* path, const char* text, size_t size, credo_engine engine,
                                credo_policy** policy, credo_diagnostics** diagnostics);
/* The same for a policy file. */
credo_status credo_compile_file(const char* path, credo_engine engine, credo_policy** policy,
                                credo_diagnostics** diagnostics);

/* ---- Reference data (docs/c-abi.md, "Reference data") ----------------------------------------
 * A policy that declares references (`reference NAME keyed by KEY { ... }`: the credit ledger,
 * group limits, a watch list) is compiled with the data of each, which is read and checked as
 * `credo run --ref NAME=FILE` reads a file, once, and shared by every evaluation. */

typedef enum credo_reference_format {
  CREDO_REFERENCE_CSV = 0,         /* a header naming the columns, then one row per line */
  CREDO_REFERENCE_JSON_LINES = 1,  /* one JSON object per line */
  CREDO_REFERENCE_FORMAT_MAX_ENUM_ = 0x7fffffff
} credo_reference_format;

/* The data of one reference: a file (`path`: CSV, or JSON Lines when its name ends .jsonl or
 * .ndjson, also before .gz; gzip-compressed by its first bytes), or, when `path` is NULL, `size`
 * bytes at `text` in `format` (gzip-compressed bytes too). Copied during the call. */
typedef struct credo_reference {
  const char* name;  /* the reference's name in the policy */
  const char* path;
  const char* text;
  size_t size;
  credo_reference_format format;
} credo_reference;

/* credo_compile_*_with_references flags. Without it, a reference row that fails its checks fails
 * the compilation (CREDO_ERROR_REFERENCE naming the reference, the line and the reason); with
 * it, the row is set aside and listed by credo_policy_reference_reject. */
#define CREDO_SET_ASIDE_BAD_REFERENCE_ROWS 1u

/* credo_compile_text / credo_compile_file with the data of each reference the policy declares
 * (`references[0..count)`; every declared one exactly once, no other). */
credo_status credo_compile_text_with_references(const char* path, const char* text, size_t size, credo_engine engine,
                                                const credo_reference* references, size_t count, unsigned flags,
                                                credo_policy** policy, credo_diagnostics** diagnostics);
credo_status credo_compile_file_with_references(const char* path, credo_engine engine,
                                                const credo_reference* references, size_t count, unsigned flags,
                                                credo_policy** policy, credo_diagnostics** diagnostics);

/* A reference row set aside (CREDO_SET_ASIDE_BAD_REFERENCE_ROWS), as `credo run --ref-rejects`
 * writes it. Its strings belong to the policy. */
typedef struct credo_reference_reject {
  const char* reference;  /* its reference's name */
  uint64_t line;          /* its line in the file or text (JSON Lines: its physical line) */
  const char* key;        /* its key as written */
  const char* reason;     /* e.g. "out_of_range:limit", "duplicate:group_id" */
} credo_reference_reject;

/* The rows set aside when the policy was compiled, by reference then line. */
size_t credo_policy_reference_reject_count(const credo_policy* policy);
/* Row i (0 <= i < count); CREDO_ERROR_ARGUMENT past the end. */
credo_status credo_policy_reference_reject(const credo_policy* policy, size_t i, credo_reference_reject* out);

size_t credo_diagnostics_count(const credo_diagnostics* diagnostics);
/* Diagnostic i (0 <= i < count), sorted by position; CREDO_ERROR_ARGUMENT past the end. */
credo_status credo_diagnostics_get(const credo_diagnostics* diagnostics, size_t i, credo_diagnostic* out);
/* All of them rendered, one after another, as `credo check` prints them. */
const char* credo_diagnostics_rendered(const credo_diagnostics* diagnostics);
void credo_diagnostics_free(credo_diagnostics* diagnostics);

void credo_policy_free(credo_policy* policy);

/* ---- Describing ----------------------------------------------------------------------------- */

const char* credo_policy_name(const credo_policy* policy);
const char* credo_policy_version(const credo_policy* policy);
/* The content hash of the compiled policy, 16 lowercase hex digits (as `credo doc` shows it). */
const char* credo_policy_hash(const credo_policy* policy);

/* The schemas of credo_evaluate_arrow's arrays, each a struct ("+s") with one child per column,
 * exported into *out (the caller releases it through out->release). The input schema gives
 * each field its preferred Arrow type (other types are accepted too: docs/c-abi.md) and
 * ARROW_FLAG_NULLABLE when the field may be missing. */
credo_status credo_policy_input_schema(const credo_policy* policy, struct ArrowSchema* out);
credo_status credo_policy_output_schema(const credo_policy* policy, struct ArrowSchema* out);
credo_status credo_policy_rejects_schema(const credo_policy* policy, struct ArrowSchema* out);

/* ---- Evaluating ----------------------------------------------------------------------------- */

/* Largest thread count credo_evaluate_arrow accepts. */
#define CREDO_MAX_THREADS 256

/* Evaluates every row of a batch, the group pass included, as `credo run` does on the same
 * records: the same outputs and the same reject reasons.
 *
 * Input: `in_array` is a struct array ("+s") described by `in_schema`, one child per input field,
 * matched by name (any order; extra columns are ignored). Its validity bitmaps are honoured (null
 * = missing) and offsets applied. Neither is released or changed: they stay the caller's.
 *
 * Outputs, on CREDO_OK, moved into the four out-structs (the caller must call each one's
 * release callback exactly once; the buffers are credo's until then):
 *  - out: a struct array with one row per accepted record, in input order. Child 0 is
 *    "input_row" (int64, the record's index in in_array), then one child per output column of
 *    the policy, as credo_policy_output_schema describes.
 *  - rejects: a struct array with one row per rejected record, in input order: "input_row"
 *    (int64), "id" (utf8: the first input field's value), "reason" (utf8: the reason `credo run`
 *    writes, e.g. "missing:revenue"), "detail" (utf8: the same in the words of credo run's detail
 *    column, e.g. `amount: "1.005" is not a number with at most 2 decimals, ...`; a repeated
 *    unique key names the first row that has it, "row 3"; null when there are no words).
 * Every input row ends up in exactly one of the two.
 *
 * `threads`: 0 or 1 evaluates on the calling thread; up to CREDO_MAX_THREADS splits a large batch
 * across that many threads (the results do not depend on it).
 *
 * On failure nothing is written to the out-structs, and credo_last_error() says why (a column of
 * a type that cannot hold its field is CREDO_ERROR_SCHEMA naming the column and both types). */
credo_status credo_evaluate_arrow(const credo_policy* policy, const struct ArrowSchema* in_schema,
                                  const struct ArrowArray* in_array, struct ArrowSchema* out_schema,
                                  struct ArrowArray* out_array, struct ArrowSchema* rejects_schema,
                                  struct ArrowArray* rejects_array, unsigned threads);

#ifdef __cplusplus
}
#endif

#endif /* CREDO_CREDO_H */
