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

// --ref: the reference data of the served policies (docs/serve.md, "Reference data").
struct ReferenceFiles {
  // "NAME" → FILE: every policy that declares a reference NAME reads FILE; "POLICY.NAME" → FILE:
  // only the policy named POLICY does (it wins over "NAME").
  std::map<std::string, std::string> files;
  bool set_aside_bad_rows = false;  // --ref-bad-rows set-aside (else a bad row refuses the data)

  // The file of reference `ref` of the policy named `policy`, or null.
  const std::string* For(const std::string& policy, const std::string& ref) const;
  // The folders holding the files (watched besides the policy folder), each once.
  std::vector<std::string> Folders() const;
};

// What a reference file looked like when it was read: a change means reading it again.
struct FileStat {
  int64_t mtime_ns = -1, size = -1, inode = -1;
  friend bool operator==(const FileStat&, const FileStat&) = default;
};
FileStat StatOf(const std::string& path);

// One compiled version of one policy file.
struct LoadedPolicy {
  credo::v1::Policy policy;
  std::string name, version, hash, file, loaded_at;  // loaded_at: UTC, ISO 8601
  std::string engine_version;
  std::map<std::string, std::string> reference_files;  // reference name → the file it was read from
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
  Registry(std::string dir, credo::v1::Engine engine, ReferenceFiles references, Metrics& metrics);

  // Looks at every *.credo file in the folder and compiles those whose content changed (all of
  // them when a library changed: a policy may import it), or one of whose reference files
  // changed. Publishes the new catalog. Called by one thread at a time (startup, then the watcher).
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
    std::map<std::string, FileStat> reference_stats;  // the reference files its last compilation read
  };
  void Compile(const std::string& path, FileState& state, bool initial);
  // The compilation, with the reference data the policy declares (`used`: the files read).
  credo::v1::CompileResult CompileWithReferences(const std::string& path, std::map<std::string, std::string>& used);

  std::string dir_;
  credo::v1::Engine engine_;
  ReferenceFiles references_;
  Metrics& metrics_;
  bool started_ = false;
  std::map<std::string, FileState> files_;  // by path; only Rescan touches it
  std::atomic<std::shared_ptr<const Catalog>> catalog_;
};

// The current time as `2026-12-02T19:40:00.123456Z`.
std::string UtcNow();

}  // namespace credo::serve
