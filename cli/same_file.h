// same_file.h — refusing a run whose outputs would overwrite its input or each other.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace credo::cli {

// Checks, before anything is opened, that --out and --rejects are two different files and
// neither is the input. "Same" is decided by device and inode (after following symlinks), so
// hard links, symlinks and other spellings of a path are caught; a path that does not exist yet
// is identified by its directory's device and inode and its name. `-` is stdin or stdout (as
// they are at start). Character devices may coincide (`/dev/null` twice is harmless), and both
// outputs may not be stdout. Returns an empty string when the files are fine, else the reason.
std::string CheckDistinctFiles(const std::string& in, const std::string& out, const std::string& rejects);
// The same for any list of outputs, each named by its option (e.g. "--output groups") and path.
std::string CheckDistinctFiles(const std::string& in, const std::vector<std::pair<std::string, std::string>>& outputs);

}  // namespace credo::cli
