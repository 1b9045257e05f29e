#include "cli/fmt_paths.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace credo::cli {
namespace {

namespace fs = std::filesystem;

struct IgnoreFile {
  fs::path dir;
  std::vector<std::string> globs;
};

IgnoreFile ReadIgnoreFile(const fs::path& dir) {
  IgnoreFile ignore{dir, {}};
  std::ifstream in(dir / kFmtIgnoreFile);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    size_t last = line.find_last_not_of(" \t");
    ignore.globs.push_back(line.substr(first, last - first + 1));
  }
  return ignore;
}

bool Ignored(const fs::path& file, const std::vector<IgnoreFile>& ignores) {
  for (const IgnoreFile& ignore : ignores) {
    std::string relative = file.lexically_relative(ignore.dir).generic_string();
    std::string name = file.filename().string();
    for (const std::string& glob : ignore.globs) {
      if (fnmatch(glob.c_str(), relative.c_str(), FNM_PATHNAME) == 0) return true;
      if (glob.find('/') == std::string::npos && fnmatch(glob.c_str(), name.c_str(), 0) == 0) return true;
    }
  }
  return false;
}

// Appends the *.credo files under `dir` (symlinked directories are not followed: no cycles).
void Walk(const fs::path& dir, std::vector<IgnoreFile>& ignores, FmtTargets& out) {
  ignores.push_back(ReadIgnoreFile(dir));
  std::vector<fs::path> entries;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) entries.push_back(entry.path());
  if (ec) out.errors.push_back(dir.string() + ": " + ec.message());
  std::sort(entries.begin(), entries.end());
  for (const fs::path& path : entries) {
    std::error_code e;
    if (fs::is_directory(fs::symlink_status(path, e))) {
      Walk(path, ignores, out);
    } else if (path.extension() == ".credo" && fs::is_regular_file(fs::status(path, e)) && !Ignored(path, ignores)) {
      out.files.push_back(path.string());
    }
  }
  ignores.pop_back();
}

}  // namespace

FmtTargets CollectFmtTargets(const std::vector<std::string>& paths) {
  FmtTargets out;
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (path == "-" || fs::is_regular_file(status)) {
      out.files.push_back(path);
    } else if (fs::is_directory(status)) {
      std::vector<IgnoreFile> ignores;
      Walk(fs::path(path), ignores, out);
    } else {
      out.errors.push_back(path + ": " + (fs::exists(status) ? "not a regular file or directory" : "no such file or directory"));
    }
  }
  return out;
}

}  // namespace credo::cli
