// output_rows.h — the text a run writes (internal to runtime/exec): the output rows of accepted
// records (CSV or JSON Lines), the rejects file's rows, and the rows of per-group outputs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/exec/pending.h"
#include "runtime/exec/runner.h"
#include "runtime/io/csv.h"

namespace credo::exec {

// A group's row of a per-group output: its first accepted member.
struct GroupRow {
  const rt::StateBatch* state;
  size_t r;
  int64_t line;
};

class OutputRows {
 public:
  OutputRows(const rt::PolicyInfo& info, const RunOptions& options);
  // The --keep columns written first, by name (set once the input's header is read).
  void SetKeptNames(std::vector<std::string> names) { kept_names_ = std::move(names); }

  // Appends the output rows of the accepted records of `p` to `buf`; with `row_ends`, also
  // where each row ends in `buf`.
  void Format(const Pending& p, std::string& buf, std::vector<size_t>* row_ends = nullptr) const;
  void WriteHeader(std::string& buf) const;

  void WriteRejectsHeader(std::string& buf) const;
  void AppendRejectRow(const Reject& rj, std::string& buf) const;

  // Per-group outputs (docs/language.md, "Several outputs"): each group's first accepted
  // member, in the groups' first-member order, sorted by the output's keys.
  static std::vector<GroupRow> FirstMembers(const std::vector<std::unique_ptr<Pending>>& all, size_t groups);
  void SortGroupRows(const rt::GroupOutput& o, std::vector<GroupRow>& rows) const;
  static void WriteGroupHeader(const rt::GroupOutput& o, std::string& buf);
  void FormatGroupRow(const rt::GroupOutput& o, const GroupRow& row, std::string& buf) const;
  void GroupOrderKey(const rt::GroupOutput& o, const GroupRow& row, std::string& key) const;

 private:
  void FormatJson(const Pending& p, std::string& buf, std::vector<size_t>* row_ends) const;
  void FormatCell(size_t c, int64_t value, io::RowBuffer& row) const;
  void FormatCodes(const rt::ValueType& type, uint64_t list, io::RowBuffer& row) const;
  static int Compare(rt::Kind kind, int64_t a, int64_t b);
  std::string IdName() const { return info_.inputs.empty() ? "id" : info_.inputs[0].name; }

  const rt::PolicyInfo& info_;
  const RunOptions& options_;
  bool json_;                                         // JSON Lines output
  std::vector<std::vector<std::string>> enum_cells_;  // per output column: its enum values as CSV cells
  std::vector<std::string> kept_names_;
};

}  // namespace credo::exec
