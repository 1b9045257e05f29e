// batch_run.h — a batch run over records already in memory (no CSV): rows read in chunks,
// evaluated (on several threads), unique keys checked and the group pass run across the whole
// batch, as RunCsv does. What comes out is the state of every row (status 0: accepted) and the
// rejects with the reasons `credo run` writes. For the embedding APIs (the C ABI over Arrow
// arrays, the C++ Batch), which differ only in how a row's cells are read and results written.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/core/evaluator.h"
#include "runtime/exec/runner.h"

namespace credo::exec {

// Rows [first, first + input.rows) of a batch, read. A row that failed to read has the field it
// failed at (else -1), why, and the reject reason (RejectReason); from that field on, its cells
// read as missing (as ParseRows leaves a CSV row).
struct ReadChunk {
  int64_t first = 0;
  rt::InputBatch input;
  std::vector<int32_t> fail_field;
  std::vector<FieldError> fail_why;
  std::vector<std::string> fail_reason;

  // Sized for `count` rows of `info`'s fields, every cell present and no row failed.
  void Reset(const rt::PolicyInfo& info, int64_t first_row, size_t count);
  // Row r failed at field f: records why and leaves its cells from f on missing.
  void Fail(const rt::PolicyInfo& info, size_t r, size_t f, FieldError why);
};

// Where a batch's rows come from.
class RowReader {
 public:
  virtual ~RowReader() = default;
  virtual int64_t rows() const = 0;
  // Reads rows [first, first + count) into `out`; called from several threads at once.
  virtual void Read(int64_t first, int64_t count, ReadChunk& out) const = 0;
};

struct BatchReject {
  int64_t row;
  std::string reason;  // as `credo run` writes it
  int field = -1;      // the input field it is about (a cell that did not read, a field's own
                       // check, a duplicate key), or -1
  int64_t first_row = -1;  // a duplicate key: the row that has it first (and was kept)
};

struct BatchRun {
  struct Chunk {
    ReadChunk read;
    rt::StateBatch state;  // status 0: accepted; rejected rows are -1
  };
  std::vector<Chunk> chunks;          // in row order
  std::vector<BatchReject> rejects;   // in row order; every row is accepted or here, once
  size_t accepted = 0;
  std::unique_ptr<rt::ArenaPool> group_strings;  // strings the group pass computed (the states point here)
};

// Runs `reader`'s rows through `evaluator`: `threads` >= 1 evaluates chunks of `chunk_rows` rows
// in parallel (the results do not depend on it). Throws std::system_error when threads cannot be
// started and std::bad_alloc when memory runs out.
BatchRun RunBatch(rt::Evaluator& evaluator, const RowReader& reader, size_t threads, int64_t chunk_rows = 4096);

}  // namespace credo::exec
