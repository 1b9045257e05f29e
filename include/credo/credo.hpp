// credo.hpp — the public C++ API of credo: compile a credit policy, describe it, evaluate records
// one at a time or in columnar batches, and explain a record. docs/embedding.md is the guide.
//
//   #include <credo/credo.hpp>
//   auto compiled = credo::Policy::compile_file("policies/sme-credit-v1.credo");
//   if (!compiled.ok()) { std::cerr << compiled.rendered; return 1; }
//   const credo::Policy& policy = *compiled.policy;
//   credo::Result r = policy.evaluate(policy.record().set("customer_id", "C1").set_text("revenue", "1234.56"));
//   if (r.accepted()) std::cout << r.get("decision").to_string() << "\n";
//
// Nothing here includes or exposes the compiler's or the runtime's headers: Policy, Record,
// Result and Batch hold their state behind a pointer; the rest are plain data.
//
// Errors: no call throws, except that a failed allocation may throw std::bad_alloc. Compilation
// problems come back as diagnostics; bad records as rejects (with the reason `credo run` writes);
// bad requests (an unknown field, a wrong JSON type, a value of the wrong C++ type) as a Result
// whose outcome is Outcome::error and whose message names the field.
//
// Threads: a Policy is immutable once compiled; copies share it, and any number of threads may
// evaluate, explain and describe it at once. Each thread keeps its own evaluation buffers
// (thread-local, one set per policy it evaluates), so evaluation takes no lock and, on the JIT
// once warm, allocates nothing (the first explain or trace compiles the probed policy once). Record, Result, Batch and BatchResult are plain values: use one per thread
// (or hand them between threads), never one object from two threads at the same time.
//
// Names: the API is declared in credo::v1 (its version) and brought into credo, so users write
// credo::Policy. Code that also includes credo's internal headers (inside credo itself) defines
// CREDO_IMPLEMENTATION and writes credo::v1:: for these types, whose short names some internal
// ones share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace credo::v1 {

class Policy;
struct CompileResult;
class Record;
class Result;
class Batch;
class BatchResult;
struct PolicyImpl;

// ---- engines and compilation -------------------------------------------------------------------

// The interpreter is the reference semantics; the JIT (LLVM ORC) agrees with it on every input
// and is the fast one. Both give the same outputs and rejects.
enum class Engine { jit, interpreter };

// "credo 0.1.0 jit credo-jit-3" or "credo 0.1.0 interpreter": what produced a decision (the
// decision log records it; a change means outputs may change for the same policy hash).
std::string engine_version(Engine engine);

enum class Severity { error, warning };

// One finding of the checker, as `credo check` reports it.
struct Diagnostic {
  Severity severity = Severity::error;
  std::string code;      // stable code, e.g. "E0101" (docs/diagnostics.md)
  std::string file;      // the policy's path as given, or an imported library's path
  int line = 0;          // 1-based
  int column = 0;        // 1-based, in bytes
  std::string message;   // plain words
  std::string hint;      // how to fix it; may be empty
  std::string rendered;  // exactly as `credo check` prints it: `file:line:col: error[CODE]: message`,
                         // the source line, a caret run, the hint and notes
};

// ---- reference data ----------------------------------------------------------------------------

