// group_spill.h — accepted records waiting for the group pass, spilled to temporary files
// partitioned by a hash of their group key, and read back one partition at a time. A partition
// holds whole groups, so the group pass over it gives each record what the pass over all records
// would (docs/performance.md, "Larger-than-memory runs").
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/core/batch.h"
#include "runtime/exec/pending.h"
#include "runtime/exec/spill.h"

namespace credo::exec {

class GroupSpill {
 public:
  // `budget`: the bytes a loaded partition may take; `batch_rows`: rows per loaded batch.
  GroupSpill(const rt::PolicyInfo& info, std::string dir, size_t budget, size_t batch_rows);

  // Spills the accepted records (status 0) of `p`: its record state, line, id and group key.
  // Uses p.spilled when a worker has filled it (Serialize), skipping the records rejected since.
  void Add(const Pending& p);
  // Serialises the accepted records of `p` into `out`; safe on any thread.
  void Serialize(const Pending& p, SpilledRows& out) const;

  // Calls `work` on each partition in turn, loaded as batches in input order whose
  // InputBatch::group ids (0 .. groups-1) are local to the partition. A partition whose records
  // would take more than the budget is first split in two or more by another hash, and so on; one
  // that cannot be split (a single group larger than the budget) is loaded whole all the same.
  using Work = std::function<void(std::vector<std::unique_ptr<Pending>>& batches, size_t groups)>;
  void ForEachPartition(const Work& work);

  uint64_t bytes_spilled() const { return bytes_spilled_; }
  size_t partitions_loaded() const { return loaded_; }
  size_t largest_partition_bytes() const { return largest_; }  // estimated memory of the largest one

  // In memory, a loaded record takes about this many times its spilled bytes.
  static constexpr double kExpansion = 1.5;
  static constexpr size_t kFanOut = 64;  // partitions of the first spill (fits SpilledRows' uint8_t)
  static constexpr int kMaxDepth = 4;    // splits of a partition before it is loaded regardless

 private:
  struct Partition {
    std::unique_ptr<TempFile> file;
    uint64_t rows = 0;
  };
  void Process(Partition& part, int depth, const Work& work);
  std::vector<Partition> Split(Partition& part, size_t fan_out, int seed);
  void Load(Partition& part, const Work& work);
  static size_t Slot(std::string_view key, bool present, int64_t line, int seed, size_t fan_out);
  void Append(Partition& part, std::string_view record) {
    part.file->Append(record);
    ++part.rows;
  }

  const rt::PolicyInfo& info_;
  std::string dir_;
  size_t budget_, batch_rows_;
  std::vector<Partition> partitions_;
  SpilledRows scratch_;
  uint64_t bytes_spilled_ = 0;
  size_t loaded_ = 0, largest_ = 0;
};

}  // namespace credo::exec
