// registry.h — the policies `credo serve` answers with, and how a changed file replaces one.
//
// The registry publishes an immutable Catalog through one atomic shared_ptr. A request loads the
// catalog once and keeps the shared_ptr of the policy it found, so it is answered entirely by
// the version it started with however many reloads happen meanwhile; a reload compiles in the
// background and publishes a new catalog in one store (copy-on-write, RCU style). A file that
// fails to check keeps its previous version serving, with the error beside it.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <credo/credo.hpp>

#include "serve/metrics.h"

namespace credo::serve {

// One compiled version of one policy file.
struct LoadedPolicy {
  credo::v1::Policy policy;
  std::string name, version, hash, file, loaded_at;  // loaded_at: UTC, ISO 8601
  std::string engine_version;
  // The output whose value names the outcome in metrics: `decision` if there is one, else the
  // first enum output; none: an accepted record counts as "accepted".
  std::optional<size_t> outcome_output;
};

// What a file's last compilation said, when it failed.
struct LoadError {
  std::string at;                             // UTC, ISO 8601
  std::string message;                        // "3 errors", "cannot read ...", a name clash
  std::vector<credo::v1::Diagnostic> diagnostics;  // as data
};

struct FileStatus {
  std::string file;
  std::string name;                  // the policy it serves ("" when none)
  std::optional<LoadError> last_error;  // its newest version failed (the previous one, if any, serves)
};

struct Catalog {
  std::map<std::string, std::shared_ptr<const LoadedPolicy>> by_name;
  std::vector<FileStatus> files;  // every .credo file that is not a library, by path
};

class Registry {
 public:
  Registry(std::string dir, credo::v1::Engine engine, Metrics& metrics);

  // Looks at every *.credo file in the folder and compiles those whose content changed (all of
  // them when a library changed: a policy may import it). Publishes the new catalog. Called by
  // one thread at a time (startup, then the watcher).
  void Rescan();

  std::shared_ptr<const Catalog> catalog() const { return catalog_.load(std::memory_order_acquire); }
  const std::string& dir() const { return dir_; }

 private:
  struct FileState {
    int64_t mtime_ns = -1, size = -1, inode = -1;
    size_t content_hash = 0;
    bool library = false;
    std::shared_ptr<const LoadedPolicy> loaded;
    std::optional<LoadError> last_error;
  };
  void Compile(const std::string& path, FileState& state, bool initial);

  std::string dir_;
  credo::v1::Engine engine_;
  Metrics& metrics_;
  bool started_ = false;
  std::map<std::string, FileState> files_;  // by path; only Rescan touches it
  std::atomic<std::shared_ptr<const Catalog>> catalog_;
};

// The current time as `2026-12-02T19:40:00.123456Z`.
std::string UtcNow();

}  // namespace credo::serve
