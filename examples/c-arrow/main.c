/* c-arrow — evaluate credit policies over Arrow arrays from C, through credo's C ABI.
 *
 *   c-arrow-example POLICY_DIR
 *
 * Builds two batches by hand in the Arrow C Data Interface layout (validity bitmaps, decimal128
 * money, int32/int64 counts, utf8 names and enums, date32 dates, bool flags), evaluates them,
 * prints the outputs and the rejects, and releases everything. A real caller gets its arrays from
 * an Arrow library (pyarrow, arrow-rs, DuckDB, ...) instead; credo only reads them.
 *
 * Exit status: 0 when everything went as expected, 1 otherwise. */
#include <credo/credo.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a tiny Arrow producer: one struct array of columns, built on the heap -------------------
 * Each column is a child array with its own buffers; every array and schema has a release
 * callback that frees what it owns, as the specification asks of a producer. */

enum { MAX_COLUMNS = 32 };

typedef struct Batch {
  int64_t rows;
  int n;
  struct ArrowSchema* schemas[MAX_COLUMNS];
  struct ArrowArray* arrays[MAX_COLUMNS];
} Batch;

static void* xcalloc(size_t count, size_t size) {
  void* p = calloc(count ? count : 1, size ? size : 1);
  if (!p) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  return p;
}

static char* xstrdup(const char* s) { return strcpy(xcalloc(strlen(s) + 1, 1), s); }

static void release_schema(struct ArrowSchema* schema) {
  for (int64_t i = 0; i < schema->n_children; ++i) {
    struct ArrowSchema* child = schema->children[i];
    if (child->release) child->release(child);
    free(child);
  }
  free(schema->children);
  free((void*)schema->format);
  free((void*)schema->name);
  schema->release = NULL;
}

static void release_array(struct ArrowArray* array) {
  for (int64_t i = 0; i < array->n_children; ++i) {
    struct ArrowArray* child = array->children[i];
    if (child->release) child->release(child);
    free(child);
  }
  free(array->children);
  for (int64_t i = 0; i < array->n_buffers; ++i) free((void*)array->buffers[i]);
  free(array->buffers);
  array->release = NULL;
}

/* A new column: `valid` (NULL = every row present) becomes its validity bitmap. */
static struct ArrowArray* add_column(Batch* b, const char* name, const char* format, int n_buffers,
                                     const bool* valid) {
  struct ArrowSchema* s = xcalloc(1, sizeof *s);
  s->format = xstrdup(format);
  s->name = xstrdup(name);
  s->flags = ARROW_FLAG_NULLABLE;
  s->release = release_schema;
  struct ArrowArray* a = xcalloc(1, sizeof *a);
  a->length = b->rows;
  a->n_buffers = n_buffers;
  a->buffers = xcalloc((size_t)n_buffers, sizeof(void*));
  a->release = release_array;
  if (valid) {
    uint8_t* bits = xcalloc((size_t)(b->rows + 7) / 8, 1);
    for (int64_t r = 0; r < b->rows; ++r) {
      if (valid[r]) bits[r / 8] |= (uint8_t)(1u << (r % 8));
      else a->null_count++;
    }
    a->buffers[0] = bits;
  }
  b->schemas[b->n] = s;
  b->arrays[b->n] = a;
  b->n++;
  return a;
}

static void add_int64(Batch* b, const char* name, const int64_t* values, const bool* valid) {
  struct ArrowArray* a = add_column(b, name, "l", 2, valid);
  int64_t* data = xcalloc((size_t)b->rows, sizeof(int64_t));
  memcpy(data, values, (size_t)b->rows * sizeof(int64_t));
  a->buffers[1] = data;
}

static void add_int32(Batch* b, const char* name, const int32_t* values, const bool* valid) {
  struct ArrowArray* a = add_column(b, name, "i", 2, valid);
  int32_t* data = xcalloc((size_t)b->rows, sizeof(int32_t));
  memcpy(data, values, (size_t)b->rows * sizeof(int32_t));
  a->buffers[1] = data;
}

