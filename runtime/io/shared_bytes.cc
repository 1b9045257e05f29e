#include "runtime/io/shared_bytes.h"

#include <algorithm>
#include <utility>

namespace credo::io {

struct SharedBytes::Buffer {
  std::atomic<size_t> holders{1};
  size_t size = 0;
  std::unique_ptr<char[]> bytes;
  // Where the buffer goes when its last holder lets go (null: it is freed). Set only while it
  // is held, so that the free buffers a pool keeps do not keep the pool alive.
  std::shared_ptr<BufferPool> pool;

  explicit Buffer(size_t n) : size(n), bytes(std::make_unique_for_overwrite<char[]>(n)) {}
};

SharedBytes SharedBytes::Allocate(size_t size) {
  Buffer* buffer = new Buffer(size);
  return SharedBytes(buffer, buffer->bytes.get());
}

SharedBytes& SharedBytes::operator=(SharedBytes&& other) noexcept {
  if (this != &other) {
    reset();
    buffer_ = std::exchange(other.buffer_, nullptr);
    at_ = std::exchange(other.at_, nullptr);
  }
  return *this;
}

size_t SharedBytes::capacity() const {
  return buffer_ ? buffer_->size - size_t(at_ - buffer_->bytes.get()) : 0;
}

// Acquire: a holder that has just let go on another thread is done reading, so once the count
// says 1 the caller may write.
bool SharedBytes::shared() const {
  return buffer_ && buffer_->holders.load(std::memory_order_acquire) > 1;
}

SharedBytes SharedBytes::Share(size_t offset) const {
  buffer_->holders.fetch_add(1, std::memory_order_relaxed);  // a holder makes another
  return SharedBytes(buffer_, at_ + offset);
}

void SharedBytes::reset() {
  Buffer* buffer = std::exchange(buffer_, nullptr);
  at_ = nullptr;
  if (buffer == nullptr || buffer->holders.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  if (std::shared_ptr<BufferPool> pool = std::move(buffer->pool))
    pool->GiveBack(buffer);
  else
    delete buffer;
}

BufferPool::~BufferPool() {
  for (SharedBytes::Buffer* buffer : free_) delete buffer;
}

SharedBytes BufferPool::Take(size_t size) {
  SharedBytes::Buffer* buffer = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    while (!free_.empty() && buffer == nullptr) {
      buffer = free_.back();
      free_.pop_back();
      if (buffer->size < size) delete std::exchange(buffer, nullptr);
    }
  }
  if (buffer == nullptr) {
    buffer = new SharedBytes::Buffer(size);
    allocated_.fetch_add(1, std::memory_order_relaxed);
  }
  buffer->holders.store(1, std::memory_order_relaxed);
  buffer->pool = shared_from_this();
  return SharedBytes(buffer, buffer->bytes.get());
}

size_t BufferPool::free_buffers() {
  std::lock_guard<std::mutex> lock(mutex_);
  return free_.size();
}

void BufferPool::GiveBack(SharedBytes::Buffer* buffer) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.size() < kMaxFree) {
      free_.push_back(buffer);
      return;
    }
  }
  delete buffer;
}

}  // namespace credo::io
