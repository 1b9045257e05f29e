#include "runtime/exec/spill.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <queue>

#include <fmt/format.h>

#include "runtime/io/csv.h"

namespace credo::exec {

TempFile::TempFile(const std::string& dir) : dir_(dir) {
  std::string path = dir + "/credo-spill-XXXXXX";
  fd_ = mkstemp(path.data());
  if (fd_ < 0) throw SpillError(fmt::format("cannot create a temporary file in {}: {}", dir, std::strerror(errno)));
  unlink(path.c_str());  // the open descriptor keeps the data; the name goes now
  buf_.reserve(kBufferBytes + 4096);
}

TempFile::~TempFile() {
  if (fd_ >= 0) close(fd_);
}

void TempFile::Flush() {
  size_t done = 0;
  while (done < buf_.size()) {
    ssize_t n = write(fd_, buf_.data() + done, buf_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw SpillError(fmt::format("cannot write a temporary file in {}: {}", dir_, std::strerror(n < 0 ? errno : ENOSPC)));
    done += size_t(n);
  }
  written_ += buf_.size();
  buf_.clear();
}

void TempFile::ReadAt(uint64_t offset, char* to, size_t n) const {
  while (n > 0) {
    ssize_t got = pread(fd_, to, n, off_t(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) throw SpillError(fmt::format("cannot read a temporary file in {}: {}", dir_, got < 0 ? std::strerror(errno) : "it is shorter than written"));
    to += got, offset += uint64_t(got), n -= size_t(got);
  }
}

TempReader::TempReader(const TempFile& file, uint64_t begin, uint64_t end, size_t buffer)
    : file_(file), at_(begin), end_(end), capacity_(std::max<size_t>(buffer, 4096)) {}

void TempReader::Read(char* to, size_t n) {
  while (n > 0) {
    if (pos_ == buf_.size()) {
      if (at_ == end_) throw SpillError("a temporary file ends inside a record");
      size_t chunk = size_t(std::min<uint64_t>(capacity_, end_ - at_));
      buf_.resize(chunk);
      file_.ReadAt(at_, buf_.data(), chunk);
      at_ += chunk;
      pos_ = 0;
    }
    size_t take = std::min(n, buf_.size() - pos_);
    std::memcpy(to, buf_.data() + pos_, take);
    pos_ += take, to += take, n -= take;
  }
}

void SortedRuns::EndRun() {
  if (file_.size() > run_begin_) runs_.push_back({run_begin_, file_.size()});
  run_begin_ = file_.size();
}

void SortedRuns::Merge(io::CsvWriter& out, size_t memory) {
  EndRun();
  file_.Flush();
  struct Head {
    std::string key, payload;
    size_t run;
  };
  size_t buffer = std::clamp<size_t>(memory / std::max<size_t>(1, runs_.size()), 4096, size_t{1} << 20);
  std::vector<TempReader> readers;
  readers.reserve(runs_.size());
  for (auto [begin, end] : runs_) readers.emplace_back(file_, begin, end, buffer);
  auto later = [](const Head* a, const Head* b) {
    int c = a->key.compare(b->key);
    return c != 0 ? c > 0 : a->run > b->run;
  };
  std::vector<Head> heads(runs_.size());
  std::priority_queue<Head*, std::vector<Head*>, decltype(later)> queue(later);
  auto advance = [&](size_t run) {
    TempReader& reader = readers[run];
    if (reader.AtEnd()) return;
    Head& h = heads[run];
    h.run = run;
    reader.Text(reader.U32(), h.key);
    reader.Text(reader.U32(), h.payload);
    queue.push(&h);
  };
  for (size_t run = 0; run < runs_.size(); ++run) advance(run);
  while (!queue.empty() && out.ok()) {
    Head* h = queue.top();
    queue.pop();
    out.buffer() += h->payload;
    out.MaybeFlush();
    advance(h->run);
  }
}

}  // namespace credo::exec
