// registry.cc — compiling the policy folder and publishing catalogs.
#include "serve/registry.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <fmt/format.h>

namespace credo::serve {
namespace fs = std::filesystem;

std::string UtcNow() {
  auto now = std::chrono::system_clock::now();
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  std::time_t seconds = std::time_t(micros / 1000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:06d}Z", text, int(micros % 1000000));
}

namespace {

bool ReadBytes(const std::string& path, std::string& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  bytes = text.str();
  return !in.bad();
}

std::optional<size_t> OutcomeOutput(const credo::Description& d) {
  for (size_t i = 0; i < d.outputs.size(); ++i)
    if (d.outputs[i].name == "decision") return i;
  for (size_t i = 0; i < d.outputs.size(); ++i)
    if (d.outputs[i].kind == credo::ValueKind::enumeration) return i;
  return std::nullopt;
}

bool IsLibrary(const credo::CompileResult& r) {
  for (const auto& d : r.diagnostics)
    if (d.code == "E0008" && d.line <= 1) return true;
  return false;
}

}  // namespace

Registry::Registry(std::string dir, credo::Engine engine, Metrics& metrics)
    : dir_(std::move(dir)), engine_(engine), metrics_(metrics) {
  catalog_.store(std::make_shared<const Catalog>());
}

void Registry::Compile(const std::string& path, FileState& state, bool initial) {
  credo::CompileOptions options;
  options.engine = engine_;
  credo::CompileResult result = credo::Policy::compile_file(path, options);
  if (IsLibrary(result)) {
    state.library = true;
    state.loaded.reset();
    state.last_error.reset();
    return;
  }
  state.library = false;
  if (!result.ok()) {
    LoadError error{UtcNow(), result.error, result.diagnostics};
    std::fprintf(stderr, "credo serve: %s failed to check (%s); %s\n%s", path.c_str(), result.error.c_str(),
                 state.loaded ? "the previous version keeps serving" : "not loaded", result.rendered.c_str());
    state.last_error = std::move(error);
    metrics_.CountReload(false);
    return;
  }
  auto loaded = std::make_shared<LoadedPolicy>(LoadedPolicy{*result.policy, {}, {}, {}, path, UtcNow(), {}, {}});
  const credo::Description& d = loaded->policy.describe();
  loaded->name = d.name;
  loaded->version = d.version;
  loaded->hash = d.hash;
  loaded->engine_version = d.engine_version;
  loaded->outcome_output = OutcomeOutput(d);
  bool changed = !state.loaded || state.loaded->hash != loaded->hash;
  std::fprintf(stderr, "credo serve: %s %s version %s (hash %s) from %s\n",
               initial ? "loaded" : (changed ? "reloaded" : "rechecked, unchanged:"), d.name.c_str(),
               d.version.c_str(), d.hash.c_str(), path.c_str());
  if (!initial) metrics_.CountReload(true);
  state.loaded = std::move(loaded);
  state.last_error.reset();
}

void Registry::Rescan() {
  bool initial = !started_;
  started_ = true;
  std::map<std::string, FileState> seen;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    if (entry.path().extension() != ".credo") continue;
    std::string path = entry.path().string();
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    FileState state;
    if (auto old = files_.find(path); old != files_.end()) state = old->second;
    state.mtime_ns = int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    state.size = int64_t(st.st_size);
    state.inode = int64_t(st.st_ino);
    seen.emplace(path, std::move(state));
  }
  if (ec) std::fprintf(stderr, "credo serve: cannot list %s: %s\n", dir_.c_str(), ec.message().c_str());

  // Which files changed: stat first, then the bytes (a touch alone recompiles nothing).
  std::vector<std::string> changed;
  bool library_changed = false;
  for (auto& [path, state] : seen) {
    auto old = files_.find(path);
    bool stat_same = old != files_.end() && old->second.mtime_ns == state.mtime_ns &&
                     old->second.size == state.size && old->second.inode == state.inode;
    if (stat_same) continue;
    std::string bytes;
    if (!ReadBytes(path, bytes)) {  // vanished or unreadable between the listing and now: next scan
      state.mtime_ns = -1;
      continue;
    }
    size_t hash = std::hash<std::string>{}(bytes);
    if (old != files_.end() && old->second.content_hash == hash) continue;
    state.content_hash = hash;
    changed.push_back(path);
    library_changed |= old != files_.end() && old->second.library;
  }
  for (const auto& [path, state] : files_)
    if (!seen.count(path)) {
      library_changed |= state.library;
      std::fprintf(stderr, "credo serve: %s was removed; %s is no longer served\n", path.c_str(),
                   state.loaded ? state.loaded->name.c_str() : "nothing");
    }
  if (!initial && changed.empty() && !library_changed && seen.size() == files_.size()) {
    files_ = std::move(seen);  // new stat, same bytes (a touch): remember the stat, compile nothing
    return;
  }

  for (const std::string& path : changed) Compile(path, seen[path], initial);
  // A new or changed library may change what any policy compiles to.
  bool any_library_changed = library_changed;
  for (const std::string& path : changed) any_library_changed |= seen[path].library;
  if (any_library_changed && !initial)
    for (auto& [path, state] : seen)
      if (!state.library && std::find(changed.begin(), changed.end(), path) == changed.end())
        Compile(path, state, false);
  files_ = std::move(seen);

  auto catalog = std::make_shared<Catalog>();
  for (auto& [path, state] : files_) {
    if (state.library) continue;
    FileStatus status{path, "", state.last_error};
    if (state.loaded) {
      auto [it, inserted] = catalog->by_name.emplace(state.loaded->name, state.loaded);
      if (inserted) {
        status.name = state.loaded->name;
      } else if (!status.last_error) {
        status.last_error = LoadError{UtcNow(),
                                      fmt::format("policy name '{}' is already served from {}", state.loaded->name,
                                                  it->second->file),
                                      {}};
      }
    }
    catalog->files.push_back(std::move(status));
  }
  catalog_.store(std::move(catalog), std::memory_order_release);
}

}  // namespace credo::serve
