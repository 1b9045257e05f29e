// decision_log.h — the decision log: one JSON line per decision, appended by one writer thread.
//
// Requests hand their lines to a bounded queue; when it is full the request waits for room
// (back-pressure), so a line is never dropped. The writer takes everything queued at once and
// writes it with one write(2) (a line is never split between two writes), then fdatasync()s at
// most once per `sync_interval` and always at Close(). A line therefore reaches the kernel
// within microseconds of its decision, and the disk within the interval (docs/serve.md).
// A write that fails (disk full) is retried every 100 ms while requests wait on the full queue;
// only Close() gives up, after kGiveUp, and reports the lines it could not write.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace credo::serve {

class DecisionLog {
 public:
  // Opens `path` for appending (created 0644 when absent; never truncated). A FIFO or device is
  // written through. False with `error` when it cannot be opened.
  bool Open(const std::string& path, size_t queue_capacity, std::chrono::milliseconds sync_interval,
            std::string& error);
  ~DecisionLog();

  // Queues one line (without its newline); waits while the queue is full.
  void Append(std::string line);
  // Writes what is queued, syncs, stops the writer. Idempotent. False when lines were lost.
  bool Close();

  bool open() const { return fd_ >= 0; }
  size_t depth() const;
  uint64_t written() const;
  // The current write error ("" when writing works): the writer goes on trying.
  std::string error() const;
  uint64_t lost() const;  // lines given up at shutdown

  static constexpr std::chrono::seconds kGiveUp{5};

 private:
  void WriterLoop();
  bool WriteAll(const std::string& bytes, size_t& done);

  int fd_ = -1;
  std::string path_;
  size_t capacity_ = 0;
  std::chrono::milliseconds sync_interval_{1000};
  mutable std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  std::deque<std::string> queue_;
  bool closing_ = false;
  uint64_t written_ = 0, lost_ = 0;
  std::string error_;
  std::thread writer_;
};

}  // namespace credo::serve
