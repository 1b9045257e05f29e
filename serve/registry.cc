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

bool ReferencesChanged(const std::map<std::string, FileStat>& read) {
  for (const auto& [file, stat] : read)
    if (StatOf(file) != stat) return true;
  return false;
}

}  // namespace

FileStat StatOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec, int64_t(st.st_size), int64_t(st.st_ino)};
}

const std::string* ReferenceFiles::For(const std::string& policy, const std::string& ref) const {
  auto it = files.find(policy + "." + ref);
  if (it == files.end()) it = files.find(ref);
  return it == files.end() ? nullptr : &it->second;
}

std::vector<std::string> ReferenceFiles::Folders() const {
  std::vector<std::string> folders;
  for (const auto& [name, file] : files) {
    std::string folder = fs::path(file).parent_path().string();
    if (folder.empty()) folder = ".";
    if (std::find(folders.begin(), folders.end(), folder) == folders.end()) folders.push_back(folder);
  }
  return folders;
}

Registry::Registry(std::string dir, credo::Engine engine, ReferenceFiles references, Metrics& metrics)
    : dir_(std::move(dir)), engine_(engine), references_(std::move(references)), metrics_(metrics) {
  catalog_.store(std::make_shared<const Catalog>());
}

credo::CompileResult Registry::CompileWithReferences(const std::string& path, std::map<std::string, std::string>& used) {
  credo::CompileOptions options;
  options.engine = engine_;
  credo::CompileResult result = credo::Policy::compile_file(path, options);
  // A policy that reads reference data is refused without it (before the engine's work), which
  // names the references it declares: then compiled again with their files.
  if (result.ok() || !result.reference_error || result.references_declared.empty()) return result;
  for (const std::string& ref : result.references_declared) {
    const std::string* file = references_.For(result.name, ref);
    if (!file) {
      result.error = fmt::format("policy {} reads reference data '{}': give it with --ref {}=FILE (or --ref {}.{}=FILE)",
                                 result.name, ref, ref, result.name, ref);
      result.rendered = "credo serve: " + result.error + "\n";
      return result;
    }
    used[ref] = *file;
    options.references[ref] = credo::ReferenceData::file(*file);
  }
  options.set_aside_bad_reference_rows = references_.set_aside_bad_rows;
  return credo::Policy::compile_file(path, options);
}

void Registry::Compile(const std::string& path, FileState& state, bool initial) {
  std::map<std::string, std::string> used;
  // Each file's stat before it is read: a change while it is read shows at the next scan.
  std::map<std::string, FileStat> stats_before;
  for (const auto& [name, file] : references_.files) stats_before[file] = StatOf(file);
  credo::CompileResult result = CompileWithReferences(path, used);
  std::map<std::string, FileStat> read;
  for (const auto& [ref, file] : used) read[file] = stats_before.count(file) ? stats_before[file] : StatOf(file);
  bool data_changed = state.loaded && read != state.reference_stats;
  state.reference_stats = std::move(read);
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
  auto loaded = std::make_shared<LoadedPolicy>(LoadedPolicy{*result.policy, {}, {}, {}, path, UtcNow(), {}, used, {}});
  const credo::Description& d = loaded->policy.describe();
  loaded->name = d.name;
  loaded->version = d.version;
  loaded->hash = d.hash;
  loaded->engine_version = d.engine_version;
  loaded->outcome_output = OutcomeOutput(d);
  bool changed = !state.loaded || state.loaded->hash != loaded->hash || data_changed;
  std::fprintf(stderr, "credo serve: %s %s version %s (hash %s) from %s%s\n",
               initial ? "loaded" : (changed ? "reloaded" : "rechecked, unchanged:"), d.name.c_str(),
               d.version.c_str(), d.hash.c_str(), path.c_str(), data_changed ? " (its reference data changed)" : "");
  for (const auto& ref : d.references)
    std::fprintf(stderr, "credo serve: %s: reference %s from %s: %llu rows, %llu set aside, %llu keys\n", d.name.c_str(),
                 ref.name.c_str(), used[ref.name].c_str(), (unsigned long long)ref.rows, (unsigned long long)ref.rejected,
                 (unsigned long long)ref.keys);
  for (const auto& rj : result.reference_rejects)
    std::fprintf(stderr, "credo serve: %s: reference %s line %llu (key '%s') set aside: %s\n", d.name.c_str(),
                 rj.reference.c_str(), (unsigned long long)rj.line, rj.key.c_str(), rj.reason.c_str());
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
    bool data_changed = old != files_.end() && ReferencesChanged(old->second.reference_stats);
    if (stat_same && !data_changed) continue;
    if (!stat_same) {
      std::string bytes;
      if (!ReadBytes(path, bytes)) {  // vanished or unreadable between the listing and now: next scan
        state.mtime_ns = -1;
        continue;
      }
      size_t hash = std::hash<std::string>{}(bytes);
      if (old != files_.end() && old->second.content_hash == hash && !data_changed) continue;
      state.content_hash = hash;
    }
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