// The data of one reference a policy declares (`reference NAME keyed by KEY { ... }`, the credit
// ledger, group limits, a watch list: docs/language.md, "Reference data"), read and checked
// exactly as `credo run --ref NAME=FILE` reads a file: the header names the columns (any order;
// every declared field must be one, others are ignored), each row is read and checked as an
// input row is, and a one-row-per-key reference's repeated key is a reject (`duplicate:KEY`).
// It is loaded once, when the policy is compiled, and read-only after (shared by every thread).
struct ReferenceData {
  // A file: CSV, or JSON Lines when its name ends .jsonl or .ndjson (also before .gz); either
  // gzip-compressed (told by its first bytes).
  static ReferenceData file(std::string path);
  // A CSV file's text (or its gzip-compressed bytes), in memory.
  static ReferenceData csv(std::string text);
  // A JSON Lines file's text (or its gzip-compressed bytes), in memory: one object per line.
  static ReferenceData json_lines(std::string text);
  // Rows of cells under a header naming the columns; each cell is read as the CSV cell with that
  // text ("" is missing). A row's line (ReferenceReject::line) is its index + 2, as if the
  // header were line 1 of a CSV file; a row with another number of cells than the header is a
  // reject (`column_count:N`).
  static ReferenceData rows(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

  enum class Format { csv, json_lines };
  std::string path;               // a file to read, or "" for data in memory
  std::string text;               // the data in memory, when `path` is ""
  Format format = Format::csv;    // of `text` (a file's is told by its name)
};

// A reference row set aside (CompileOptions::set_aside_bad_reference_rows): the row
// `credo run --ref-rejects` writes for it.
struct ReferenceReject {
  std::string reference;  // its reference's name
  uint64_t line = 0;      // its line in the file or text (JSON Lines: its physical line)
  std::string key;        // its key as written
  std::string reason;     // "out_of_range:limit", "duplicate:group_id", ...
};

struct CompileOptions {
  Engine engine = Engine::jit;
  // The data of each reference the policy declares, by the reference's name: every declared
  // reference must be given, and only those (else compiling fails, naming the reference).
  std::map<std::string, ReferenceData> references = {};
  // A reference row that fails its checks: false (as `credo run` without --ref-rejects) fails
  // the compilation, naming the reference, the line and the reason; true sets the row aside,
  // lists it in CompileResult::reference_rejects and compiles without it (--ref-rejects).
  bool set_aside_bad_reference_rows = false;
};

// ---- values ------------------------------------------------------------------------------------

// An exact decimal: units / 10^scale (money is scale 2). Never converted through double.
struct Decimal {
  int64_t units = 0;
  int scale = 0;  // 0..18
  // `-?[0-9]+(\.[0-9]+)?`, the scale being the number of fraction digits as written ("1.50" is
  // scale 2); nullopt for anything else or more than 18 digits in all.
  static std::optional<Decimal> parse(std::string_view text);
  std::string to_string() const;  // "1234.56", "-0.05", "7"
  double to_double() const;       // for display and statistics only
  friend bool operator==(const Decimal&, const Decimal&) = default;  // same units and scale
};

// A calendar date as days since 1970-01-01 (years 0000..9999).
struct Date {
  int32_t days = 0;
  static std::optional<Date> parse(std::string_view iso);      // "YYYY-MM-DD"
  static std::optional<Date> from_ymd(int year, int month, int day);
  std::string to_string() const;                                 // "YYYY-MM-DD"
  friend bool operator==(const Date&, const Date&) = default;
};

struct Missing {
  friend bool operator==(const Missing&, const Missing&) = default;
};

// A value of an enum by name, with its position in the enum's declaration.
struct Enum {
  std::string name;
  int ordinal = -1;
  friend bool operator==(const Enum&, const Enum&) = default;
};

// A code list (`codes`: reasons, warnings), in the order the policy gives them.
struct Codes {
  std::vector<std::string> codes;
  friend bool operator==(const Codes&, const Codes&) = default;
};

enum class ValueKind { missing, boolean, integer, number, decimal, string, date, enumeration, codes };

// One value of a field or output: missing, bool, int, number (double), decimal, string, date,
// enum or code list.
struct Value : std::variant<Missing, bool, int64_t, double, Decimal, std::string, Date, Enum, Codes> {
  using variant::variant;
  const variant& as_variant() const { return *this; }
  ValueKind kind() const { return ValueKind(index()); }
  bool missing() const { return index() == 0; }
  // The cell as `credo run` writes it, unquoted: "" for missing, decimals with their scale,
  // dates ISO, enums by name, bools true/false, code lists joined with ';'.
  std::string to_string() const;
  friend bool operator==(const Value&, const Value&) = default;
};

// ---- describing a policy -----------------------------------------------------------------------

struct InputInfo {
  std::string name;
  std::string type;                      // as written in the policy: "money?", "Industry", "percent"
  ValueKind kind = ValueKind::string;    // decimal for money, decimal(N) and percent
  int scale = 0;                         // decimal: fraction digits held (percent: 6, a fraction)
  bool optional = false;                 // may be missing (`?`)
  bool percent = false;                  // read as a percentage ("12.5" or "12.5%" is 0.125)
  std::vector<std::string> enum_values;  // enumeration: its values in declaration order
  std::string where;                     // its `where` condition as written, or ""
  std::string where_reason;              // the reject reason when `where` fails, or ""
};

struct OutputInfo {
  std::string name;
  std::string type;  // "money", "decimal(4)", "int", "number", "bool", "string", "date", "codes" or the enum's name
  ValueKind kind = ValueKind::string;
  int scale = 0;
  bool optional = false;
  std::vector<std::string> enum_values;
};

// A reference the policy declares, and what was loaded for it.
struct ReferenceInfo {
  std::string name, title;
  std::string key;                    // its key field
  bool many = false;                  // any number of rows per key (else one)
  std::vector<std::string> fields;    // its declared fields, in declaration order
  uint64_t rows = 0, rejected = 0, keys = 0;  // rows read, set aside, and distinct keys kept
};

struct Description {
  std::string name, version, title;
  std::string file;                     // the path it was compiled from ("" for text)
  std::string hash;                     // content hash as `credo doc` and `credo explain` show it (16 hex digits)
  std::vector<InputInfo> inputs;        // in column order
  std::vector<OutputInfo> outputs;      // in output order
  std::optional<std::string> group_key; // the input field the group pass groups by
  std::vector<std::string> unique_keys; // input fields whose values must be unique in a batch
  std::vector<ReferenceInfo> references;// in declaration order
  Engine engine = Engine::jit;
  std::string engine_version;           // engine_version(engine)
};

// ---- evaluating one record ---------------------------------------------------------------------

struct EvaluateOptions {
  // Also list, for an accepted record, the rules and warnings of the record program that fired,
  // the scorecards' reasons in rank order and the decision arms or table rows taken
  // (Result::fired). It evaluates the record a second time, by the interpreter on the policy
  // lowered with probes: ~15 µs; leave it off on the hot path (outputs such as `reasons` and
  // `warnings` are there either way; the group pass's actions show only in the outputs).
  bool trace = false;
};

enum class Outcome { accepted, rejected, error };

// Something that fired for a record (EvaluateOptions::trace).
struct Fired {
  std::string kind;     // "rule", "warning", "reason", "decision"
  std::string code;     // "K01", "W02", "C03", "arm 2"
  std::string title;    // the author's title, or ""
  std::string section;  // a rule's rule set; a reason's scorecard; "" otherwise
  std::string detail;   // the rule's or warning's condition as written; the arm's or row's text; "" for a reason
  std::string at;       // line:col in the policy
};

// A record of one policy's inputs, built field by field. Fields not set are missing (a required
// field left missing rejects the record as `missing:<field>`, as an empty CSV cell does).
// A setter's problem is kept and reported by evaluate: a name the policy has no field for, or a
// value whose C++ type cannot be the field's (e.g. a double for money), is a request error; a
// value the field cannot hold (out of range, an enum value not declared) is a reject, exactly as
// the same cell in a CSV file is.
class Record {
 public:
  Record();  // an empty record bound to no policy: evaluate reports it as a request error
  ~Record();
  Record(const Record&);
  Record(Record&&) noexcept;
  Record& operator=(const Record&);
  Record& operator=(Record&&) noexcept;

