#include "runtime/io/shared_bytes.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

namespace credo::io {

struct SharedBytes::Buffer {
  std::atomic<size_t> holders{1};
  size_t size = 0;
  char* bytes = nullptr;
  size_t mapped = 0;  // nonzero: `bytes` is a mapping of this many bytes, not an allocation
  // Where the buffer goes when its last holder lets go (null: it is freed). Set only while it
  // is held, so that the free buffers a pool keeps do not keep the pool alive.
  std::shared_ptr<BufferPool> pool;

  explicit Buffer(size_t n) : size(n), bytes(new char[n]) {}
  Buffer(char* map, size_t n, size_t map_bytes) : size(n), bytes(map), mapped(map_bytes) {}
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() {
    if (mapped) munmap(bytes, mapped);
    else delete[] bytes;
  }
};

SharedBytes SharedBytes::Allocate(size_t size) {
  Buffer* buffer = new Buffer(size);
  return SharedBytes(buffer, buffer->bytes);
}

// The file's pages, then zero pages up to `size + pad`: a private anonymous read-only mapping of
// the whole span is made first, and the file is mapped over its start. The file's last page is
// zero past the end of the file, so the bytes after `size` read as zeros all the way.
SharedBytes SharedBytes::MapFile(int fd, size_t size, size_t pad) {
  const size_t page = size_t(sysconf(_SC_PAGESIZE));
  const size_t span = (size + pad + page - 1) / page * page;
  void* all = mmap(nullptr, span, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (all == MAP_FAILED) return {};
  if (size > 0 && mmap(all, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
    munmap(all, span);
    return {};
  }
  Buffer* buffer = new Buffer(static_cast<char*>(all), size + pad, span);
  return SharedBytes(buffer, buffer->bytes);
}

void SharedBytes::DropPages(size_t offset, size_t length) const {
  if (!buffer_ || !buffer_->mapped) return;
  const size_t page = size_t(sysconf(_SC_PAGESIZE));
  char* from = at_ + offset;
  char* first = buffer_->bytes + (size_t(from - buffer_->bytes) + page - 1) / page * page;  // whole pages only
  char* end = buffer_->bytes + size_t(from + length - buffer_->bytes) / page * page;
  if (first < end) madvise(first, size_t(end - first), MADV_DONTNEED);
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
  return buffer_ ? buffer_->size - size_t(at_ - buffer_->bytes) : 0;
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
  return SharedBytes(buffer, buffer->bytes);
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
