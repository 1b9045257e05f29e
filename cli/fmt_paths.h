// fmt_paths.h — the files `credo fmt` formats: the paths given, with every *.credo file under a
// directory (recursively, in name order), less those a `.credofmtignore` file names.
//
// `.credofmtignore`: read from each directory walked; one glob per line (fnmatch: `*`, `?`,
// `[...]`), matched against a file's path relative to that directory (`*` does not cross a
// `/`) and, for a glob without `/`, against its name too; blank lines and lines starting with
// `#` are skipped. A file given by name is formatted even when an ignore file lists it.
#pragma once

#include <string>
#include <vector>

namespace credo::cli {

inline constexpr const char* kFmtIgnoreFile = ".credofmtignore";

struct FmtTargets {
  std::vector<std::string> files;   // in the order given, each directory's files sorted
  std::vector<std::string> errors;  // "PATH: why" for a path that is neither a file nor a directory
};

FmtTargets CollectFmtTargets(const std::vector<std::string>& paths);

}  // namespace credo::cli
