// cabi_test — the C ABI (include/credo/credo.h) from the outside: every input type, missing
// values, wrong types, reordered and offset columns, bad decimals, empty batches, errors and
// their messages, release callbacks run exactly once, and outputs equal to `credo run`'s on the
// repository's data sets. Built with ASan and UBSan (tests/cabi/cabi.cmake).
//
//   credo_cabi_test SOURCE_DIR
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <credo/credo.h>

#include "tests/cabi/arrow_build.h"
#include "tests/cabi/csv_equal.h"
#include "tests/cabi/read_results.h"

using namespace cabi_test;

namespace {

int failures = 0;

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (!(cond)) {                                                           \
      ++failures;                                                            \
      std::fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
    }                                                                        \
  } while (0)

#define CHECK_EQ(got, want)                                                                         \
  do {                                                                                              \
    std::string got_ = (got), want_ = (want);                                                       \
    if (got_ != want_) {                                                                            \
      ++failures;                                                                                   \
      std::fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #got,      \
                   got_.c_str(), want_.c_str());                                                    \
    }                                                                                               \
  } while (0)

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const char kTypesPolicy[] = R"(policy types version "2.1" "Every input type, for the C ABI test"

enum Color { red, green, blue }

input Row {
  id:     string
  n:      int?        where n >= 0
  amount: money?
  rate:   decimal(4)?
  share:  percent?
  x:      number?
  day:    date?
  flag:   bool?
  color:  Color?
  label:  string?
  count:  int

  unique id
}

output {
  id
  n
  amount
  rate
  share
  x
  day
  flag
  color
  label
  count
}
)";

credo_policy* Compile(const char* text, credo_engine engine = CREDO_ENGINE_JIT) {
  credo_policy* policy = nullptr;
  credo_status status = credo_compile_text("types.credo", text, std::strlen(text), engine, &policy, nullptr);
  if (status != CREDO_OK) std::fprintf(stderr, "compile: %s\n", credo_last_error());
  return policy;
}

std::string Out(const Results& r, int64_t row, const char* column) {
  int64_t c = r.Column(column);
  if (c < 0) return "<no column " + std::string(column) + ">";
  return Cell(r.out_schema.children[c], r.out.children[c], row);
}

std::string Rej(const Results& r, int64_t row, const char* column) {
  int64_t c = r.Column(column, true);
  return Cell(r.rejects_schema.children[c], r.rejects.children[c], row);
}

// ---- every type, typed -------------------------------------------------------------------------

