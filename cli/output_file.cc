#include "cli/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "cli/cleanup.h"

namespace credo::cli {
namespace {

constexpr const char* kSuffix = ".partial";

mode_t NewFileMode() {
  mode_t mask = umask(0);
  umask(mask);
  return 0666 & ~mask;
}

}  // namespace

bool OutputFile::Fail(const std::string& what, std::string& error) {
  error = "cannot write " + name_ + ": " + what;
  return false;
}

bool OutputFile::Open(const std::string& path, std::string& error) {
  name_ = path == "-" ? "stdout" : path;
  if (path == "-") {
    file_ = stdout;
    return true;
  }
  struct stat st {};
  bool exists = stat(path.c_str(), &st) == 0;  // follows symlinks
  if (exists && S_ISDIR(st.st_mode)) return Fail("it is a directory", error);
  bool dangling = !exists && errno == ENOENT && lstat(path.c_str(), &st) == 0;
  if ((exists && !S_ISREG(st.st_mode)) || dangling) {
    file_ = std::fopen(path.c_str(), "wb");  // O_TRUNC: no effect on a pipe or device
    return file_ ? true : Fail(std::strerror(errno), error);
  }
  target_ = path;
  if (exists) {
    char resolved[PATH_MAX];
    if (!realpath(path.c_str(), resolved)) return Fail(std::strerror(errno), error);
    target_ = resolved;
  }
  temp_ = target_ + ".XXXXXX" + kSuffix;
  int fd = mkstemps(temp_.data(), int(std::strlen(kSuffix)));
  if (fd < 0) {
    temp_.clear();
    return Fail(std::strerror(errno), error);
  }
  cleanup_slot_ = RegisterTemporary(temp_);
  fchmod(fd, exists ? st.st_mode & 07777 : NewFileMode());
  file_ = fdopen(fd, "wb");
  if (!file_) {
    int why = errno;
    close(fd);
    return Fail(std::strerror(why), error);
  }
  return true;
}

bool OutputFile::Commit(std::string& error) {
  if (file_ == stdout) {
    file_ = nullptr;
    return std::fflush(stdout) == 0 ? true : Fail(std::strerror(errno), error);
  }
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fclose(f) != 0) return Fail(std::strerror(errno), error);
  if (temp_.empty()) return true;
  if (std::rename(temp_.c_str(), target_.c_str()) != 0) return Fail(std::strerror(errno), error);
  UnregisterTemporary(cleanup_slot_);
  temp_.clear();
  return true;
}

OutputFile::~OutputFile() {
  if (file_ && file_ != stdout) std::fclose(file_);
  if (!temp_.empty()) unlink(temp_.c_str());
  UnregisterTemporary(cleanup_slot_);
}

}  // namespace credo::cli
