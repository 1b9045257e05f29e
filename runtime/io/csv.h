// CSV input and output (RFC 4180 with LF/CRLF line ends, see CsvReader for the exact rules).
#pragma once

#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/io/shared_bytes.h"

namespace credo::io {

// A batch of CSV records as text. All field views point into `text`, which the batch owns, so a
// batch stays valid when moved and after the reader moves on (the runtime keeps some batches
// alive until the end of a run). Copies re-point their views at their own text.
struct TextBatch {
  std::string text;                      // owns the bytes the views point into
  std::vector<std::string_view> fields;  // all fields of all rows, row-major
  std::vector<uint32_t> row_begin;      // rows()+1 entries: row r is [row_begin[r], row_begin[r+1])
  std::vector<int64_t> line;            // 1-based physical line where row r starts (header = 1)
  std::vector<std::string_view> error;  // per row: empty, or a malformed-quoting reason

  TextBatch() = default;
  TextBatch(const TextBatch& other);
  TextBatch& operator=(const TextBatch& other);
  TextBatch(TextBatch&&) = default;
  TextBatch& operator=(TextBatch&&) = default;

  size_t rows() const { return line.size(); }
  std::span<const std::string_view> row(size_t r) const {
    return {fields.data() + row_begin[r], fields.data() + row_begin[r + 1]};
  }
  // Empties the batch but keeps its allocations for reuse.
  void clear();
};

// Whole records taken from the input as text, not yet split into fields (CsvReader::
// ReadRecordText): a worker thread splits them beside the reading thread. The text is usually
// where the reader read it, in a buffer it shares with the reader and other batches (nobody
// writes to a shared buffer), so a batch is handed out without copying it.
struct RecordText {
  // `size` bytes of text, then at least 64 readable bytes for block scans: zeros after the end
  // of the input (or after a copy made by Assign), else the input that follows.
  SharedBytes bytes;
  size_t size = 0;
  int64_t first_line = 1;  // the physical line of the first record
  size_t rows = 0;
  // Holds a copy of `text` (`records` whole records from line `first` on), padded.
  void Assign(std::string_view text, int64_t first, size_t records);
};

// The only error reason a row can carry: a quoted field with text after its closing quote, or an
// unterminated quote at end of input.
inline constexpr std::string_view kBadQuote = "bad_quote";

// Reads CSV records in batches:
// - Lines end with LF; a CR right before it (or at end of input) is dropped. The last LF is
//   optional and a final LF does not start another record. A leading UTF-8 BOM is skipped.
// - Every line is a record, so an empty line is a record with one empty field.
// - A field starting with '"' is quoted: it ends at the next '"' not followed by '"', "" stands
//   for '"', and it may span lines. A '"' inside an unquoted field is plain text.
// - Text after a closing quote, or end of input inside quotes, marks the row kBadQuote. That
//   field's value is then its raw text up to the first ',' or line end, so a row whose first
//   field is broken is still named by the text before its first comma.
// Records without quoted fields take a fast path that walks 64-byte-block bitmasks of ',' and
// LF; fields are offsets into the read buffer until ReadBatch copies the batch's bytes into
// TextBatch::text in one go (and unescapes the quoted ones with "" there). Batches of a few
// thousand rows keep all of that in cache.
class CsvReader {
 public:
  // Does not own or close `in`; reads it in chunks of 1 MiB or more, so pipes/stdin work. A read
  // error ends the input like EOF does (callers can check std::ferror(in)).
  explicit CsvReader(std::FILE* in) : CsvReader(in, false) {}
  // `map`: a regular file of 8 MiB to 4 GiB is mapped into memory instead, and read from the
  // stream's position on, without copying it. Then the process gets SIGBUS should the file be
  // cut short while it is read: the caller must be ready for that (credo run is).
  CsvReader(std::FILE* in, bool map);
  // Reads the records of `text` (from ReadRecordText) exactly as the reader that took them
  // would have: the same fields, lines and errors.
  explicit CsvReader(RecordText&& text);