static void add_date32(Batch* b, const char* name, const int32_t* days, const bool* valid) {
  struct ArrowArray* a = add_column(b, name, "tdD", 2, valid);
  int32_t* data = xcalloc((size_t)b->rows, sizeof(int32_t));
  memcpy(data, days, (size_t)b->rows * sizeof(int32_t));
  a->buffers[1] = data;
}

static void add_bool(Batch* b, const char* name, const bool* values, const bool* valid) {
  struct ArrowArray* a = add_column(b, name, "b", 2, valid);
  uint8_t* bits = xcalloc((size_t)(b->rows + 7) / 8, 1);
  for (int64_t r = 0; r < b->rows; ++r)
    if (values[r]) bits[r / 8] |= (uint8_t)(1u << (r % 8));
  a->buffers[1] = bits;
}

/* decimal128(precision, scale): `units` are the values × 10^scale (little-endian 128-bit). */
static void add_decimal(Batch* b, const char* name, int precision, int scale, const int64_t* units,
                        const bool* valid) {
  char format[32];
  snprintf(format, sizeof format, "d:%d,%d", precision, scale);
  struct ArrowArray* a = add_column(b, name, format, 2, valid);
  uint8_t* data = xcalloc((size_t)b->rows, 16);
  for (int64_t r = 0; r < b->rows; ++r) {
    int64_t lo = units[r], hi = lo < 0 ? -1 : 0; /* sign-extended to 128 bits */
    memcpy(data + 16 * r, &lo, 8);
    memcpy(data + 16 * r + 8, &hi, 8);
  }
  a->buffers[1] = data;
}

/* utf8: NULL entries are null. */
static void add_utf8(Batch* b, const char* name, const char* const* values) {
  bool* valid = xcalloc((size_t)b->rows, sizeof(bool));
  size_t chars = 0;
  for (int64_t r = 0; r < b->rows; ++r) {
    valid[r] = values[r] != NULL;
    if (values[r]) chars += strlen(values[r]);
  }
  struct ArrowArray* a = add_column(b, name, "u", 3, valid);
  free(valid);
  int32_t* offsets = xcalloc((size_t)b->rows + 1, sizeof(int32_t));
  char* data = xcalloc(chars, 1);
  for (int64_t r = 0; r < b->rows; ++r) {
    size_t len = values[r] ? strlen(values[r]) : 0;
    memcpy(data + offsets[r], values[r] ? values[r] : "", len);
    offsets[r + 1] = offsets[r] + (int32_t)len;
  }
  a->buffers[1] = offsets;
  a->buffers[2] = data;
}

/* Moves the columns into one struct array ("+s") and its schema. */
static void finish(Batch* b, struct ArrowSchema* schema, struct ArrowArray* array) {
  memset(schema, 0, sizeof *schema);
  schema->format = xstrdup("+s");
  schema->name = xstrdup("");
  schema->n_children = b->n;
  schema->children = xcalloc((size_t)b->n, sizeof(struct ArrowSchema*));
  schema->release = release_schema;
  memset(array, 0, sizeof *array);
  array->length = b->rows;
  array->n_buffers = 1; /* the struct's own validity: none (every record present) */
  array->buffers = xcalloc(1, sizeof(void*));
  array->n_children = b->n;
  array->children = xcalloc((size_t)b->n, sizeof(struct ArrowArray*));
  array->release = release_array;
  for (int i = 0; i < b->n; ++i) {
    schema->children[i] = b->schemas[i];
    array->children[i] = b->arrays[i];
  }
}

/* ---- a tiny Arrow consumer: print a struct array by its schema -------------------------------- */

static bool is_valid(const struct ArrowArray* a, int64_t row) {
  const uint8_t* bits = a->buffers[0];
  int64_t i = a->offset + row;
  return !bits || ((bits[i / 8] >> (i % 8)) & 1);
}

