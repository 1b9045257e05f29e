// records.h — the data records of an input (CSV or JSON Lines) as `credo run` reads them, for a trace
// (compiler/interp/trace.h): every record is kept, including those that do not parse (their
// fields from the bad one on read as missing, as the runner evaluates them), with its line, its
// cells' text and, for a bad one, the reject reason the run would write.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/interp/trace.h"
#include "runtime/core/batch.h"
#include "runtime/exec/columns.h"
#include "runtime/exec/runner.h"

namespace credo::explain {

// How the input is written: its format and how its columns are found (as `credo run --format`,
// `--strict`).
struct ReadOptions {
  exec::Format format = exec::Format::Csv;
  exec::ColumnOptions columns;
};

struct Records {
  ReadOptions how;                               // how the input was read (its run reads it so too)
  std::vector<std::string> header;               // the policy's input fields (the cells' order)
  rt::InputBatch batch;                          // every data record, in input order; group ids set
  std::vector<std::shared_ptr<rt::StringArena>> arenas;  // the batch's strings, one arena per text batch read
  std::vector<int64_t> line;                     // per record: the line it starts on (a CSV header = 1)
  // Per record: its fields as text, in the policy's order (found by header name); absent where
  // a row of the wrong width has no cell for the field.
  std::vector<std::vector<std::optional<std::string>>> cells;
  std::vector<uint32_t> row_cells;               // per record: the cells its row has
  std::vector<uint8_t> whole;                    // per record: as many cells as the header
  size_t width = 0;                              // the header's column count
  std::vector<std::string> ids;                  // per record: its first field (rejects' id column)
  std::vector<uint8_t> unparsed;                 // per record: a field did not parse (TraceBatch's)
  std::vector<int32_t> parse_field;              // the field that did not (0 for a malformed row), or -1
  std::vector<std::string> parse_reason;         // and its reject reason
  std::vector<std::string> parse_detail;         // and its reject detail (exec/reject_detail.h)
  size_t size() const { return line.size(); }
};

// Reads `text` for the policy `info` (exec::RecordReader, as the run reads it). False, with
// `error` saying why as `credo run` does, when a CSV input is empty or its header does not fit
// the policy.
bool ReadRecords(const rt::PolicyInfo& info, std::string_view text, const ReadOptions& how, Records& out,
                 std::string& error);
// CSV, its columns found by name.
inline bool ReadRecords(const rt::PolicyInfo& info, std::string_view csv, Records& out, std::string& error) {
  return ReadRecords(info, csv, ReadOptions{}, out, error);
}

// The reject reason of record `r` exactly as rejects.csv writes it; "" when it is accepted.
std::string RejectReason(const rt::PolicyInfo& info, const Records& records, const Trace& trace, size_t r);

// Record r's output row (no line end) as `credo run` writes it, from the trace's final state.
std::string OutputRow(const rt::PolicyInfo& info, const Trace& trace, size_t r);
// The detail of record r's reject exactly as rejects.csv writes it; "" when it is accepted.
std::string RejectDetail(const rt::PolicyInfo& info, const Records& records, const Trace& trace, size_t r);

// Record r's rejects.csv row (no line end): line, id, reason, detail.
std::string RejectRow(const rt::PolicyInfo& info, const Records& records, const Trace& trace, size_t r);

}  // namespace credo::explain