  // Reads the first record's fields into `header`. Returns false on empty input.
  bool ReadHeader(std::vector<std::string>& header);
  // Reads up to max_rows records into `out` (cleared first). Returns the number read; 0 at end
  // of input. A batch also ends early once it holds about 1 GiB of text.
  size_t ReadBatch(size_t max_rows, TextBatch& out);
  // Takes up to max_rows whole records as text, unsplit, when none of them holds a '"' (what a
  // quote means depends on the records before it, so those are read with ReadBatch). Returns the
  // rows taken: 0 at end of input, or when a quote is near (ReadBatch then reads the next batch).
  // `out` first lets go of what it held (on 0 it holds nothing), then shares the read buffer
  // instead of copying: while a batch holds the buffer, the reader reads on into another one
  // (copying only the partial record at its end). So a RecordText reused for every batch needs no
  // further buffer, and batches in flight need one buffer (4 MiB) per few of them.
  size_t ReadRecordText(size_t max_rows, RecordText& out);
  // Bytes of input consumed so far (for progress reporting).
  uint64_t bytes_read() const { return total_read_ - (end_ - pos_); }
  // Whether the input is read through a mapping (the `map` constructor and a file that allows it).
  bool mapped() const { return mapped_; }
  // The errno of the read that failed, or 0.
  int read_error() const { return read_errno_; }
  // Read buffers allocated so far: a new one only when batches of records still held the current
  // one (ReadRecordText) and no given-back one was free, or when a record outgrew it.
  size_t buffers_allocated() const { return pool_ ? pool_->allocated() : 0; }

 private:
  struct Span {  // a field as an offset into the current batch's text
    uint32_t off, len;
  };
  struct Cursor;

  size_t ParseRecords(size_t max_rows, size_t base, TextBatch& out);
  size_t ParsePlainRecords(size_t max_rows, size_t base, TextBatch& out);
  bool ParseRecord(size_t base, TextBatch& out);
  void AddRow(TextBatch& out, int64_t newlines, bool bad);
  Span* SpanRoom(size_t used, size_t extra);
  static void Unescape(char* text, Span& s);
  void Refill(size_t& base);
  void Finish(size_t base, TextBatch& out);
  void Map();
  void Consumed();