/* Writes one cell as text: decimals exactly, dates as YYYY-MM-DD, null as "-". */
static void print_cell(const struct ArrowSchema* s, const struct ArrowArray* a, int64_t row) {
  int64_t i = a->offset + row;
  const char* f = s->format;
  if (!is_valid(a, row)) {
    printf("-");
  } else if (strcmp(f, "l") == 0) {
    printf("%" PRId64, ((const int64_t*)a->buffers[1])[i]);
  } else if (strcmp(f, "g") == 0) {
    printf("%.17g", ((const double*)a->buffers[1])[i]);
  } else if (strcmp(f, "b") == 0) {
    printf("%s", (((const uint8_t*)a->buffers[1])[i / 8] >> (i % 8)) & 1 ? "true" : "false");
  } else if (strcmp(f, "u") == 0) {
    const int32_t* offsets = a->buffers[1];
    printf("%.*s", (int)(offsets[i + 1] - offsets[i]), (const char*)a->buffers[2] + offsets[i]);
  } else if (strcmp(f, "tdD") == 0) {
    /* days since 1970-01-01 to a civil date (Howard Hinnant's algorithm) */
    int64_t z = ((const int32_t*)a->buffers[1])[i] + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    printf("%04" PRId64 "-%02" PRId64 "-%02" PRId64, yoe + era * 400 + (m <= 2), m, d);
  } else if (strncmp(f, "d:", 2) == 0) {
    int scale = atoi(strchr(f, ',') + 1);
    int64_t units; /* credo's decimals fit in the low 64 bits */
    memcpy(&units, (const uint8_t*)a->buffers[1] + 16 * i, 8);
    uint64_t u = units < 0 ? 0 - (uint64_t)units : (uint64_t)units, p = 1;
    for (int k = 0; k < scale; ++k) p *= 10;
    printf("%s%" PRIu64, units < 0 ? "-" : "", u / p);
    if (scale > 0) printf(".%0*" PRIu64, scale, u % p);
  } else {
    printf("?(%s)", f);
  }
}

static void print_table(const char* title, const struct ArrowSchema* s, const struct ArrowArray* a) {
  printf("%s: %" PRId64 " rows\n", title, a->length);
  for (int64_t c = 0; c < s->n_children; ++c) printf("%s%s", c ? "," : "", s->children[c]->name);
  printf("\n");
  for (int64_t r = 0; r < a->length; ++r) {
    for (int64_t c = 0; c < s->n_children; ++c) {
      if (c) printf(",");
      print_cell(s->children[c], a->children[c], r);
    }
    printf("\n");
  }
}

/* ---- the two batches ------------------------------------------------------------------------- */

static const bool T = true, F = false;

