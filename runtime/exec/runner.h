// runner.h — a batch run: CSV in, evaluate, group pass, CSV out and rejects.
//
// Memory: without a group pass the run streams, holding about two batches per thread (plus,
// with `unique` keys, the keys seen): output rows and rejects are written as their batches
// complete, in input order. With a group pass every accepted record's state (its output values)
// and every reject is held until the end, because any later row can change an earlier one's
// group — up to RunOptions::memory_bytes. Past it the held records, and every later one, are
// spilled to temporary files partitioned by a hash of the group key (GroupSpill); after the
// input, each partition (whole groups) is loaded, given the group pass and written as sorted
// runs, which are merged into the outputs in input order (docs/performance.md,
// "Larger-than-memory runs"). Memory is then bounded by about 1.15 × memory_bytes plus the
// batches in flight and the I/O buffers, not by the number of rows — except the `unique` keys
// seen, and a single group whose records take more than the budget, which is loaded whole.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "runtime/core/evaluator.h"
#include "runtime/core/text.h"
#include "runtime/exec/columns.h"
#include "runtime/exec/progress.h"
#include "runtime/exec/summary.h"

namespace credo::io {
struct TextBatch;
}

namespace credo::exec {

// The file formats a run reads and writes (docs/cli.md, "credo run").
enum class Format : uint8_t { Csv, Jsonl };

struct RunOptions {
  size_t batch_rows = 4096;
  size_t threads = 1;      // 1: the calling thread does everything; N > 1: N threads, the
                           // caller among them, each read, parse, evaluate and write batches in
                           // input order (0: all cores); output order and content never depend on it
  bool progress = false;   // report rows done to stderr on long runs (a line per million rows)
  ProgressOptions progress_bar;  // a bar on a terminal (progress_bar.bar); see progress.h
  // How input columns are found (by header name unless strict) and which are passed through.
  ColumnOptions columns;
  Format in_format = Format::Csv, out_format = Format::Csv, rejects_format = Format::Csv;
  // The rejects' fourth column, `detail` (what the bad text was, what was expected): `credo run`
  // always writes it; off, the rejects are `line,<first input>,reason` as before.
  bool reject_detail = false;
  // --summary: count string outputs (the `summary_top` most frequent values) and total money
  // outputs, into RunStats::top_values and ::totals. Off, a run costs nothing for it.
  bool summary_values = false;
  size_t summary_top = 10;
  // With a group pass: the bytes of held records past which they are spilled to temporary files
  // in `temp_dir` (empty: $TMPDIR, else /tmp); 0 holds everything in memory. See the memory
  // note at the top.
  size_t memory_bytes = 0;
  std::string temp_dir;
  // Per-group outputs to write: the index in PolicyInfo::group_outputs and the stream (each its
  // own, and neither `out` nor `rejects`). An output not listed is not written.
  std::vector<std::pair<size_t, std::FILE*>> group_outputs;
  // A CSV input that is a regular file is mapped into memory rather than copied in by reads
  // (io::CsvReader's `map`). Only for a caller that handles SIGBUS (the file cut short meanwhile).
  bool map_input = false;
};

struct RunStats {
  uint64_t rows = 0, accepted = 0, rejected = 0;
  double seconds = 0;
  // Per enum-valued output column (e.g. decision, grade): each value with its count, in the
  // enum's declared order.
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, uint64_t>>>> by_value;
  std::vector<TopValues> top_values;  // with RunOptions::summary_values: per string output
  std::vector<MoneyTotal> totals;     // with RunOptions::summary_values: per decimal output
  size_t groups_written = 0;     // rows of the per-group outputs, all together
  int failed_output = -1;        // GroupOutputError: which entry of RunOptions::group_outputs
  // A run past its memory budget: bytes written to temporary files, partitions evaluated, and
  // the estimated memory of the largest partition.
  uint64_t spilled_bytes = 0;
  size_t partitions = 0, largest_partition_bytes = 0;
};

enum class RunStatus {
  Ok,
  BadInput,       // the input does not fit the policy (empty, or its header differs): nothing written
  IoError,        // reading the input failed
  OutputError,    // writing `out` failed
  RejectsError,   // writing `rejects` failed
  GroupOutputError,  // writing a per-group output failed (RunStats::failed_output says which)
  ResourceError,  // the worker threads could not be started
  TempError,      // a temporary file could not be created, written or read (the error names its directory)
};

// Runs `evaluator` over the CSV (or, with options.in_format, JSON Lines) on `in`. Bad records
// are not errors: they go to `rejects` as `line,<first input>,reason[,detail]`.
// Otherwise sets `error` and says what failed; a failed write stops the run early. `out` and
// `rejects` must be different streams (the rejects are written as the run goes).
RunStatus RunCsv(rt::Evaluator& evaluator, std::FILE* in, std::FILE* out, std::FILE* rejects,
                 const RunOptions& options, RunStats& stats, std::string& error);

// A run over CSV text in memory, for tests and embedding: `out` and `rejects` hold the two
// files' text; on failure `out` is empty and `error` says why.
// `group_outputs` holds the text of each per-group output, in PolicyInfo order (all are written;
// options.group_outputs is ignored).
struct TextRun {
  RunStatus status = RunStatus::Ok;
  std::string out, rejects, error;
  std::vector<std::string> group_outputs;
  RunStats stats;
};
TextRun RunCsvText(rt::Evaluator& evaluator, std::string_view csv, const RunOptions& options);

// Reads a whole CSV into parsed batches, keeping only the rows that parse (for benchmarks and
// embedding, where rejects are not wanted). Returns false with `error` on a bad header.
bool LoadCsv(const rt::PolicyInfo& info, std::FILE* in, size_t batch_rows, std::vector<rt::InputBatch>& batches,
             std::string& error);

// Evaluates every batch (on `threads` threads) and runs the group pass over the results, as a
// run does, without I/O.
void EvaluateAll(rt::Evaluator& evaluator, const std::vector<rt::InputBatch>& batches,
                 std::vector<rt::StateBatch>& states, size_t threads = 1);

// A member the group pass rejected: the row of batch `batch` whose status the pass set above 0.
struct GroupReject {
  uint32_t batch, row;
};

// The group pass alone, as a run does it, over evaluated batches whose InputBatch::group is set
// (dense ids below `groups`, -1 for none): members are the rows whose status is 0. The strings it
// computes go to `arenas`, which the caller keeps as long as it reads the states. Returns the
// members it rejected, by batch and row.
std::vector<GroupReject> RunGroupPass(rt::Evaluator& evaluator, size_t groups,
                                      const std::vector<const rt::InputBatch*>& inputs,
                                      const std::vector<rt::StateBatch*>& states, size_t threads, rt::ArenaPool& arenas);

// Why a CSV field could not be read; the reject reason is the policy's text for that kind
// (by default `<kind>:<field name>`).
enum class FieldError : uint8_t { None, Missing, Unparsable, Unknown, OutOfRange };
std::string RejectReason(const rt::PolicyInfo& info, FieldError error, const std::string& field);

// Parses one CSV field into field `field`, row `row` of `batch`.
FieldError ParseField(const rt::PolicyInfo& info, size_t field, std::string_view text, rt::InputBatch& batch,
                      size_t row);

// Parses rows of CSV text into `input` as a run does. A row that cannot be read (a bad quote, a
// wrong number of fields, a field that does not parse) fails at its first bad field:
// parse_field[r] is that field (0 for a malformed row, -1 for a row that parsed) and
// parse_reason[r] its reject reason; the row's fields from that one on read as missing.
void ParseRows(const rt::PolicyInfo& info, const io::TextBatch& text, rt::InputBatch& input,
               std::vector<int32_t>& parse_field, std::vector<std::string>& parse_reason);
// The same with the cells found through `columns` (field f reads cell columns.column_of[f]), and
// each failed row's detail (reject_detail.h) in parse_detail.
void ParseRows(const rt::PolicyInfo& info, const ColumnMap& columns, const io::TextBatch& text, rt::InputBatch& input,
               std::vector<int32_t>& parse_field, std::vector<std::string>& parse_reason,
               std::vector<std::string>& parse_detail);

// The reject reason of a row that failed to parse, given the status its evaluation ended with:
// a field's own check on an earlier column is reported before the parse failure.
const std::string& ParseRejectReason(const rt::PolicyInfo& info, int32_t status, int32_t parse_field,
                                     const std::string& parse_reason);

// Formats the output value of `slot` at `row` into `out`.
void AppendValue(const rt::PolicyInfo& info, const rt::ValueType& type, int64_t value, bool valid,
                 std::string& out);

}  // namespace credo::exec
