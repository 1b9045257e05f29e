// output_file.h — opening a file a run writes without harming what its path points at.
//
// - A regular file, or a path that does not exist yet, is written under a temporary name
//   (PATH.XXXXXX.partial, in the same directory) and renamed over PATH only by Commit: a run
//   that fails or is killed leaves PATH as it was. The new file keeps the old one's permissions.
// - A symlink to a regular file is treated the same way at its target: the link stays a link.
// - Anything else — `-` (stdout), a FIFO, a character or block device, a socket, a symlink to
//   one of those, or a dangling symlink — is opened and written through: renaming over it would
//   replace the pipe or device node (as root, `--out /dev/null` would delete /dev/null).
#pragma once

#include <cstdio>
#include <string>

namespace credo::cli {

class OutputFile {
 public:
  OutputFile() = default;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  // Not committed: closes the file and removes the temporary one.
  ~OutputFile();

  // Opens `path` ("-" is stdout). On failure returns false with `error` ("cannot write PATH: ...").
  bool Open(const std::string& path, std::string& error);
  std::FILE* file() const { return file_; }
  // The path as the user gave it ("stdout" for -), for messages.
  const std::string& name() const { return name_; }
  // Flushes and closes the file and renames a temporary one into place. On failure returns
  // false with `error` and removes the temporary file.
  bool Commit(std::string& error);

 private:
  bool Fail(const std::string& what, std::string& error);

  std::string name_;
  std::string target_;  // the path renamed over, symlinks resolved; empty when written through
  std::string temp_;    // the temporary file, while there is one
  int cleanup_slot_ = -1;
  std::FILE* file_ = nullptr;
};

}  // namespace credo::cli
