// discover.h — which test files `credo test PATH...` runs.
#pragma once

#include <string>
#include <vector>

namespace credo::testing {

// The test files of `paths` (none: the current directory), each once, in the order given
// (a directory's files sorted by path): a `.tests` file is itself, a `.credo` file means the
// `.tests` file beside it, a directory every `*.tests` below it (hidden directories skipped).
// Returns false with `error` set (and `exit` the exit code: 3 a path that cannot be read, 1 a
// policy without its test file, 2 a file of another kind) at the first path that fails.
bool FindTestFiles(const std::vector<std::string>& paths, std::vector<std::string>& files, std::string& error,
                   int& exit);

// The policy a test file tests: `policy` as written in it (relative to the test file's
// directory), or the `.credo` file of the same name beside it.
std::string PolicyPathFor(const std::string& test_file, const std::string& policy);

}  // namespace credo::testing