  // By field name, or by input index (describe().inputs order; faster).
  Record& set(std::string_view field, const Decimal& v);     // decimal fields; int fields when scale 0
  Record& set(std::string_view field, int64_t v);            // int, decimal (v units of 1) and number fields
  Record& set(std::string_view field, int v) { return set(field, int64_t(v)); }
  Record& set(std::string_view field, double v);             // number fields only
  Record& set(std::string_view field, bool v);               // bool fields
  Record& set(std::string_view field, const Date& v);        // date fields
  Record& set(std::string_view field, std::string_view v);   // string fields; enum fields by value name
  Record& set(std::string_view field, const char* v) { return set(field, std::string_view(v)); }
  Record& set(std::string_view field, Missing);              // missing (as if never set)
  Record& set(std::string_view field, const Value& v);       // any of the above
  // Any field from its CSV cell text, read exactly as `credo run` reads it ("" is missing).
  Record& set_text(std::string_view field, std::string_view text);

  Record& set(size_t field, const Decimal& v);
  Record& set(size_t field, int64_t v);
  Record& set(size_t field, int v) { return set(field, int64_t(v)); }
  Record& set(size_t field, double v);
  Record& set(size_t field, bool v);
  Record& set(size_t field, const Date& v);
  Record& set(size_t field, std::string_view v);
  Record& set(size_t field, const char* v) { return set(field, std::string_view(v)); }
  Record& set(size_t field, Missing);
  Record& set(size_t field, const Value& v);
  Record& set_text(size_t field, std::string_view text);

