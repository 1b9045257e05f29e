// read_input.h — the whole of a file a command reads (a policy to format, records to explain),
// or of stdin for "-".
#pragma once

#include <string>

namespace credo::cli {

// Reads `path` whole (stdin for "-"); a directory is refused. Otherwise false, with `error`
// "cannot read PATH: why".
bool ReadInput(const std::string& path, std::string& text, std::string& error);

}  // namespace credo::cli
