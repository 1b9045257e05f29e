// replay.h — `credo replay LOG`: every decision of a decision log evaluated again, and every one
// that comes out differently reported field by field (docs/serve.md).
#pragma once

#include <string>

#include <credo/credo.hpp>

namespace credo::serve {

struct ReplayOptions {
  std::string log;           // the decision log ("-" for stdin)
  std::string policies_dir;  // the policies by name from this folder; or
  std::string policy_file;   // this one policy for every decision; neither: the file each line names
  bool json = false;
  credo::v1::Engine engine = credo::v1::Engine::jit;
};

// 0 when every decision is the same again; 1 when any differs (or cannot be replayed: a bad
// line, no such policy); 3 when the log cannot be read.
int Replay(const ReplayOptions& options);

}  // namespace credo::serve