void TestTypedColumns(const credo_policy* policy) {
  // Columns in an order of their own.
  ColumnBuilder count("count", "i"), color("color", "u"), id("id", "u"), n("n", "l"), amount("amount", "d:10,3"),
      rate("rate", "d:12,4"), share("share", "d:6,1"), x("x", "g"), day("day", "tdD"), flag("flag", "b"),
      label("label", "U");
  auto row = [&](const char* i, int c) {
    id.Text(i);
    count.Int(c);
  };
  // 0: every field present.
  row("a", 1), n.Int(5), amount.Int(1500), rate.Int(1234), share.Int(125), x.Double(2.5), day.Int(20512),
      flag.Int(1), color.Text("green"), label.Text("hello, \"world\"");
  // 1: every optional field null.
  row("b", 0), n.Null(), amount.Null(), rate.Null(), share.Null(), x.Null(), day.Null(), flag.Null(), color.Null(),
      label.Null();
  // 2: 1.005 has a digit more than money holds: as the CSV cell "1.005", unparsable.
  row("c", 1), n.Int(1), amount.Int(1005), rate.Null(), share.Null(), x.Null(), day.Null(), flag.Null(), color.Null(),
      label.Null();
  // 3: 10^13 whole units is past money's range.
  row("d", 1), n.Int(1), amount.Int(__int128(10'000'000'000'000) * 1000), rate.Null(), share.Null(), x.Null(),
      day.Null(), flag.Null(), color.Null(), label.Null();
  // 4: the field's own check.
  row("e", 1), n.Int(-1), amount.Null(), rate.Null(), share.Null(), x.Null(), day.Null(), flag.Null(), color.Null(),
      label.Null();
  // 5: a required field null.
  id.Text("f"), count.Null(), n.Null(), amount.Null(), rate.Null(), share.Null(), x.Null(), day.Null(), flag.Null(),
      color.Null(), label.Null();
  // 6: NaN is no number a CSV cell could spell.
  row("g", 1), n.Null(), amount.Null(), rate.Null(), share.Null(), x.Double(std::numeric_limits<double>::quiet_NaN()),
      day.Null(), flag.Null(), color.Null(), label.Null();
  // 7: a date32 past year 9999.
  row("h", 1), n.Null(), amount.Null(), rate.Null(), share.Null(), x.Null(), day.Int(3'000'000), flag.Null(),
      color.Null(), label.Null();
  // 8: an enum value the policy does not declare.
  row("i", 1), n.Null(), amount.Null(), rate.Null(), share.Null(), x.Null(), day.Null(), flag.Null(),
      color.Text("purple"), label.Null();
  // 9: a duplicate id (unique id: the first occurrence wins).
  row("a", 2), n.Int(7), amount.Null(), rate.Null(), share.Null(), x.Null(), day.Null(), flag.Null(), color.Null(),
      label.Null();
  // 10: an int past |v| < 10^9.
  row("j", 1'000'000'000), n.Null(), amount.Null(), rate.Null(), share.Null(), x.Null(), day.Null(), flag.Null(),
      color.Null(), label.Null();
  ArrowSchema schema;
  ArrowArray array;
  std::vector<Column> columns;
  for (ColumnBuilder* b : {&count, &color, &id, &n, &amount, &rate, &share, &x, &day, &flag, &label})
    columns.push_back(b->Finish());
  Export(std::move(columns), 11, &schema, &array);
  int arrays_released = released_arrays;
  Results r;
  Evaluate(policy, &schema, &array, 1, r);
  CHECK(r.status == CREDO_OK);
  CHECK_EQ(credo_last_error(), "");
  CHECK(released_arrays == arrays_released);  // credo never releases the caller's input
  CHECK(array.release != nullptr && schema.release != nullptr);
  CHECK(r.out.length == 2);
  CHECK(r.rejects.length == 9);
  if (r.out.length == 2) {
    CHECK_EQ(Out(r, 0, "input_row"), "0");
    CHECK_EQ(Out(r, 0, "id"), "a");
    CHECK_EQ(Out(r, 0, "n"), "5");
    CHECK_EQ(Out(r, 0, "amount"), "1.50");   // decimal(10,3) 1.500 rescaled exactly
    CHECK_EQ(Out(r, 0, "rate"), "0.1234");
    CHECK_EQ(Out(r, 0, "share"), "0.125000");  // 12.5 read as a percentage, as the CSV cell
    CHECK_EQ(Out(r, 0, "x"), "2.5");
    CHECK_EQ(Out(r, 0, "day"), "2026-02-28");
    CHECK_EQ(Out(r, 0, "flag"), "true");
    CHECK_EQ(Out(r, 0, "color"), "green");
    CHECK_EQ(Out(r, 0, "label"), "hello, \"world\"");
    CHECK_EQ(Out(r, 0, "count"), "1");
    CHECK_EQ(Out(r, 1, "input_row"), "1");
    for (const char* c : {"n", "amount", "rate", "share", "x", "day", "flag", "color", "label"}) {
      int64_t k = r.Column(c);
      CHECK(k > 0 && IsNull(r.out.children[k], 1));
    }
  }
  // The details are credo run's words (a cell of another type shown as its Arrow value).
  const char* want[][4] = {
      {"2", "c", "unparsable:amount", "amount: \"1.005\" is not a number with at most 2 decimals, of magnitude below 10^13"},
      {"3", "d", "out_of_range:amount",
       "amount: \"10000000000000\" is not a number with at most 2 decimals, of magnitude below 10^13"},
      {"4", "e", "out_of_range:n", "n: -1 fails where n >= 0"},
      {"5", "f", "missing:count", "count: empty, but it is not optional (its type has no `?`)"},
      {"6", "g", "unparsable:x", "x: \"nan\" is not a number, e.g. 0.25"},
      {"7", "h", "unparsable:day", "day: \"date32 3000000\" is not a date as YYYY-MM-DD"},
      {"8", "i", "unknown:color", "color: \"purple\" is not one of: red, green, blue"},
      {"9", "a", "duplicate:id", "id: \"a\" was already accepted on row 0"},
      {"10", "j", "out_of_range:count",
       "count: \"1000000000\" is not a whole number, e.g. 42, of magnitude below 1000000000"}};
  for (int64_t k = 0; k < r.rejects.length && k < 9; ++k) {
    CHECK_EQ(Rej(r, k, "input_row"), want[k][0]);
    CHECK_EQ(Rej(r, k, "id"), want[k][1]);
    CHECK_EQ(Rej(r, k, "reason"), want[k][2]);
    CHECK_EQ(Rej(r, k, "detail"), want[k][3]);
  }
  // The output schema is the one credo_policy_output_schema describes.
  ArrowSchema described;
  CHECK(credo_policy_output_schema(policy, &described) == CREDO_OK);
  CHECK(described.n_children == r.out_schema.n_children);
  for (int64_t c = 0; c < described.n_children && c < r.out_schema.n_children; ++c) {
    CHECK_EQ(described.children[c]->name, r.out_schema.children[c]->name);
    CHECK_EQ(described.children[c]->format, r.out_schema.children[c]->format);
    CHECK(described.children[c]->flags == r.out_schema.children[c]->flags);
  }
  const char* formats[] = {"l", "u", "l", "d:19,2", "d:19,4", "d:19,6", "g", "tdD", "b", "u", "u", "l"};
  for (int64_t c = 0; c < described.n_children && c < 12; ++c) CHECK_EQ(described.children[c]->format, formats[c]);
  described.release(&described);
  CHECK(described.release == nullptr);
  array.release(&array);
  schema.release(&schema);
}

// ---- every field from text, and the other accepted types -----------------------------------------

void TestOtherTypes(const credo_policy* policy) {
  ColumnBuilder id("id", "U"), n("n", "u"), amount("amount", "l"), rate("rate", "u"), share("share", "u"),
      x("x", "l"), day("day", "u"), flag("flag", "u"), color("color", "U"), label("label", "u"),
      count("count", "d:5,2");
  id.Text("a"), n.Text("7"), amount.Int(3), rate.Text("0.5"), share.Text("12.5%"), x.Int(4), day.Text("2026-02-28"),
      flag.Text("yes"), color.Text("blue"), label.Text(""), count.Int(200);
  // Text parsed as credo run parses a cell: the same reasons.
  id.Text("b"), n.Text("7.5"), amount.Int(1), rate.Null(), share.Null(), x.Null(), day.Null(), flag.Null(),
      color.Null(), label.Null(), count.Int(100);
  id.Text("c"), n.Null(), amount.Null(), rate.Null(), share.Null(), x.Null(), day.Text("2026-02-30"), flag.Null(),
      color.Null(), label.Null(), count.Int(100);
  id.Text("d"), n.Null(), amount.Null(), rate.Null(), share.Null(), x.Null(), day.Null(), flag.Text("maybe"),
      color.Null(), label.Null(), count.Int(150);  // 1.50 is no whole count either, but flag comes first
  id.Text("e"), n.Null(), amount.Null(), rate.Null(), share.Null(), x.Null(), day.Null(), flag.Null(), color.Null(),
      label.Null(), count.Int(150);  // 1.50 into an int: not exact
  std::vector<Column> columns;
  for (ColumnBuilder* b : {&id, &n, &amount, &rate, &share, &x, &day, &flag, &color, &label, &count})
    columns.push_back(b->Finish());
  ArrowSchema schema;
  ArrowArray array;
  Export(std::move(columns), 5, &schema, &array);
  Results r;
  Evaluate(policy, &schema, &array, 1, r);
  CHECK(r.status == CREDO_OK);
  CHECK(r.out.length == 1 && r.rejects.length == 4);
  if (r.out.length == 1) {
    CHECK_EQ(Out(r, 0, "n"), "7");
    CHECK_EQ(Out(r, 0, "amount"), "3.00");
    CHECK_EQ(Out(r, 0, "rate"), "0.5000");
    CHECK_EQ(Out(r, 0, "share"), "0.125000");
    CHECK_EQ(Out(r, 0, "x"), "4");
    CHECK_EQ(Out(r, 0, "day"), "2026-02-28");
    CHECK_EQ(Out(r, 0, "flag"), "true");
    CHECK_EQ(Out(r, 0, "color"), "blue");
    CHECK(IsNull(r.out.children[r.Column("label")], 0));  // "" is missing, as an empty cell
    CHECK_EQ(Out(r, 0, "count"), "2");
  }
  if (r.rejects.length == 4) {
    CHECK_EQ(Rej(r, 0, "reason"), "unparsable:n");
    CHECK_EQ(Rej(r, 0, "detail"), "n: \"7.5\" is not a whole number, e.g. 42, of magnitude below 1000000000");
    CHECK_EQ(Rej(r, 1, "reason"), "unparsable:day");
    CHECK_EQ(Rej(r, 2, "reason"), "unparsable:flag");
    CHECK_EQ(Rej(r, 3, "reason"), "unparsable:count");
    CHECK_EQ(Rej(r, 3, "detail"), "count: \"1.5\" is not a whole number, e.g. 42, of magnitude below 1000000000");
  }
  array.release(&array);
  schema.release(&schema);
}

// ---- decimals at the edges ------------------------------------------------------------------------

void TestDecimals(const credo_policy* policy) {
  struct Case {
    const char* format;
    __int128 value;
    const char* amount;  // the output, or the reject reason
  } cases[] = {
      {"d:38,10", __int128(123) * 100'000'000, "1.23"},             // 1.2300000000
      {"d:38,10", 12345, "unparsable:amount"},                       // 0.0000012345
      {"d:38,0", 999'999'999'999, "999999999999.00"},
      {"d:38,0", 10'000'000'000'000, "out_of_range:amount"},         // 10^13: money's limit
      {"d:38,-3", 5, "5000.00"},                                     // a negative scale: 5 × 10^3
      {"d:38,2", -5, "-0.05"},
      {"d:38,38", __int128(1) << 120, "unparsable:amount"},
      {"d:38,0", (__int128(1) << 120), "out_of_range:amount"},
      {"d:38,2,128", 100, "1.00"},
  };
  for (const auto& c : cases) {
    ColumnBuilder id("id", "u"), count("count", "l"), amount("amount", c.format);
    id.Text("x"), count.Int(1), amount.Int(c.value);
    std::vector<Column> columns;
    for (ColumnBuilder* b : {&id, &count, &amount}) columns.push_back(b->Finish());
    // The other optional fields are left out: a missing column is an error, so add them null.
    for (const char* name : {"n", "rate", "share", "x", "day", "flag", "color", "label"}) {
      ColumnBuilder b(name, "u");
      b.Null();
      columns.push_back(b.Finish());
    }
    ArrowSchema schema;
    ArrowArray array;
    Export(std::move(columns), 1, &schema, &array);
    Results r;
    Evaluate(policy, &schema, &array, 1, r);
    CHECK(r.status == CREDO_OK);
    std::string got = r.out.length ? Out(r, 0, "amount") : r.rejects.length ? Rej(r, 0, "reason") : "";
    if (got != c.amount) {
      ++failures;
      std::fprintf(stderr, "decimal %s: got %s, expected %s\n", c.format, got.c_str(), c.amount);
    }
    array.release(&array);
    schema.release(&schema);
  }
}

// ---- schema errors: nothing evaluated, the column named ------------------------------------------

// A one-row batch of the types policy with column `replace` given as `format` (or left out).
std::string SchemaError(const credo_policy* policy, const char* replace, const char* format, bool dictionary = false) {
  std::vector<Column> columns;
  for (const char* name : {"id", "n", "amount", "rate", "share", "x", "day", "flag", "color", "label", "count"}) {
    if (std::strcmp(name, replace) == 0 && !format) continue;
    ColumnBuilder b(name, std::strcmp(name, replace) == 0 ? format : "u");
    b.Null();
    columns.push_back(b.Finish());
  }
  ArrowSchema schema;
  ArrowArray array;
  Export(std::move(columns), 1, &schema, &array);
  ArrowSchema dict{};
  if (dictionary) {
    dict = ArrowSchema{"u", "", nullptr, 0, 0, nullptr, nullptr, nullptr, nullptr};
    schema.children[0]->dictionary = &dict;
  }
  Results r;
  Evaluate(policy, &schema, &array, 1, r);
  if (dictionary) schema.children[0]->dictionary = nullptr;
  std::string message = credo_last_error();
  CHECK(r.status == CREDO_ERROR_SCHEMA);
  CHECK(r.out.release == nullptr && r.rejects.release == nullptr && r.out_schema.release == nullptr);
  array.release(&array);
  schema.release(&schema);
  return message;
}

void TestSchemaErrors(const credo_policy* policy) {
  CHECK_EQ(SchemaError(policy, "amount", "g"),
           "column 'amount' is float64: a money field reads int64, int32, decimal128 or utf8");
  CHECK_EQ(SchemaError(policy, "label", "l"), "column 'label' is int64: a string field reads utf8 or large_utf8");
  CHECK_EQ(SchemaError(policy, "day", "l"), "column 'day' is int64: a date field reads date32 or utf8");
  CHECK_EQ(SchemaError(policy, "flag", "i"), "column 'flag' is int32: a bool field reads bool or utf8");
  CHECK_EQ(SchemaError(policy, "color", "l"), "column 'color' is int64: an enum field reads utf8 or large_utf8");
  CHECK_EQ(SchemaError(policy, "amount", "d:40,2,256"),
           "column 'amount' is format \"d:40,2,256\": a money field reads int64, int32, decimal128 or utf8");
  CHECK_EQ(SchemaError(policy, "n", "s"), "column 'n' is int16: an int field reads int64, int32, decimal128 or utf8");
  CHECK(Contains(SchemaError(policy, "count", nullptr), "the input has no column 'count' (the policy's int field)"));
  CHECK(Contains(SchemaError(policy, "id", "u", true), "column 'id' is utf8 (dictionary-encoded)"));
}

void TestMalformedInput(const credo_policy* policy) {
  auto batch = [](ArrowSchema* schema, ArrowArray* array) {
    std::vector<Column> columns;
    for (const char* name : {"id", "n", "amount", "rate", "share", "x", "day", "flag", "color", "label", "count"}) {
      ColumnBuilder b(name, "u");
      b.Text("1");
      columns.push_back(b.Finish());
    }
    Export(std::move(columns), 1, schema, array);
  };
  ArrowSchema schema;
  ArrowArray array;
  Results r;
  // Not a struct array.
  batch(&schema, &array);
  const char* format = schema.format;
  schema.format = "l";
  Evaluate(policy, &schema, &array, 1, r);
  schema.format = format;
  CHECK(r.status == CREDO_ERROR_SCHEMA);
  CHECK(Contains(credo_last_error(), "must be a struct array"));
  // Two columns of one name.
  const char* name = schema.children[1]->name;
  schema.children[1]->name = "id";
  Results r2;
  Evaluate(policy, &schema, &array, 1, r2);
  schema.children[1]->name = name;
  CHECK_EQ(credo_last_error(), "the input has two columns named 'id'");
  // A column shorter than the batch.
  array.children[3]->length = 0;
  Results r3;
  Evaluate(policy, &schema, &array, 1, r3);
  array.children[3]->length = 1;
  CHECK(r3.status == CREDO_ERROR_SCHEMA);
  CHECK_EQ(credo_last_error(), "column 'rate' is malformed: 0 values from offset 0, the batch needs 1");
  // Offsets that decrease.
  int32_t* offsets = const_cast<int32_t*>(static_cast<const int32_t*>(array.children[0]->buffers[1]));
  offsets[1] = -1;
  Results r4;
  Evaluate(policy, &schema, &array, 1, r4);
  offsets[1] = 1;
  CHECK(Contains(credo_last_error(), "column 'id' is malformed: string offsets decrease at row 0"));
  // A released input.
  auto release = array.release;
  array.release = nullptr;
  Results r5;
  Evaluate(policy, &schema, &array, 1, r5);
  array.release = release;
  CHECK(r5.status == CREDO_ERROR_SCHEMA);
  CHECK(Contains(credo_last_error(), "released"));
  array.release(&array);
  schema.release(&schema);
}

// ---- offsets and null records ----------------------------------------------------------------------

void TestOffsetsAndNullRecords(const credo_policy* policy) {
  // Children padded by 2 rows (their own offset), the struct sliced by 1 more (its offset), and
  // the struct's own bitmap marking a whole record null.
  std::vector<Column> columns;
  for (const char* name : {"id", "n", "amount", "rate", "share", "x", "day", "flag", "color", "label", "count"}) {
    bool text = std::strcmp(name, "count") != 0 && std::strcmp(name, "n") != 0;
    ColumnBuilder b(name, text ? "u" : "l", 2);
    const char* ids[] = {"skipped", "p", "q", "r"};
    for (int row = 0; row < 4; ++row) {
      if (std::strcmp(name, "id") == 0) b.Text(ids[row]);
      else if (!text) b.Int(row);
      else b.Null();
    }
    columns.push_back(b.Finish());
  }
  ArrowSchema schema;
  ArrowArray array;
  Export(std::move(columns), 3, &schema, &array, {1, 1, 0, 1}, 1);
  Results r;
  Evaluate(policy, &schema, &array, 1, r);
  CHECK(r.status == CREDO_OK);
  CHECK(r.out.length == 2 && r.rejects.length == 1);
  if (r.out.length == 2 && r.rejects.length == 1) {
    CHECK_EQ(Out(r, 0, "id"), "p");
    CHECK_EQ(Out(r, 0, "count"), "1");
    CHECK_EQ(Out(r, 1, "input_row"), "2");
    CHECK_EQ(Out(r, 1, "id"), "r");
    CHECK_EQ(Rej(r, 0, "input_row"), "1");
    CHECK_EQ(Rej(r, 0, "reason"), "missing:id");  // the null record: every field missing
    CHECK_EQ(Rej(r, 0, "id"), "");
  }
  array.release(&array);
  schema.release(&schema);
}

// ---- empty batches, arguments, messages ------------------------------------------------------------

void TestEmptyBatch(const credo_policy* policy) {
  std::vector<Column> columns;
  for (const char* name : {"id", "n", "amount", "rate", "share", "x", "day", "flag", "color", "label", "count"})
    columns.push_back(ColumnBuilder(name, "u").Finish());
  ArrowSchema schema;
  ArrowArray array;
  Export(std::move(columns), 0, &schema, &array);
  Results r;
  Evaluate(policy, &schema, &array, 4, r);
  CHECK(r.status == CREDO_OK);
  CHECK(r.out.length == 0 && r.out.n_children == 12 && r.rejects.length == 0 && r.rejects.n_children == 4);
  for (int64_t c = 0; c < r.out.n_children; ++c) CHECK(r.out.children[c]->length == 0 && r.out.children[c]->buffers[1]);
  array.release(&array);
  schema.release(&schema);
}

void TestArguments(const credo_policy* policy, const std::string& source_dir) {
  CHECK_EQ(credo_status_name(CREDO_ERROR_SCHEMA), "CREDO_ERROR_SCHEMA");
  CHECK_EQ(credo_status_name(credo_status(99)), "");
  CHECK(std::strlen(credo_version()) > 0);
  ArrowSchema s{};
  ArrowArray a{};
  CHECK(credo_evaluate_arrow(nullptr, &s, &a, &s, &a, &s, &a, 1) == CREDO_ERROR_ARGUMENT);
  CHECK(Contains(credo_last_error(), "non-NULL"));
  CHECK(credo_evaluate_arrow(policy, &s, &a, &s, &a, &s, &a, CREDO_MAX_THREADS + 1) == CREDO_ERROR_ARGUMENT);
  CHECK_EQ(credo_last_error(), "credo_evaluate_arrow: 257 threads is more than CREDO_MAX_THREADS (256)");
  CHECK(credo_policy_input_schema(nullptr, &s) == CREDO_ERROR_ARGUMENT);
  CHECK(credo_policy_input_schema(policy, &s) == CREDO_OK);
  CHECK_EQ(credo_last_error(), "");  // a call that succeeds clears the message
  s.release(&s);
  CHECK(credo_policy_rejects_schema(policy, &s) == CREDO_OK);
  CHECK(s.n_children == 4);
  CHECK_EQ(s.children[3]->name, "detail");
  CHECK(s.children[3]->flags == ARROW_FLAG_NULLABLE && s.children[2]->flags == 0);
  s.release(&s);
  CHECK_EQ(credo_policy_name(policy), "types");
  CHECK_EQ(credo_policy_version(policy), "2.1");
  CHECK(std::strlen(credo_policy_hash(policy)) == 16);

  credo_policy* p = reinterpret_cast<credo_policy*>(1);
  credo_diagnostics* d = nullptr;
  CHECK(credo_compile_file((source_dir + "/no/such.credo").c_str(), CREDO_ENGINE_JIT, &p, &d) == CREDO_ERROR_IO);
  CHECK(p == nullptr);
  CHECK(Contains(credo_last_error(), "no/such.credo"));
  credo_diagnostics_free(d);
  CHECK(credo_compile_file(nullptr, CREDO_ENGINE_JIT, &p, nullptr) == CREDO_ERROR_ARGUMENT);
  CHECK(credo_compile_text("x", "", 0, credo_engine(7), &p, nullptr) == CREDO_ERROR_ARGUMENT);
  const char* bad = "policy p version \"1\" \"\"\ninput I { x: int }\noutput { y }\n";
  CHECK(credo_compile_text("bad.credo", bad, std::strlen(bad), CREDO_ENGINE_INTERPRETER, &p, &d) == CREDO_ERROR_POLICY);
  CHECK(p == nullptr);
  CHECK(Contains(credo_last_error(), "1 error"));
  CHECK(credo_diagnostics_count(d) == 1);
  credo_diagnostic one;
  CHECK(credo_diagnostics_get(d, 0, &one) == CREDO_OK);
  CHECK_EQ(one.severity, "error");
  CHECK_EQ(one.path, "bad.credo");
  CHECK(one.line == 3 && one.column == 10);
  CHECK(one.code[0] == 'E' && std::strlen(one.message) > 0);
  CHECK(Contains(one.rendered, "bad.credo:3:10"));
  CHECK(Contains(credo_diagnostics_rendered(d), one.message));
  CHECK(credo_diagnostics_get(d, 1, &one) == CREDO_ERROR_ARGUMENT);
  credo_diagnostics_free(d);
}

// ---- release callbacks -------------------------------------------------------------------------------

int out_releases = 0;
void (*credo_release)(ArrowArray*) = nullptr;
void CountingRelease(ArrowArray* a) {
  ++out_releases;
  credo_release(a);
}

void TestReleases(const credo_policy* policy) {
  std::vector<Column> columns;
  for (const char* name : {"id", "n", "amount", "rate", "share", "x", "day", "flag", "color", "label", "count"}) {
    ColumnBuilder b(name, "u");
    b.Text(std::strcmp(name, "id") == 0 ? "a" : std::strcmp(name, "count") == 0 ? "1" : "");
    columns.push_back(b.Finish());
  }
  ArrowSchema schema;
  ArrowArray array;
  Export(std::move(columns), 1, &schema, &array);
  int in_arrays = released_arrays, in_schemas = released_schemas;
  Results r;
  Evaluate(policy, &schema, &array, 1, r);
  CHECK(r.status == CREDO_OK && r.out.length == 1);
  // The consumer moves a child out (the specification's move: copy, then mark the source
  // released), releases the parent, then the child on its own.
  ArrowArray child = *r.out.children[1];
  r.out.children[1]->release = nullptr;
  credo_release = r.out.release;
  r.out.release = CountingRelease;
  int releases = out_releases;
  r.out.release(&r.out);
  CHECK(r.out.release == nullptr && out_releases == releases + 1);
  CHECK(child.release != nullptr);
  CHECK_EQ(Cell(r.out_schema.children[1], &child, 0), "a");  // still readable after its parent went
  child.release(&child);
  CHECK(child.release == nullptr);
  CHECK(released_arrays == in_arrays && released_schemas == in_schemas);
  array.release(&array);
  schema.release(&schema);
  CHECK(released_arrays == in_arrays + 12 && released_schemas == in_schemas + 12);
}

// ---- equal to credo run ---------------------------------------------------------------------------------

void TestEqualToRun(const std::string& source_dir) {
  struct Data {
    std::string policy, input, expected, rejects;
  };
  std::vector<Data> sets = {{source_dir + "/policies/sme-credit-v1.credo", source_dir + "/examples/sme-portfolio.csv",
                             source_dir + "/examples/sme-portfolio.expected.csv",
                             source_dir + "/examples/sme-portfolio.rejects.csv"}};
  for (const char* name : {"retail-card-v1", "account-review-v1", "limit-review-v1", "early-warning-v1",
                           "retail-woe-v1", "approval-authority-v1"}) {
    std::string dir = source_dir + "/tests/policies/" + name;
    sets.push_back({source_dir + "/policies/" + name + ".credo", dir + "/input.csv", dir + "/expected.csv",
                    dir + "/rejects.csv"});
  }
  const Variant variants[] = {{false, false, 1}, {true, false, 2}, {true, true, 3}};
  for (const auto& set : sets)
    for (credo_engine engine : {CREDO_ENGINE_JIT, CREDO_ENGINE_INTERPRETER}) {
      credo_policy* policy = nullptr;
      if (credo_compile_file(set.policy.c_str(), engine, &policy, nullptr) != CREDO_OK) {
        ++failures;
        std::fprintf(stderr, "%s: %s\n", set.policy.c_str(), credo_last_error());
        continue;
      }
      for (const auto& v : variants) {
        std::string diff = CompareWithRun(policy, set.input, set.expected, set.rejects, v);
        if (!diff.empty()) {
          ++failures;
          std::fprintf(stderr, "%s (%s, typed %d, alternate %d, %u threads): %s\n", set.input.c_str(),
                       engine == CREDO_ENGINE_JIT ? "jit" : "interpreter", v.typed, v.alternate, v.threads,
                       diff.c_str());
        }
      }
      credo_policy_free(policy);
    }
}

// ---- reference data ---------------------------------------------------------------------------------

std::string ReadAll(const std::string& path) {
  std::string text;
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    char buffer[65536];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;) text.append(buffer, n);
    std::fclose(f);
  }
  return text;
}

