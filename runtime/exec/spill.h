// spill.h — temporary files for runs larger than memory, and the k-way merge of sorted runs.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace credo::io {
class CsvWriter;
}

namespace credo::exec {

// A temporary file could not be created, written or read (a full disk, a missing directory).
struct SpillError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// An append-only temporary file in `dir`, unlinked as soon as it is created: its space returns to
// the file system when it is closed or the process ends, however it ends (error, signal, crash),
// so a run never leaves temporary files behind.
class TempFile {
 public:
  explicit TempFile(const std::string& dir);  // throws SpillError
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  void Append(std::string_view bytes) {
    buf_.append(bytes);
    if (buf_.size() >= kBufferBytes) Flush();
  }
  void Flush();                                   // throws SpillError
  uint64_t size() const { return written_ + buf_.size(); }
  void ReadAt(uint64_t offset, char* to, size_t n) const;  // flushed bytes only; throws SpillError

  static constexpr size_t kBufferBytes = 64 * 1024;

 private:
  int fd_ = -1;
  std::string dir_;
  std::string buf_;
  uint64_t written_ = 0;
};

// Reads [begin, end) of a flushed TempFile front to back through a buffer of `buffer` bytes.
class TempReader {
 public:
  TempReader(const TempFile& file, uint64_t begin, uint64_t end, size_t buffer);
  bool AtEnd() const { return at_ == end_ && pos_ == buf_.size(); }
  void Read(char* to, size_t n);  // throws SpillError past the end
  uint32_t U32() { uint32_t v; Read(reinterpret_cast<char*>(&v), 4); return v; }
  int64_t I64() { int64_t v; Read(reinterpret_cast<char*>(&v), 8); return v; }
  void Text(size_t n, std::string& out) { out.resize(n); Read(out.data(), n); }

 private:
  const TempFile& file_;
  uint64_t at_, end_;  // the file's next unread offset, and the end
  std::string buf_;
  size_t pos_ = 0, capacity_;
};

// Appends fixed-size values and length-prefixed text to a record being built.
inline void PutU32(std::string& out, uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }
inline void PutI64(std::string& out, int64_t v) { out.append(reinterpret_cast<const char*>(&v), 8); }
inline void PutText(std::string& out, std::string_view text) {
  PutU32(out, uint32_t(text.size()));
  out.append(text);
}

// The order of `v` as bytes: big-endian with the sign bit flipped, so memcmp orders like `<`.
// `descending` inverts the bytes.
inline void PutOrderedI64(std::string& out, int64_t v, bool descending = false) {
  uint64_t u = uint64_t(v) ^ (uint64_t{1} << 63);
  if (descending) u = ~u;
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(char(uint8_t(u >> shift)));
}

// Runs of records, each run sorted by its records' keys (bytes, compared as memcmp), all in one
// temporary file; Merge writes every record's payload in key order. Equal keys across runs come
// out in run order.
class SortedRuns {
 public:
  explicit SortedRuns(const std::string& dir) : file_(dir) {}
  void Add(std::string_view key, std::string_view payload) {
    record_.clear();
    PutText(record_, key);
    PutText(record_, payload);
    file_.Append(record_);
  }
  void EndRun();
  // Writes the payloads to `out` in key order, reading with about `memory` bytes of buffers.
  // Stops early when a write to `out` fails.
  void Merge(io::CsvWriter& out, size_t memory);
  size_t runs() const { return runs_.size(); }
  uint64_t bytes() const { return file_.size(); }

 private:
  TempFile file_;
  std::vector<std::pair<uint64_t, uint64_t>> runs_;  // [begin, end) of each run in file_
  uint64_t run_begin_ = 0;
  std::string record_;
};

}  // namespace credo::exec