  // Every field back to missing, the errors forgotten; keeps the buffers (reuse one per thread).
  void clear();
  // The first request error a setter hit ("" when none), e.g. "unknown field 'revnue'".
  const std::string& error() const;
  // The record as a one-row CSV (header and row), the text `credo run` would read for it.
  std::string to_csv() const;

 public:
  struct Impl;  // the library's own (incomplete here)

 private:
  friend class Policy;
  friend struct RecordAccess;
  explicit Record(std::shared_ptr<const PolicyImpl> policy);
  std::unique_ptr<Impl> impl_;
};

// The outcome of one record: its outputs when accepted, why not otherwise.
class Result {
 public:
  Result();
  ~Result();
  Result(const Result&);
  Result(Result&&) noexcept;
  Result& operator=(const Result&);
  Result& operator=(Result&&) noexcept;

  Outcome outcome() const;
  bool accepted() const { return outcome() == Outcome::accepted; }
  // Rejected: the reason exactly as `credo run` writes it in rejects.csv ("out_of_range:revenue",
  // "missing:industry", a `check`'s own text). Error: the request error, naming the field.
  const std::string& reason() const;
  // Rejected: the same in words, with the offending value and the condition as written
  // (e.g. "revenue: -5.00 fails where revenue >= 0"): the words of `credo run`'s detail column
  // (one implementation), except that a repeated `unique` key names the batch row that has it
  // first ("row 3") where the run names a line. Error: same as reason().
  const std::string& detail() const;
  // The input field the reject or error is about, or "".
  const std::string& field() const;

  // Outputs, in output order (describe().outputs); none unless accepted.
  size_t size() const;
  Value get(size_t output) const;
  Value get(std::string_view output) const;   // Missing when the policy has no such output
  std::optional<size_t> find(std::string_view output) const;
  // Raw cell of output i: int64 bits (decimal units at the output's scale, days, ordinals, 0/1,
  // double bits for numbers) and presence; strings and codes only through get().
  int64_t raw(size_t output) const;
  bool present(size_t output) const;

  // Filled when evaluated with EvaluateOptions::trace.
  const std::vector<Fired>& fired() const;

