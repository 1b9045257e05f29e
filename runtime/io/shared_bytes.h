// shared_bytes.h — byte buffers a CsvReader shares with the batches of records it hands out
// (RecordText), so that a batch's text is read where it was read into instead of being copied
// out. A buffer counts its holders; the last one to let go (on whichever thread) gives it back to
// the pool it came from, where the reader takes its next buffer: a run allocates a few buffers,
// not one per batch.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace credo::io {

class BufferPool;

// A hold on one buffer, pointing at a byte in it. Moving passes the hold on; Share() adds one.
// Nobody writes to a buffer while it is shared(): holders on several threads only read it.
class SharedBytes {
 public:
  SharedBytes() = default;
  // A buffer of `size` bytes held by nobody else and returned to no pool.
  static SharedBytes Allocate(size_t size);
  // The `size` bytes of the regular file `fd`, mapped read-only, then `pad` zero bytes; held by
  // nobody else. Empty when the system refuses the mapping. Nobody may write to it. Reading a
  // page the file no longer has (it was cut short meanwhile) raises SIGBUS.
  static SharedBytes MapFile(int fd, size_t size, size_t pad);
  SharedBytes(SharedBytes&& other) noexcept : buffer_(other.buffer_), at_(other.at_) {
    other.buffer_ = nullptr, other.at_ = nullptr;
  }
  SharedBytes& operator=(SharedBytes&& other) noexcept;
  SharedBytes(const SharedBytes&) = delete;
  SharedBytes& operator=(const SharedBytes&) = delete;
  ~SharedBytes() { reset(); }

  char* get() const { return at_; }
  explicit operator bool() const { return at_ != nullptr; }
  // The bytes from get() to the end of the buffer.
  size_t capacity() const;
  // Whether another hold on the buffer exists (then it must not be written).
  bool shared() const;
  // Another hold on the same buffer, pointing at get() + offset.
  SharedBytes Share(size_t offset) const;
  // For a mapped buffer, lets the system drop the whole pages in [get() + offset, + length) from
  // memory: read again, they come back from the file. Keeps a long read's memory bounded.
  void DropPages(size_t offset, size_t length) const;
  // Lets go of the buffer (freed, or back to its pool, if this was the last hold).
  void reset();

 private:
  friend class BufferPool;
  struct Buffer;
  SharedBytes(Buffer* buffer, char* at) : buffer_(buffer), at_(at) {}

  Buffer* buffer_ = nullptr;
  char* at_ = nullptr;
};

// Buffers given back by their last holder, for the next Take. Create with std::make_shared: a
// buffer in use keeps its pool alive, so holds may outlive the reader that made them.
class BufferPool : public std::enable_shared_from_this<BufferPool> {
 public:
  BufferPool() = default;
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;
  ~BufferPool();

  // A buffer of at least `size` bytes, held by the result only: a given-back one when one is big
  // enough (smaller ones are freed: a reader's buffers only grow), else a new one.
  SharedBytes Take(size_t size);
  // Buffers given back and not taken again yet.
  size_t free_buffers();
  // Buffers this pool has allocated (a given-back one taken again is not counted twice).
  size_t allocated() const { return allocated_.load(std::memory_order_relaxed); }

 private:
  friend class SharedBytes;
  // More than a run ever has in flight: the rest are freed.
  static constexpr size_t kMaxFree = 8;
  void GiveBack(SharedBytes::Buffer* buffer);

  std::mutex mutex_;
  std::vector<SharedBytes::Buffer*> free_;
  std::atomic<size_t> allocated_{0};
};

}  // namespace credo::io