  std::FILE* in_;
  // [0, end_) buffered input plus padding for block scans; written only when not shared
  SharedBytes buf_;
  std::shared_ptr<BufferPool> pool_;  // where buf_ comes from (made on the first read)
  size_t cap_ = 0, pos_ = 0, end_ = 0;
  bool eof_ = false;
  bool mapped_ = false;  // buf_ maps the input file: [dropped_, ...) of it may be in memory
  size_t dropped_ = 0, told_ = 0;  // told_: the stream's position, set by Consumed
  int64_t line_ = 1;  // physical line of the next record
  uint64_t total_read_ = 0;
  int read_errno_ = 0;
  std::vector<Span> spans_;       // storage for the current batch's fields; the first
  size_t nspans_ = 0;             // nspans_ are in use
  // Indexes into spans_ of the current batch's "" fields, unescaped in the batch's copy (Finish):
  // the read buffer may be shared.
  std::vector<size_t> unescape_;
};

// Appends one field, quoted per RFC 4180 only when it contains ',', '"', CR or LF
// (a"b -> "a""b").
void AppendCsvField(std::string& out, std::string_view field);

// The high bit of each byte of `word` that is ',', '"', CR or LF, and maybe of bytes after such
// a byte (a borrow runs upward), never of one before it: in little-endian order the lowest flagged
// byte is a true one. SWAR: a byte equal to c is a zero byte of word ^ c, found with the classic
// (x - 0x01..) & ~x & 0x80.. per character.
inline uint64_t QuoteBytes(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  // All four are below '-' (0x2D): a word with no byte below it (ids, codes, digits, most words)
  // needs no quotes. The same borrow rule: its lowest flagged byte is one below '-'.
  if (((word - kOnes * '-') & ~word & kHigh) == 0) return 0;
  auto zero = [](uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  return zero(word ^ (kOnes * ',')) | zero(word ^ (kOnes * '"')) | zero(word ^ (kOnes * '\n')) |
         zero(word ^ (kOnes * '\r'));
}

// Whether AppendCsvField quotes `field`: 8 bytes at a time.
inline bool NeedsQuotes(std::string_view field) {
  const char* p = field.data();
  size_t n = field.size();
  if (std::endian::native == std::endian::little && n >= 8) {
    uint64_t word;
    for (; n > 8; p += 8, n -= 8) {
      std::memcpy(&word, p, 8);
      if (QuoteBytes(word)) return true;
    }
    std::memcpy(&word, p + n - 8, 8);  // the last 8 bytes, overlapping bytes already seen
    return QuoteBytes(word) != 0;
  }
  for (; n != 0; ++p, --n)
    if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r') return true;
  return false;
}

// Builds output text in a small fixed buffer and appends it to `out` in pieces of a few KiB:
// one string append per row or so instead of several per cell. Flush() before reading `out`.
class RowBuffer {
 public:
  explicit RowBuffer(std::string& out) : out_(out) {}
  ~RowBuffer() { Flush(); }
  RowBuffer(const RowBuffer&) = delete;
  RowBuffer& operator=(const RowBuffer&) = delete;

  // Room for n bytes (n <= kBytes): write them at the result, then Advance past them.
  char* Reserve(size_t n) {
    if (size_t(buf_ + kBytes - at_) < n) Flush();
    return at_;
  }
  void Advance(char* to) { at_ = to; }
  void Put(char c) { *Reserve(1) = c, ++at_; }
  void Put(std::string_view text) {
    if (text.size() > kBytes / 4) {
      Flush();
      out_.append(text);
      return;
    }
    std::memcpy(Reserve(text.size()), text.data(), text.size());
    at_ += text.size();
  }
  void PutField(std::string_view field) {  // quoted when needed, as AppendCsvField
    if (!NeedsQuotes(field)) return Put(field);
    AppendCsvField(Direct(), field);
  }
  // The output itself, for a cell formatted by other means.
  std::string& Direct() {
    Flush();
    return out_;
  }
  // Bytes written so far, flushed or not.
  size_t size() const { return out_.size() + size_t(at_ - buf_); }
  void Flush() {
    out_.append(buf_, size_t(at_ - buf_));
    at_ = buf_;
  }

  static constexpr size_t kBytes = 4096;

 private:
  std::string& out_;
  char buf_[kBytes];
  char* at_ = buf_;
};

// Buffered output: callers Append() to buffer(); the buffer goes to the FILE* once it passes
// ~1 MiB (MaybeFlush) and on Flush(). The destructor writes what is left but cannot report
// errors, so call Flush() at the end.
class CsvWriter {
 public:
  explicit CsvWriter(std::FILE* out);
  ~CsvWriter();
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  std::string& buffer() { return buf_; }
  // Appends `block`; a large one is written as it is, after the buffer, without a copy.
  void Append(std::string_view block);
  void MaybeFlush() {
    if (buf_.size() >= kFlushBytes) Write();
  }
  // Writes the buffer and fflush()es the FILE*. Returns false if any write so far failed.
  bool Flush();
  // False once a write has failed; error() is then its errno (e.g. ENOSPC, EPIPE).
  bool ok() const { return ok_; }
  int error() const { return errno_; }

 private:
  static constexpr size_t kFlushBytes = size_t{1} << 20;
  void Write();
  void Fail();

  std::FILE* out_;
  std::string buf_;
  bool ok_ = true;
  int errno_ = 0;
};

}  // namespace credo::io
