// pending.h — one batch on its way through a run (internal to runtime/exec).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/core/batch.h"
#include "runtime/exec/group_index.h"

namespace credo::exec {

struct Reject {
  int64_t line;
  std::string id;
  std::string reason;
  std::string detail;  // what the bad text was and what was expected (reject_detail.h)
};

// Accepted records serialised for a GroupSpill by a worker: record k is row rows[k] of the batch,
// bytes [ends[k-1], ends[k]), bound for partition partitions[k].
struct SpilledRows {
  std::string bytes;
  std::vector<uint32_t> ends, rows;
  std::vector<uint8_t> partitions;
};

// Parsed records, why some failed, and their state.
struct Pending {
  rt::InputBatch input;
  rt::StateBatch state;
  std::vector<int64_t> lines;
  std::vector<const rt::Str*> ids;          // first field's text, for the rejects file
  std::vector<int32_t> parse_field;         // first field that failed to parse, or -1
  // The reason and detail of each row whose parse_field >= 0 (read only for those rows: the
  // record parser leaves them empty when every row parsed).
  std::vector<std::string> parse_reason;
  std::vector<std::string> parse_detail;
  std::vector<std::vector<const rt::Str*>> kept;  // per --keep column: each row's cell (input.strings)
  std::vector<Reject> rejects;              // this batch's rejected rows
  std::string output;                       // formatted output rows, when formatted by a worker
  SpilledRows spilled;                      // in a spilled run, when serialised by a worker
  GroupKeys group_keys;                     // hashed by the worker, for GroupIndex::Assign

  // Bytes held once the batch waits for the group pass (the input reduced to its group key):
  // what a run's memory budget counts.
  size_t HeldBytes() const {
    size_t bytes = state.rows * (sizeof(int32_t) * 2 + sizeof(int64_t) * 2 + 9);
    for (const auto& slot : state.slots) bytes += slot.values.capacity() * 8 + slot.valid.capacity();
    for (const auto& r : rejects) bytes += sizeof r + r.id.capacity() + r.reason.capacity() + r.detail.capacity();
    for (const auto& k : kept) bytes += k.capacity() * sizeof(const rt::Str*);
    if (state.strings) bytes += state.strings->bytes();
    if (state.computed) bytes += state.computed->bytes();
    return bytes;
  }
};

}  // namespace credo::exec
