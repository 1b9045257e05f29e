// policy_impl.h — what a compiled credo::Policy holds behind its pointer, and the internal state
// of records and results, shared by the API's source files (never installed).
#pragma once

#include <credo/credo.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/driver/compile.h"
#include "runtime/core/evaluator.h"
#include "runtime/exec/runner.h"

namespace credo::v1 {

struct Tracer;  // trace_record.h

struct PolicyImpl {
  uint64_t id = 0;                    // unique in the process: keys the threads' evaluation buffers
  std::string path, text;             // the name diagnostics show, and the text compiled (explain
                                      // compiles it again with probes)
  std::string file;                   // the file it was read from ("" for text)
  Engine engine = Engine::jit;
  std::unique_ptr<rt::Evaluator> evaluator;
  const rt::PolicyInfo* info = nullptr;  // evaluator->info()
  Description description;
  std::unordered_map<std::string_view, size_t> input_index, output_index;  // views of info's names
  // The reference data its lookups read (null when it declares none; the evaluator has it too),
  // and the same data as the probed program reads it (explain, traces): often the same object.
  std::shared_ptr<const rt::References> references, probed_references;

  // The policy lowered with probes, for explain and traces: compiled on first use.
  const Compilation* Probed(std::string& error) const;
  // The evaluator of traces (trace_record.h), made from it on first use.
  const Tracer* GetTracer(std::string& error) const;

  const rt::PolicyInfo& Info() const { return *info; }
  std::optional<size_t> Input(std::string_view name) const {
    auto it = input_index.find(name);
    return it == input_index.end() ? std::nullopt : std::optional<size_t>(it->second);
  }

 private:
  mutable std::once_flag probed_once_, tracer_once_;
  mutable std::shared_ptr<const Tracer> tracer_;
  mutable std::unique_ptr<Compilation> probed_;
  mutable std::string probed_error_;
};

using rt::EmptyStr;  // what every missing string field points at

// The fields of one record as the engines read them, with what the setters could not read.
struct Record::Impl {
  std::shared_ptr<const PolicyImpl> policy;
  std::vector<int64_t> values;            // per field: its bits (strings point into `strings`)
  std::vector<uint8_t> valid;             // per field: 1 present, 0 missing
  std::vector<exec::FieldError> failed;   // per field: why its value cannot be read (None: it can)
  std::vector<std::string> failed_text;   // per field: the failed value as text (its CSV cell)
  std::vector<uint64_t> strings;          // rt::Str records of the string fields, 8-byte aligned
  std::vector<uint32_t> string_at;        // per field: its Str's word in `strings`, or kNoString
  std::string error, error_field;         // the first request error, and the field it names
  static constexpr uint32_t kNoString = UINT32_MAX;

  explicit Impl(std::shared_ptr<const PolicyImpl> p);
  void Clear();
  void Fail(size_t field, exec::FieldError why, std::string text);
  void RequestError(std::string field, std::string message);
  void SetString(size_t field, std::string_view text);
  void SetText(size_t field, std::string_view text);
  void Repoint();                               // after `strings` moved: string values point at it again
  std::string Cell(size_t field) const;         // the field as a CSV cell's text (unquoted)
  // The first field (in column order) that cannot be read, with why; -1 when every one can.
  int FirstFailure(exec::FieldError& why) const;
};

struct Result::Impl {
  std::shared_ptr<const PolicyImpl> policy;
  Outcome outcome = Outcome::error;
  std::string reason = "not evaluated", detail = "not evaluated", field;
  std::vector<int64_t> values;      // per output: its bits
  std::vector<uint8_t> valid;
  std::vector<std::string> strings; // per output: the text of a string output
  std::vector<Fired> fired;
};

// Private access for the API's source files.
struct RecordAccess {
  static Record::Impl& Of(Record& r) { return *r.impl_; }
  static const Record::Impl* Of(const Record& r) { return r.impl_.get(); }
  static Record Make(std::shared_ptr<const PolicyImpl> p) { return Record(std::move(p)); }
};
struct ResultAccess {
  static Result::Impl& Of(Result& r) {
    if (!r.impl_) r.impl_ = std::make_unique<Result::Impl>();
    return *r.impl_;
  }
  static const Result::Impl& Of(const Result& r) { return *r.impl_; }
};
struct PolicyAccess {
  static const std::shared_ptr<const PolicyImpl>& Of(const Policy& p) { return p.impl_; }
  static Policy Make(std::shared_ptr<const PolicyImpl> impl) { return Policy(std::move(impl)); }
};

// A value of `type` as a Value (strings from `text` when given: the bits may not be a Str).
Value ToValue(const rt::PolicyInfo& info, const rt::ValueType& type, int64_t bits, bool present,
              std::string_view text = {});
ValueKind KindOf(const rt::ValueType& type);

// Why a record was rejected, in words (Result::detail, Reject::detail), as `credo run`'s detail
// column says it: `parse_field` >= 0 when a field could not be read (`cell_text`: its cell),
// else the status its evaluation ended with (`bits`, `present`: the value of the field whose
// `where` failed, if the status is one).
std::string RejectDetail(const PolicyImpl& p, int32_t status, int parse_field, std::string_view cell_text, int64_t bits,
                         bool present);
// The field a reject is about ("" when none).
std::string RejectField(const PolicyImpl& p, int32_t status, int parse_field);

// A record as a one-row CSV text (header and row), as `credo run` would read it.
std::string RecordCsv(const Record::Impl& r);

}  // namespace credo::v1
