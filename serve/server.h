// server.h — `credo serve`: the policy folder over HTTP/JSON (docs/serve.md).
#pragma once

#include <cstddef>
#include <string>

#include <credo/credo.hpp>

#include "serve/registry.h"
#include "serve/watcher.h"

namespace credo::serve {

struct ServeOptions {
  std::string policies_dir;
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (the one chosen is printed)
  size_t threads = 4;
  std::string decision_log;  // "" for none
  size_t log_queue = 10000;  // decision log lines waiting before requests wait
  bool log_fired = false;    // the log lists the rules, warnings and reasons that fired
  size_t max_body = size_t{1} << 20;
  size_t max_records = 1000;
  credo::v1::Engine engine = credo::v1::Engine::jit;
  WatchMode watch = WatchMode::inotify;
  ReferenceFiles references;  // --ref: the reference data of the policies that declare it
};

// Serves until SIGTERM or SIGINT, then stops accepting, finishes the requests in flight, writes
// and syncs the decision log and returns 0. 3 when it cannot listen or open the log.
int Serve(const ServeOptions& options);

}  // namespace credo::serve
