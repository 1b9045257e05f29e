// header_check.h — does a CSV header fit the policy's input, and if not, a bounded message why.
#pragma once

#include <string>
#include <vector>

#include "runtime/core/batch.h"

namespace credo::exec {

// True when `header` is exactly the policy's input fields in order. Otherwise sets `error` to
// what differs — missing, unexpected and duplicated columns, or only their order — followed by
// the expected header. The message is bounded whatever the input: long names are cut, bytes
// outside printable ASCII are shown as \xNN, and long lists end with "and N more".
bool CheckHeader(const rt::PolicyInfo& info, const std::vector<std::string>& header, std::string& error);

// A column name as it appears in a message: escaped and, past `limit` bytes, cut.
std::string ShownName(std::string_view name, size_t limit = 64);

}  // namespace credo::exec