  // {"outcome":"accepted","outputs":{"decision":"APPROVE","limit":125000.00,...}} — decimals as
  // JSON numbers written exactly, dates and enums as strings, codes as arrays of strings, missing
  // as null; a reject: {"outcome":"rejected","reason":...,"detail":...,"field":...}; an error:
  // {"outcome":"error","error":...,"field":...}. Traced: also "fired":[...].
  std::string to_json() const;

 public:
  struct Impl;  // the library's own (incomplete here)

 private:
  friend class Policy;
  friend struct ResultAccess;
  std::unique_ptr<Impl> impl_;
};

// ---- columnar batches --------------------------------------------------------------------------

// Input columns for one evaluation of many records. Each column is copied in; `valid` has one
// byte per row (0 = missing) or is empty (every row present). All columns must have the same
// number of rows; a column left unset is missing on every row.
class Batch {
 public:
  Batch();
  explicit Batch(const Policy& policy);
  ~Batch();
  Batch(Batch&&) noexcept;
  Batch& operator=(Batch&&) noexcept;

  // int64 values as the runtime holds them: int fields; decimal fields as units at the field's
  // scale (describe().inputs[i].scale); date fields as days since 1970-01-01; bool fields 0/1;
  // enum fields as ordinals. Out-of-range values reject their row as `credo run` does.
  Batch& set_int64(std::string_view field, std::span<const int64_t> values, std::span<const uint8_t> valid = {});
  // number fields.
  Batch& set_double(std::string_view field, std::span<const double> values, std::span<const uint8_t> valid = {});
  // string fields; enum fields by value name.
  Batch& set_strings(std::string_view field, std::span<const std::string_view> values,
                     std::span<const uint8_t> valid = {});
  // Any field from CSV cell text (read as `credo run` reads it; "" is missing).
  Batch& set_text(std::string_view field, std::span<const std::string_view> values,
                  std::span<const uint8_t> valid = {});
  // Appends one record's fields as a row (the record must be of the same policy).
  Batch& add(const Record& record);

  size_t rows() const;
  const std::string& error() const;  // the first request error ("" when none)
  void clear();

 public:
  struct Impl;  // the library's own (incomplete here)

 private:
  friend class Policy;
  friend struct BatchAccess;
  std::unique_ptr<Impl> impl_;
};

// One output column of a batch, over the accepted rows. Which vector holds the cells depends on
// `kind`: `ints` for boolean, integer, decimal (units at `scale`), date (days) and enumeration
// (ordinals into `enum_values`); `numbers` for number; `strings` for string and codes (codes
// joined with ';', as `credo run` writes them). `valid` has one byte per row (0 = missing).
struct OutputColumnData {
  std::string name;
  ValueKind kind = ValueKind::string;
  int scale = 0;
  std::vector<std::string> enum_values;
  std::vector<int64_t> ints;
  std::vector<double> numbers;
  std::vector<std::string> strings;
  std::vector<uint8_t> valid;
  Value get(size_t row) const;
};

struct Reject {
  size_t row = 0;       // 0-based index of the record in the batch
  std::string id;       // the record's first field as text (the id column of rejects.csv)
  std::string reason;   // as `credo run` writes it
  std::string detail;   // the same in words (Result::detail)
  std::string field;    // the field it is about, or ""
};

class BatchResult {
 public:
  std::string error;                     // a request error: nothing was evaluated
  std::vector<OutputColumnData> columns; // in output order, one cell per accepted row
  std::vector<size_t> input_rows;        // per accepted row: its row in the batch
  std::vector<Reject> rejects;           // in row order
  size_t rows() const { return input_rows.size(); }
  bool ok() const { return error.empty(); }
  // The accepted rows as `credo run` writes its output CSV (header included).
  std::string to_csv() const;
};

// ---- explaining --------------------------------------------------------------------------------

struct Explanation {
  std::string error;  // set when the record could not be explained (a request error)
  std::string json;   // one JSON object, schema credo.explain/1 (docs/explain.md)
  std::string text;   // as `credo explain` prints it
  bool ok() const { return error.empty(); }
};

// ---- the policy --------------------------------------------------------------------------------

// A compiled policy. Cheap to copy (copies share one compiled program); safe to use from many
// threads at once.
class Policy {
 public:
  // Reads and compiles a policy file (imports resolved next to it). Never prints. A policy that
  // declares reference data needs it in options.references (see ReferenceData).
  static CompileResult compile_file(const std::string& path, const CompileOptions& options = {});
  // Compiles policy text; `name` is the path diagnostics show (imports resolve relative to it).
  static CompileResult compile_text(std::string_view text, const std::string& name = "<policy>",
                                    const CompileOptions& options = {});