/* Six SME applications, columns deliberately not in the policy's order. */
static void sme_batch(struct ArrowSchema* schema, struct ArrowArray* array) {
  Batch b = {.rows = 6};
  const char* ids[] = {"C1", "C2", "C3", "C4", "C5", "C6"};
  const char* groups[] = {"G1", "G1", NULL, NULL, NULL, NULL};
  const char* industry[] = {"retail", "technology", "services", "mining", "manufacturing", "construction"};
  add_utf8(&b, "customer_id", ids);
  add_utf8(&b, "industry", industry); /* C4: "mining" is not an Industry: unknown:industry */
  add_utf8(&b, "group_id", groups);
  /* Money as decimal128 with 3 fraction digits: rescaled exactly to money's 2. C5's 1.005 has
   * one digit too many: unparsable:revenue, as the CSV cell "1.005" would be. */
  const int64_t revenue[] = {3660377000, 1908590000, 1158314000, 1541823000, 1005, 12000000000};
  add_decimal(&b, "revenue", 18, 3, revenue, NULL);
  const int64_t net_income[] = {38137467, 30415290, -8781178, 13538747, 10000, 150000000};
  add_decimal(&b, "net_income", 18, 2, net_income, NULL);
  const int64_t assets[] = {101711400, 123157000, 52083699, 24416251, 0, 900000000};
  const bool assets_valid[] = {T, T, T, T, F, T};
  add_decimal(&b, "current_assets", 18, 2, assets, assets_valid);
  const int64_t liabilities[] = {123653700, 0, 0, 46616000, 0, 300000000};
  const bool liabilities_valid[] = {T, F, F, T, F, T};
  add_decimal(&b, "current_liabilities", 18, 2, liabilities, liabilities_valid);
  const int64_t total_assets[] = {673903000, 180419500, 45653700, 164726332, 100000, 2500000000};
  add_decimal(&b, "total_assets", 18, 2, total_assets, NULL);
  const int64_t total_liabilities[] = {401464234, 99353410, 46095627, 85630512, 0, 800000000};
  add_decimal(&b, "total_liabilities", 18, 2, total_liabilities, NULL);
  const int64_t cash_flow[] = {38085831, 10502129, 10954996, -6172795, 0, 400000000};
  const bool cash_flow_valid[] = {T, T, T, T, F, T};
  add_decimal(&b, "operating_cash_flow", 18, 2, cash_flow, cash_flow_valid);
  const int64_t interest[] = {8929855, 7267910, 2777636, 5890072, 0, 20000000};
  const bool interest_valid[] = {T, T, T, T, F, T};
  add_decimal(&b, "interest_expense", 18, 2, interest, interest_valid);
  /* Money may also come as int64 whole units. */
  const int64_t exposure[] = {191906, 0, 0, 89695, 0, 1500000};
  add_int64(&b, "existing_exposure", exposure, NULL);
  const int64_t requested[] = {83062739, 27736775, 16931770, 12900000, 100000, 250000000};
  add_decimal(&b, "requested_amount", 18, 2, requested, NULL);
  const int32_t years[] = {12, 5, 2, 0, 3, 25};
  const bool years_valid[] = {T, T, F, T, T, T};
  add_int32(&b, "years_in_business", years, years_valid);
  /* C6's bureau score 1200 fails the field's check: out_of_range:bureau_score. */
  const int64_t bureau[] = {607, 663, 748, 563, 700, 1200};
  const bool bureau_valid[] = {T, T, F, T, T, T};
  add_int64(&b, "bureau_score", bureau, bureau_valid);
  const int64_t dpd[] = {0, 0, 0, 0, 0, 0};
  add_int64(&b, "max_days_past_due_12m", dpd, NULL);
  const int64_t defaults[] = {0, 0, 0, 0, 0, 0};
  add_int64(&b, "defaults_24m", defaults, NULL);
  finish(&b, schema, array);
}

static const char kReviewPolicy[] =
    "policy review version \"1.0\" \"When an account is reviewed next\"\n"
    "\n"
    "input Account {\n"
    "  account_id:  string\n"
    "  last_review: date\n"
    "  on_watch:    bool\n"
    "  balance:     money? where balance >= 0\n"
    "}\n"
    "\n"
    "let months = if on_watch then 3 else 12\n"
    "\n"
    "output {\n"
    "  account_id\n"
    "  next_review = add_months(last_review, months)\n"
    "  on_watch\n"
    "  balance\n"
    "}\n";

static void review_batch(struct ArrowSchema* schema, struct ArrowArray* array) {
  Batch b = {.rows = 3};
  const char* ids[] = {"A1", "A2", "A3"};
  add_utf8(&b, "account_id", ids);
  const int32_t days[] = {20484, 20527, 20454}; /* 2026-01-31, 2026-03-15, 2026-01-01 */
  add_date32(&b, "last_review", days, NULL);
  const bool watch[] = {T, F, F};
  add_bool(&b, "on_watch", watch, NULL);
  const int64_t balance[] = {10050, 0, -100};
  const bool balance_valid[] = {T, F, T};
  add_decimal(&b, "balance", 10, 2, balance, balance_valid);
  finish(&b, schema, array);
}

/* ---- main -------------------------------------------------------------------------------------- */

static int failed(const char* what, credo_status status) {
  fprintf(stderr, "%s: %s: %s\n", what, credo_status_name(status), credo_last_error());
  return 1;
}

