#include "cli/same_file.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <optional>

namespace credo::cli {
namespace {

struct FileId {
  dev_t dev = 0;
  ino_t ino = 0;
  std::string name;  // set for a file that does not exist yet: its name in directory (dev, ino)
  bool device = false;
  bool operator==(const FileId&) const = default;
};

// Where `path` leads; nullopt when that cannot be told (the open then reports why).
std::optional<FileId> Identify(const std::string& path, int standard_fd) {
  struct stat st {};
  FileId id;
  if (path == "-" ? fstat(standard_fd, &st) == 0 : stat(path.c_str(), &st) == 0) {
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    id.device = S_ISCHR(st.st_mode);
    return id;
  }
  size_t slash = path.find_last_of('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  if (stat(dir.c_str(), &st) != 0) return std::nullopt;
  id.dev = st.st_dev;
  id.ino = st.st_ino;
  id.name = path.substr(slash == std::string::npos ? 0 : slash + 1);
  return id;
}

bool Same(const std::optional<FileId>& a, const std::optional<FileId>& b) {
  return a && b && *a == *b && !a->device;
}

}  // namespace

std::string CheckDistinctFiles(const std::string& in, const std::string& out, const std::string& rejects) {
  return CheckDistinctFiles(in, {{"--out", out}, {"--rejects", rejects}});
}

std::string CheckDistinctFiles(const std::string& in, const std::vector<std::pair<std::string, std::string>>& outputs) {
  for (size_t a = 0; a < outputs.size(); ++a)
    for (size_t b = a + 1; b < outputs.size(); ++b)
      if (outputs[a].second == "-" && outputs[b].second == "-")
        return fmt::format("{} and {} cannot both be stdout (-): give {} a file", outputs[a].first, outputs[b].first,
                           outputs[b].first);
  auto in_id = Identify(in, 0);
  std::vector<std::optional<FileId>> ids;
  for (const auto& [option, path] : outputs) ids.push_back(Identify(path, 1));
  for (size_t a = 0; a < outputs.size(); ++a)
    for (size_t b = a + 1; b < outputs.size(); ++b)
      if (Same(ids[a], ids[b]))
        return fmt::format("{} {} and {} {} are the same file: give each its own", outputs[a].first, outputs[a].second,
                           outputs[b].first, outputs[b].second);
  for (size_t a = 0; a < outputs.size(); ++a)
    if (Same(in_id, ids[a]))
      return fmt::format("{} {} is the input file {}: writing it would destroy the input", outputs[a].first,
                         outputs[a].second, in);
  return "";
}

}  // namespace credo::cli