  const Description& describe() const;

  // An empty record of this policy's inputs.
  Record record() const;

  // One record. A policy with a group pass runs it over this record alone: a group of one (its
  // group values are the record's own; to evaluate a group together, use a Batch).
  Result evaluate(const Record& record, const EvaluateOptions& options = {}) const;
  // Into `out`, reusing its buffers: the allocation-free path.
  void evaluate(const Record& record, Result& out, const EvaluateOptions& options = {}) const;
  // A JSON object {"field": value, ...}. Numbers are read from their text as written, never
  // through double, as the CSV cell with the same text would be; strings for string, enum and
  // date fields; true/false for bool fields; null or an absent field is missing. A field the
  // policy does not have, a value of the wrong JSON type (or a nested value), a repeated field
  // or malformed JSON is a request error naming the field.
  Result evaluate_json(std::string_view json, const EvaluateOptions& options = {}) const;
  void evaluate_json(std::string_view json, Result& out, const EvaluateOptions& options = {}) const;
  // Reads a JSON object into a record (the same rules); the record's error() says what was wrong.
  Record record_from_json(std::string_view json) const;

  // Every record of the batch, then the group pass over the whole batch, and `unique` keys
  // checked across it (the first occurrence wins): the outputs and rejects `credo run` gives for
  // the same rows. `threads` > 1 splits the work (0: all cores; at most 256).
  BatchResult evaluate(const Batch& batch, size_t threads = 1) const;

  // Why the record got its outputs, as `credo explain` gives it (always by the interpreter with
  // probes; the group pass over this record alone).
  Explanation explain(const Record& record) const;
  Explanation explain_json(std::string_view json) const;

 private:
  friend class Record;
  friend class Batch;
  friend struct PolicyAccess;
  explicit Policy(std::shared_ptr<const PolicyImpl> impl);
  std::shared_ptr<const PolicyImpl> impl_;
};

// What compiling gives: the diagnostics (warnings too) and, when there is no error, the policy.
struct CompileResult {
  std::vector<Diagnostic> diagnostics;  // sorted by position
  std::optional<Policy> policy;         // set when the policy checked clean (warnings allowed)
  std::string error;                    // set when there is no policy: "cannot read PATH: why",
                                        // "N errors", or the JIT failed (with why)
  std::string rendered;                 // every diagnostic, as `credo check` prints them to stderr
                                        // (an unreadable file: "credo: cannot read ...")
  // Set whenever the policy checked clean, also when its reference data was refused: its name and
  // the references it declares, in declaration order (what CompileOptions::references must give).
  std::string name;
  std::vector<std::string> references_declared;
  // The reference rows set aside (CompileOptions::set_aside_bad_reference_rows), by reference
  // in declaration order, then by line.
  std::vector<ReferenceReject> reference_rejects;
  // Set when the policy checked clean but its reference data was refused (`error` says why: a
  // reference not given, or given but not declared, a file unreadable or without a declared
  // column, a bad row not set aside).
  bool reference_error = false;
  bool reference_unreadable = false;  // with reference_error: a file that could not be opened
  bool ok() const { return policy.has_value(); }
};

}  // namespace credo::v1

#ifndef CREDO_IMPLEMENTATION
namespace credo {
using namespace v1;
}
#endif