/* Evaluates one batch and prints its outputs and rejects; releases the results. */
static int evaluate_and_print(const credo_policy* policy, const struct ArrowSchema* in_schema,
                              const struct ArrowArray* in) {
  struct ArrowSchema out_schema, rejects_schema;
  struct ArrowArray out, rejects;
  credo_status status =
      credo_evaluate_arrow(policy, in_schema, in, &out_schema, &out, &rejects_schema, &rejects, 2);
  if (status != CREDO_OK) return failed("credo_evaluate_arrow", status);
  print_table("outputs", &out_schema, &out);
  print_table("rejects", &rejects_schema, &rejects);
  int lost = out.length + rejects.length != in->length;
  out.release(&out);
  out_schema.release(&out_schema);
  rejects.release(&rejects);
  rejects_schema.release(&rejects_schema);
  if (lost) fprintf(stderr, "rows in != outputs + rejects\n");
  return lost;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: c-arrow-example POLICY_DIR (the repository's policies/ folder)\n");
    return 2;
  }
  fprintf(stderr, "credo %s\n", credo_version());

  /* 1. The SME policy from its file. */
  char path[4096];
  snprintf(path, sizeof path, "%s/sme-credit-v1.credo", argv[1]);
  credo_policy* sme = NULL;
  credo_diagnostics* diagnostics = NULL;
  credo_status status = credo_compile_file(path, CREDO_ENGINE_JIT, &sme, &diagnostics);
  credo_diagnostics_free(diagnostics);
  if (status != CREDO_OK) return failed("credo_compile_file", status);
  printf("policy %s %s\n", credo_policy_name(sme), credo_policy_version(sme));
  fprintf(stderr, "content hash %s\n", credo_policy_hash(sme)); /* changes with the policy text */

  struct ArrowSchema in_schema;
  struct ArrowArray in;
  sme_batch(&in_schema, &in);
  int errors = evaluate_and_print(sme, &in_schema, &in);

  /* 2. A column of the wrong type is an error that names it (nothing is evaluated). */
  const char* money = in_schema.children[4]->format;
  in_schema.children[4]->format = "g"; /* net_income as float64: money is never read through a double */
  struct ArrowSchema out_schema, rejects_schema;
  struct ArrowArray out, rejects;
  status = credo_evaluate_arrow(sme, &in_schema, &in, &out_schema, &out, &rejects_schema, &rejects, 1);
  printf("wrong type: %s: %s\n", credo_status_name(status), credo_last_error());
  errors += status != CREDO_ERROR_SCHEMA;
  in_schema.children[4]->format = money;
  in.release(&in); /* the caller's arrays: credo never releases them */
  in_schema.release(&in_schema);
  credo_policy_free(sme);

  /* 3. A policy from text, with a misspelt name first: diagnostics come back as data. */
  const char* typo = "policy p version \"1\" \"\"\ninput I { x: int }\noutput { y }\n";
  credo_policy* bad = NULL;
  status = credo_compile_text("typo.credo", typo, strlen(typo), CREDO_ENGINE_INTERPRETER, &bad, &diagnostics);
  printf("typo: %s, %zu diagnostic(s)\n", credo_status_name(status), credo_diagnostics_count(diagnostics));
  for (size_t i = 0; i < credo_diagnostics_count(diagnostics); ++i) {
    credo_diagnostic d;
    credo_diagnostics_get(diagnostics, i, &d);
    printf("  %s:%d:%d %s[%s] %s\n", d.path, d.line, d.column, d.severity, d.code, d.message);
  }
  errors += status != CREDO_ERROR_POLICY || bad != NULL;
  credo_diagnostics_free(diagnostics);

  credo_policy* review = NULL;
  status = credo_compile_text("review.credo", kReviewPolicy, strlen(kReviewPolicy), CREDO_ENGINE_JIT, &review, NULL);
  if (status != CREDO_OK) return failed("credo_compile_text", status);
  /* The schema a caller should build: each field's preferred Arrow type. */
  struct ArrowSchema wanted;
  credo_policy_input_schema(review, &wanted);
  printf("review inputs:");
  for (int64_t c = 0; c < wanted.n_children; ++c)
    printf(" %s:%s%s", wanted.children[c]->name, wanted.children[c]->format,
           wanted.children[c]->flags & ARROW_FLAG_NULLABLE ? "?" : "");
  printf("\n");
  wanted.release(&wanted);
  review_batch(&in_schema, &in);
  errors += evaluate_and_print(review, &in_schema, &in);
  in.release(&in);
  in_schema.release(&in_schema);
  credo_policy_free(review);
  return errors ? 1 : 0;
}
