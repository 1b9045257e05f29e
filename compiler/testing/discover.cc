#include "compiler/testing/discover.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include <fmt/format.h>

namespace credo::testing {

namespace fs = std::filesystem;

namespace {

bool Hidden(const fs::path& p) {
  std::string name = p.filename().string();
  return name.size() > 1 && name[0] == '.' && name != "..";
}

bool FindUnder(const fs::path& dir, std::vector<std::string>& found, std::string& error) {
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && Hidden(it->path())) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->path().extension() == ".tests" && it->is_regular_file(ec)) found.push_back(it->path().lexically_normal().string());
  }
  if (ec) {
    error = fmt::format("cannot read {}: {}", dir.string(), ec.message());
    return false;
  }
  return true;
}

}  // namespace

bool FindTestFiles(const std::vector<std::string>& paths, std::vector<std::string>& files, std::string& error,
                   int& exit) {
  std::vector<std::string> roots = paths.empty() ? std::vector<std::string>{"."} : paths;
  std::set<std::string> seen;
  auto add = [&](const std::string& file) {
    std::error_code ec;
    std::string key = fs::weakly_canonical(file, ec).string();
    if (seen.insert(ec ? file : key).second) files.push_back(file);
  };
  for (const std::string& root : roots) {
    std::error_code ec;
    fs::file_status status = fs::status(root, ec);
    if (ec || !fs::exists(status)) {
      error = fmt::format("cannot read {}: {}", root, ec ? ec.message() : "No such file or directory");
      exit = 3;
      return false;
    }
    fs::path path(root);
    if (fs::is_directory(status)) {
      std::vector<std::string> found;
      if (!FindUnder(path, found, error)) {
        exit = 3;
        return false;
      }
      std::sort(found.begin(), found.end());
      for (const auto& f : found) add(f);
    } else if (path.extension() == ".tests") {
      add(root);
    } else if (path.extension() == ".credo") {
      fs::path tests = fs::path(root).replace_extension(".tests");
      if (!fs::exists(tests, ec)) {
        error = fmt::format("{} has no test file: write its cases in {}", root, tests.string());
        exit = 1;
        return false;
      }
      add(tests.string());
    } else {
      error = fmt::format("{} is not a test file (.tests), a policy (.credo) or a directory", root);
      exit = 2;
      return false;
    }
  }
  return true;
}

std::string PolicyPathFor(const std::string& test_file, const std::string& policy) {
  fs::path tests(test_file);
  if (policy.empty()) return fs::path(tests).replace_extension(".credo").lexically_normal().string();
  fs::path p(policy);
  if (p.is_absolute()) return p.lexically_normal().string();
  return (tests.parent_path() / p).lexically_normal().string();
}

}  // namespace credo::testing
