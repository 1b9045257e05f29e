// decision_log.cc — the writer thread behind the decision log's bounded queue.
#include "serve/decision_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace credo::serve {

bool DecisionLog::Open(const std::string& path, size_t queue_capacity, std::chrono::milliseconds sync_interval,
                       std::string& error) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    error = "cannot open decision log " + path + ": " + std::strerror(errno);
    return false;
  }
  path_ = path;
  capacity_ = queue_capacity;
  sync_interval_ = sync_interval;
  writer_ = std::thread([this] { WriterLoop(); });
  return true;
}

DecisionLog::~DecisionLog() { Close(); }

void DecisionLog::Append(std::string line) {
  line += '\n';
  std::unique_lock lock(mutex_);
  not_full_.wait(lock, [&] { return queue_.size() < capacity_; });
  queue_.push_back(std::move(line));
  lock.unlock();
  not_empty_.notify_one();
}

bool DecisionLog::WriteAll(const std::string& bytes, size_t& done) {
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::lock_guard lock(mutex_);
      if (error_.empty()) {
        error_ = "cannot write decision log " + path_ + ": " + std::strerror(errno);
        std::fprintf(stderr, "credo serve: %s; retrying (requests wait meanwhile)\n", error_.c_str());
      }
      return false;
    }
    done += size_t(n);
  }
  return true;
}

void DecisionLog::WriterLoop() {
  using Clock = std::chrono::steady_clock;
  auto last_sync = Clock::now();
  bool unsynced = false;
  std::string batch;
  for (;;) {
    std::deque<std::string> taken;
    bool closing;
    {
      std::unique_lock lock(mutex_);
      // Wake for lines, for shutdown, or when written lines are due to be synced.
      if (unsynced)
        not_empty_.wait_until(lock, last_sync + sync_interval_, [&] { return !queue_.empty() || closing_; });
      else
        not_empty_.wait(lock, [&] { return !queue_.empty() || closing_; });
      taken.swap(queue_);
      closing = closing_;
    }
    not_full_.notify_all();
    if (!taken.empty()) {
      batch.clear();
      for (const std::string& line : taken) batch += line;
      // A failed write (disk full, ...) is retried: the queue fills and requests wait, so no
      // line is dropped. Only at shutdown does it give up, after kGiveUp, and count the loss.
      size_t done = 0;
      auto first_failure = Clock::now();
      bool ok;
      while (!(ok = WriteAll(batch, done))) {
        bool stopping;
        {
          std::lock_guard lock(mutex_);
          stopping = closing_;
        }
        if (stopping && Clock::now() - first_failure > kGiveUp) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      std::lock_guard lock(mutex_);
      if (ok) {
        written_ += taken.size();
        error_.clear();
      } else {
        lost_ += taken.size();
      }
      unsynced = true;
    }
    if (unsynced && (closing || Clock::now() - last_sync >= sync_interval_)) {
      ::fdatasync(fd_);  // EINVAL on a pipe or terminal: nothing to sync there
      last_sync = Clock::now();
      unsynced = false;
    }
    if (closing) {
      std::lock_guard lock(mutex_);
      if (queue_.empty()) return;
    }
  }
}

bool DecisionLog::Close() {
  if (fd_ < 0) return true;
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  not_empty_.notify_one();
  if (writer_.joinable()) writer_.join();
  bool ok = ::close(fd_) == 0;
  fd_ = -1;
  std::lock_guard lock(mutex_);
  if (lost_) std::fprintf(stderr, "credo serve: %llu decision log lines could not be written: %s\n",
                          (unsigned long long)lost_, error_.c_str());
  return ok && lost_ == 0;
}

size_t DecisionLog::depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

uint64_t DecisionLog::written() const {
  std::lock_guard lock(mutex_);
  return written_;
}

uint64_t DecisionLog::lost() const {
  std::lock_guard lock(mutex_);
  return lost_;
}

std::string DecisionLog::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

}  // namespace credo::serve
