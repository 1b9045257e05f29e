// session.h — one `credo test` run over several test files: each policy compiled once (and its
// diagnostics shown once), each file parsed, bound and run on the chosen engines, and with
// coverage the probes each policy's cases exercised, summed over all its test files.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/driver/compile.h"
#include "compiler/testing/results.h"
#include "compiler/testing/test_file.h"

namespace credo::testing {

struct SessionOptions {
  std::vector<Engine> engines = {Engine::Jit};
  bool coverage = false;
};

class Session {
 public:
  explicit Session(SessionOptions options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Runs the test file at `path`. Its errors, and its policy's diagnostics the first time the
  // policy is used, are appended to `diagnostics` as they are printed.
  FileResult RunFile(const std::string& path, std::string& diagnostics);
  // Per policy tested, in the order first tested (only with SessionOptions::coverage). `files`
  // are the results of RunFile, in the order run: an `uncovered` line that names no uncovered
  // item is an error of its file, added to its result and to `diagnostics` as printed.
  std::vector<PolicyCoverage> Coverage(std::vector<FileResult>& files, std::string& diagnostics);
  // A file or policy that could not be read, or an engine that could not start (exit 3).
  bool failed() const { return failed_; }

 private:
  struct Policy;
  Policy* Load(const std::string& path, std::string& error);
  bool UseReferences(Policy& policy, const TestFile& tests, std::vector<TestFileError>& errors);

  SessionOptions options_;
  std::map<std::string, std::unique_ptr<Policy>> policies_;  // by canonical path
  std::vector<Policy*> order_;
  std::vector<std::unique_ptr<SourceFile>> sources_;  // the test files run, in order (excuses point here)
  bool failed_ = false;
};

}  // namespace credo::testing
