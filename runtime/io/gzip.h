// gzip.h — reading gzip-compressed input as a plain stream, detected by its magic bytes.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace credo::io {

// An input stream that reads `raw` decompressed when it starts with the gzip magic bytes
// (1f 8b), whatever its name, and as it is otherwise; works on pipes (nothing is seeked).
// Concatenated gzip members are read one after the other, as gunzip does. A corrupt or truncated
// stream is a read error of the returned stream (ferror), and `error_text` then says why.
class InputStream {
 public:
  InputStream() = default;
  ~InputStream();
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  // Takes `raw` (not owned: the caller closes it after this stream). False with `error` when the
  // first bytes cannot be read or a decompressor cannot be set up.
  bool Open(std::FILE* raw, std::string& error);
  std::FILE* file() const { return file_; }
  bool compressed() const { return gzip_ != nullptr; }
  // What went wrong decompressing, after a read error ("" if none).
  std::string error_text() const;

 private:
  struct Gzip;
  std::FILE* file_ = nullptr;
  Gzip* gzip_ = nullptr;
};

}  // namespace credo::io