// policies/group-exposure-v1 with its ledger, group limits and watch list, from files and from
// text in memory: credo run's outputs, rejects and reference rows set aside; then the errors.
void TestReferences(const std::string& source_dir) {
  std::string policy_path = source_dir + "/policies/group-exposure-v1.credo";
  std::string dir = source_dir + "/tests/policies/group-exposure-v1";
  std::string ledger = dir + "/ledger.csv", limits = dir + "/group-limits.csv", watch = dir + "/watch-list.csv";
  std::vector<credo_reference> files = {{"facilities", ledger.c_str(), nullptr, 0, CREDO_REFERENCE_CSV},
                                        {"group_facilities", ledger.c_str(), nullptr, 0, CREDO_REFERENCE_CSV},
                                        {"group_limits", limits.c_str(), nullptr, 0, CREDO_REFERENCE_CSV},
                                        {"watch_list", watch.c_str(), nullptr, 0, CREDO_REFERENCE_CSV}};
  std::string ledger_text = ReadAll(ledger), limits_text = ReadAll(limits), watch_text = ReadAll(watch);
  std::vector<credo_reference> texts = {
      {"facilities", nullptr, ledger_text.data(), ledger_text.size(), CREDO_REFERENCE_CSV},
      {"group_facilities", nullptr, ledger_text.data(), ledger_text.size(), CREDO_REFERENCE_CSV},
      {"group_limits", nullptr, limits_text.data(), limits_text.size(), CREDO_REFERENCE_CSV},
      {"watch_list", nullptr, watch_text.data(), watch_text.size(), CREDO_REFERENCE_CSV}};
  // The rows set aside, as --ref-rejects writes them.
  std::string want_ref_rejects = ReadAll(dir + "/ref-rejects.csv");
  for (const auto* refs : {&files, &texts})
    for (credo_engine engine : {CREDO_ENGINE_JIT, CREDO_ENGINE_INTERPRETER}) {
      credo_policy* policy = nullptr;
      credo_status status = credo_compile_file_with_references(policy_path.c_str(), engine, refs->data(), refs->size(),
                                                               CREDO_SET_ASIDE_BAD_REFERENCE_ROWS, &policy, nullptr);
      CHECK_EQ(credo_status_name(status), "CREDO_OK");
      if (!policy) {
        std::fprintf(stderr, "%s\n", credo_last_error());
        continue;
      }
      std::string got = "reference,line,key,reason\n";
      credo_reference_reject rj;
      for (size_t i = 0; i < credo_policy_reference_reject_count(policy); ++i) {
        CHECK(credo_policy_reference_reject(policy, i, &rj) == CREDO_OK);
        got += std::string(rj.reference) + "," + std::to_string(rj.line) + "," + rj.key + "," + rj.reason + "\n";
      }
      CHECK_EQ(got, want_ref_rejects);
      CHECK(credo_policy_reference_reject(policy, credo_policy_reference_reject_count(policy), &rj) == CREDO_ERROR_ARGUMENT);
      for (const Variant& v : {Variant{false, false, 1}, Variant{true, false, 3}}) {
        std::string diff = CompareWithRun(policy, dir + "/input.csv", dir + "/expected.csv", dir + "/rejects.csv", v);
        if (!diff.empty()) {
          ++failures;
          std::fprintf(stderr, "group-exposure-v1 (%s, %s): %s\n", refs == &files ? "files" : "texts",
                       engine == CREDO_ENGINE_JIT ? "jit" : "interpreter", diff.c_str());
        }
      }
      credo_policy_free(policy);
    }

  // Errors: each with its status and a message naming what is wrong.
  auto refused = [&](std::vector<credo_reference> refs, unsigned flags, const char* status, const std::string& words) {
    credo_policy* policy = nullptr;
    credo_status got = credo_compile_file_with_references(policy_path.c_str(), CREDO_ENGINE_INTERPRETER, refs.data(),
                                                          refs.size(), flags, &policy, nullptr);
    CHECK_EQ(credo_status_name(got), status);
    CHECK(policy == nullptr);
    if (std::string(credo_last_error()).find(words) == std::string::npos) {
      ++failures;
      std::fprintf(stderr, "error \"%s\" does not say \"%s\"\n", credo_last_error(), words.c_str());
    }
    credo_policy_free(policy);
  };
  std::vector<credo_reference> three(files.begin(), files.begin() + 3);
  refused(three, 0, "CREDO_ERROR_REFERENCE", "the policy reads reference data 'watch_list', which was not given");
  std::vector<credo_reference> extra = files;
  extra.push_back({"ledger", ledger.c_str(), nullptr, 0, CREDO_REFERENCE_CSV});
  refused(extra, 1, "CREDO_ERROR_REFERENCE", "the policy has no reference 'ledger'");
  std::vector<credo_reference> twice = files;
  twice.push_back(files[0]);
  refused(twice, 1, "CREDO_ERROR_ARGUMENT", "reference 'facilities' is given twice");
  refused(files, 0, "CREDO_ERROR_REFERENCE", "reference facilities (" + ledger + ") line ");
  std::vector<credo_reference> missing = files;
  std::string none = dir + "/no-such-file.csv";
  missing[3].path = none.c_str();
  refused(missing, 1, "CREDO_ERROR_IO", "reference watch_list: cannot read " + none);
  std::vector<credo_reference> no_column = files;
  no_column[3] = {"watch_list", nullptr, "customer_id\nC1\n", 15, CREDO_REFERENCE_CSV};
  refused(no_column, 1, "CREDO_ERROR_REFERENCE", "has no column 'reason'");
  std::vector<credo_reference> bad = files;
  bad[3].format = credo_reference_format(7);
  refused(bad, 1, "CREDO_ERROR_ARGUMENT", "unknown format 7");
  refused(files, 2, "CREDO_ERROR_ARGUMENT", "unknown flags 2");
  refused({}, 0, "CREDO_ERROR_REFERENCE", "the policy reads reference data 'facilities'");
  // JSON Lines text.
  std::vector<credo_reference> jsonl = files;
  const char* watch_jsonl = "{\"customer_id\":\"C000-1\",\"reason\":\"fraud review\"}\n";
  jsonl[3] = {"watch_list", nullptr, watch_jsonl, std::strlen(watch_jsonl), CREDO_REFERENCE_JSON_LINES};
  credo_policy* policy = nullptr;
  CHECK(credo_compile_file_with_references(policy_path.c_str(), CREDO_ENGINE_JIT, jsonl.data(), jsonl.size(), 1,
                                           &policy, nullptr) == CREDO_OK);
  credo_policy_free(policy);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: credo_cabi_test SOURCE_DIR\n");
    return 2;
  }
  std::string source_dir = argv[1];
  for (credo_engine engine : {CREDO_ENGINE_JIT, CREDO_ENGINE_INTERPRETER}) {
    credo_policy* policy = Compile(kTypesPolicy, engine);
    if (!policy) return 1;
    TestTypedColumns(policy);
    TestOtherTypes(policy);
    TestDecimals(policy);
    TestSchemaErrors(policy);
    TestMalformedInput(policy);
    TestOffsetsAndNullRecords(policy);
    TestEmptyBatch(policy);
    TestArguments(policy, source_dir);
    TestReleases(policy);
    credo_policy_free(policy);
  }
  TestEqualToRun(source_dir);
  TestReferences(source_dir);
  // Every array and schema this test built was released exactly once.
  CHECK(released_arrays == exported_arrays);
  CHECK(released_schemas == exported_schemas);
  if (failures) std::fprintf(stderr, "%d check(s) failed\n", failures);
  else std::printf("all C ABI checks passed\n");
  return failures ? 1 : 0;
}
