#include "runtime/io/gzip.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace credo::io {

// The decompressor behind a gzip stream: zlib's inflate over chunks of `raw`.
struct InputStream::Gzip {
  std::FILE* raw;
  z_stream z{};
  unsigned char in[1 << 16];
  std::string error;
  bool done = false;  // the last member ended at end of input

  // fopencookie's read: fills `out` with up to `size` decompressed bytes; 0 at the end, -1 on error.
  static ssize_t Read(void* cookie, char* out, size_t size) {
    auto* g = static_cast<Gzip*>(cookie);
    if (g->done || !g->error.empty()) return g->error.empty() ? 0 : -1;
    g->z.next_out = reinterpret_cast<Bytef*>(out);
    g->z.avail_out = uInt(size);
    while (g->z.avail_out == size) {
      if (g->z.avail_in == 0) {
        size_t got = std::fread(g->in, 1, sizeof g->in, g->raw);
        if (got == 0) {
          if (std::ferror(g->raw)) return g->Fail(std::strerror(errno));
          // End of input: fine right after a member's end, truncated otherwise.
          if (g->z.total_in == 0) return g->done = true, 0;
          return g->Fail("the gzip stream is truncated");
        }
        g->z.next_in = g->in;
        g->z.avail_in = uInt(got);
      }
      int rc = inflate(&g->z, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        // Another member may follow (gzip files can be concatenated): start afresh.
        size_t made = size - g->z.avail_out;
        inflateReset(&g->z);
        g->z.total_in = 0;
        if (made) return ssize_t(made);
        continue;
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR) return g->Fail(g->z.msg ? g->z.msg : "corrupt gzip data");
    }
    return ssize_t(size - g->z.avail_out);
  }

  ssize_t Fail(const char* why) {
    error = std::string("cannot decompress the input: ") + why;
    errno = EIO;
    return -1;
  }
  static int Close(void* cookie) {
    auto* g = static_cast<Gzip*>(cookie);
    inflateEnd(&g->z);
    return 0;
  }
};

InputStream::~InputStream() {
  if (gzip_) {
    std::fclose(file_);  // runs Gzip::Close
    delete gzip_;
  }
}

bool InputStream::Open(std::FILE* raw, std::string& error) {
  file_ = raw;
  int first = std::fgetc(raw);
  if (first == EOF) return !std::ferror(raw) || (error = std::strerror(errno), false);
  int second = std::fgetc(raw);
  bool magic = first == 0x1f && second == 0x8b;
  if (!magic) {
    // Put both bytes back. glibc backs up within the buffer it has just read them from, so the
    // second ungetc holds too (checked: a failure is reported, never a lost byte).
    if ((second != EOF && std::ungetc(second, raw) == EOF) || std::ungetc(first, raw) == EOF) {
      error = "cannot re-read the input's first bytes";
      return false;
    }
    return true;
  }
  // A gzip stream: the decompressor takes the two bytes as the start of its input.
  auto g = std::make_unique<Gzip>();
  g->raw = raw;
  g->in[0] = 0x1f;
  g->in[1] = 0x8b;
  g->z.next_in = g->in;
  g->z.avail_in = 2;
  if (inflateInit2(&g->z, 15 + 16) != Z_OK) {  // 15 + 16: a gzip wrapper
    error = "cannot set up the gzip decompressor";
    return false;
  }
  cookie_io_functions_t io{Gzip::Read, nullptr, nullptr, Gzip::Close};
  std::FILE* f = fopencookie(g.get(), "r", io);
  if (!f) {
    inflateEnd(&g->z);
    error = std::strerror(errno);
    return false;
  }
  file_ = f;
  gzip_ = g.release();
  return true;
}

std::string InputStream::error_text() const { return gzip_ ? gzip_->error : ""; }

}  // namespace credo::io
