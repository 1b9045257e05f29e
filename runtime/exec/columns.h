// columns.h — which input column feeds which policy field: header names matched to the policy's
// inputs (any order, extra columns ignored), `--keep` columns passed through to the output, and
// the exact-header rule of `--strict`.
//
// The map is made once from the header and applied per row between the tokenizer and
// ParseField: field f of the policy reads cell column_of[f] of the row, so a file in the
// policy's own order costs one index load per cell more than before.
#pragma once

#include <string>
#include <vector>

#include "runtime/core/batch.h"

namespace credo::exec {

struct ColumnOptions {
  bool strict = false;             // the header must be exactly the policy's inputs, in order
  std::vector<std::string> keep;   // input columns copied to the output, first, in this order
};

struct ColumnMap {
  size_t width = 0;                 // cells per row: the header's column count
  std::vector<uint32_t> column_of;  // per policy input field: its column in the row
  std::vector<uint32_t> kept;       // per kept column (ColumnOptions::keep order): its column
  std::vector<std::string> kept_names;
  // A map for rows already in the policy's order (JSON Lines rows, tests): the identity.
  static ColumnMap Identity(const rt::PolicyInfo& info);
};

// Maps `header` to the policy's inputs. On failure sets `error` to a bounded message that names
// every missing column (with a near-miss header name as "did you mean"), a policy field given
// twice, or a bad --keep name, and returns false.
bool MapColumns(const rt::PolicyInfo& info, const std::vector<std::string>& header, const ColumnOptions& options,
                ColumnMap& map, std::string& error);

// Checks `keep` against the policy before any input is read: no name twice, none that is an
// output column's name (the output would have two columns of that name).
bool CheckKeep(const rt::PolicyInfo& info, const std::vector<std::string>& keep, std::string& error);

}  // namespace credo::exec
