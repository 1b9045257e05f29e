#include "runtime/io/csv.h"
#include "runtime/io/block_scan.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <functional>
#include <stdexcept>

#include <sys/stat.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace credo::io {
namespace {

constexpr size_t kMinRead = size_t{1} << 20;  // never read less than 1 MiB at a time
constexpr size_t kInitialCapacity = size_t{4} << 20;
constexpr size_t kPad = 64;                         // block scans read up to 63 bytes past end_
constexpr size_t kMaxBatchBytes = size_t{1} << 30;  // a batch stops taking rows past 1 GiB
constexpr std::string_view kBom = "\xEF\xBB\xBF";
// A mapped input: files smaller than this are read (a mapping costs more to set up than it saves),
// and at most about this much of what was read before the position stays in memory.
constexpr size_t kMinMapBytes = size_t{8} << 20;
constexpr size_t kMappedBehind = size_t{4} << 20;
constexpr size_t kMappedTellStep = size_t{4} << 20;

// A heap-allocated string keeps its data pointer when moved; a short (SSO) one would not.
void ReserveHeap(std::string& s, size_t n) { s.reserve(std::max(n, std::string().capacity() + 1)); }

}  // namespace

// ---- TextBatch ----

TextBatch::TextBatch(const TextBatch& other) { *this = other; }

TextBatch& TextBatch::operator=(const TextBatch& other) {
  if (this == &other) return *this;
  ReserveHeap(text, other.text.size());
  text.assign(other.text);
  const char* from = other.text.data();
  const char* to = from + other.text.size();
  fields.clear();
  fields.reserve(other.fields.size());
  for (std::string_view f : other.fields) {
    // Re-point views into other.text at our copy; leave any others (e.g. literals) alone.
    const bool inside = !std::less<>()(f.data(), from) && !std::less<>()(to, f.data());
    fields.push_back(inside ? std::string_view(text.data() + (f.data() - from), f.size()) : f);
  }
  row_begin = other.row_begin;
  line = other.line;
  error = other.error;
  return *this;
}

void TextBatch::clear() {
  text.clear();
  fields.clear();
  row_begin.assign(1, 0);
  line.clear();
  error.clear();
}

// ---- CsvReader ----

namespace {

enum class Step : uint8_t { Ok, Bad, NeedMore };

struct Field {
  size_t begin = 0, end = 0;  // the value, as buffer positions
  size_t delim = 0;           // the ',' or '\n' ending the field, or the input end
  int64_t newlines = 0;       // LFs inside the field (quoted fields only)
  bool escaped = false;       // contains "" to unescape
};

}  // namespace

// The buffered input during one parsing pass. Held in locals rather than members so that the
// hot loop keeps it in registers.
struct CsvReader::Cursor {
  const char* d;
  size_t end;
  bool eof;
  size_t block = SIZE_MAX;  // the block whose delimiter bitmask is cached in `mask`
  uint64_t mask = 0;

  // Position of the first ',' or '\n' at or after i, or `end` if none is buffered. With the
  // cached bitmask a row of short fields costs a few bit operations per field.
  size_t NextDelim(size_t i) {
    for (; i < end; i = (i | 63) + 1) {
      const size_t b = i & ~size_t{63};
      if (b != block) {
        mask = ScanBlock(d + b).delims;
        block = b;
      }
      if (const uint64_t m = mask >> (i & 63)) return std::min(i + std::countr_zero(m), end);
    }
    return end;
  }

  Step ScanQuoted(size_t open, Field& f);
  Step BadQuote(size_t open, size_t resume, Field& f);
};

// Scans the quoted field whose opening quote is at `open`.
Step CsvReader::Cursor::ScanQuoted(size_t open, Field& f) {
  size_t k = open + 1;  // ends just past the closing quote
  for (;;) {
    const void* q = std::memchr(d + k, '"', end - k);
    if (q == nullptr) return eof ? BadQuote(open, end, f) : Step::NeedMore;
    k = static_cast<const char*>(q) - d + 1;
    if (k == end && !eof) return Step::NeedMore;  // the next byte may be a second '"'
    if (k == end || d[k] != '"') break;
    f.escaped = true;
    ++k;
  }
  size_t after = k;
  if (after < end && d[after] == '\r') {
    if (after + 1 == end && !eof) return Step::NeedMore;
    if (after + 1 == end || d[after + 1] == '\n') ++after;  // CRLF, or CR at end of input
  }
  if (after < end && d[after] != ',' && d[after] != '\n') return BadQuote(open, k, f);
  f.begin = open + 1;
  f.end = k - 1;
  f.delim = after;
  f.newlines = std::count(d + f.begin, d + f.end, '\n');
  return Step::Ok;
}

// The field at `open` has a bad quote. Its value becomes the raw text up to the first ',' or line
// end; parsing resumes at the first ',' or LF at or after `resume` (the input end if none).
Step CsvReader::Cursor::BadQuote(size_t open, size_t resume, Field& f) {
  f.delim = NextDelim(resume);
  if (f.delim == end && !eof) return Step::NeedMore;
  f.begin = open;
  f.end = NextDelim(open);
  if (f.end > f.begin && d[f.end - 1] == '\r' && (f.end == end || d[f.end] == '\n')) --f.end;
  f.newlines = std::count(d + open, d + f.delim, '\n');
  f.escaped = false;
  return Step::Bad;
}

void RecordText::Assign(std::string_view text, int64_t first, size_t records) {
  // The buffer is reused when it is this batch's alone (never written while shared).
  if (!bytes || bytes.shared() || bytes.capacity() < text.size() + kPad)
    bytes = SharedBytes::Allocate(text.size() + kPad);
  std::memcpy(bytes.get(), text.data(), text.size());
  std::memset(bytes.get() + text.size(), 0, kPad);
  size = text.size();
  first_line = first;
  rows = records;
}

CsvReader::CsvReader(std::FILE* in, bool map) : in_(in) {
  if (map) Map();
}

// The whole file, from the stream's position on, is the buffer: records are split and handed
// out where the system keeps the file, never copied out of it. Files over 4 GiB are read
// instead, where Refill refuses a record too long for a span's offsets.
void CsvReader::Map() {
  struct stat st {};
  const int fd = fileno(in_);
  const off_t at = fd < 0 ? -1 : ftello(in_);
  if (at < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return;
  const size_t size = size_t(st.st_size), start = size_t(at);
  if (size <= start || size - start < kMinMapBytes || size > UINT32_MAX) return;
  SharedBytes mapped = SharedBytes::MapFile(fd, size, kPad);
  if (!mapped) return;
  buf_ = std::move(mapped);
  cap_ = end_ = total_read_ = size;
  pos_ = dropped_ = told_ = start;
  eof_ = mapped_ = true;
  if (start == 0 && std::string_view(buf_.get(), std::min<size_t>(size, 3)) == kBom) pos_ = kBom.size();
}

// A mapped input: the stream's position follows, every few MiB, for whoever watches it (the
// progress bar), and what is well behind it leaves memory.
void CsvReader::Consumed() {
  if (!mapped_ || pos_ < told_ + kMappedTellStep) return;
  told_ = pos_;
  fseeko(in_, off_t(pos_), SEEK_SET);
  if (pos_ < dropped_ + 2 * kMappedBehind) return;
  buf_.DropPages(dropped_, pos_ - kMappedBehind - dropped_);
  dropped_ = pos_ - kMappedBehind;
}

CsvReader::CsvReader(RecordText&& text)
    : in_(nullptr), buf_(std::move(text.bytes)), cap_(text.size), end_(text.size), eof_(true),
      line_(text.first_line), total_read_(text.size) {}

size_t CsvReader::ReadRecordText(size_t max_rows, RecordText& out) {
  out.bytes.reset();  // a RecordText reused batch after batch leaves buf_ unshared for Refill
  // Counts LFs: whole 256-byte stretches while they cannot end the batch, then a 64-byte block
  // at a time. `scan` ends the last whole line found, `probe` is the next byte to look at. A '"'
  // seen in them (maybe past `scan`) sends the batch to the exact check below.
  size_t base = pos_, scan = pos_, probe = pos_, rows = 0;
  size_t lf_stretch = SIZE_MAX;  // the last stretch counted that holds an LF, if after `scan`
  bool quote = false;
  for (;;) {
    for (; probe + kLineStretch <= end_; probe += kLineStretch) {
      const StretchCount stretch = CountLines(buf_.get() + probe);
      if (rows + stretch.lfs >= max_rows) break;  // the blocks find which LF ends the batch
      rows += stretch.lfs;
      quote = quote || stretch.quote;
      if (stretch.lfs != 0) lf_stretch = probe;
    }
    while (rows < max_rows && probe < end_) {
      const char* block = buf_.get() + probe;
      const LineMasks m = ScanLines(block);  // the padding makes 64 bytes readable
      const size_t avail = end_ - probe;
      const uint64_t in_input = avail < 64 ? (uint64_t{1} << avail) - 1 : ~uint64_t{0};
      uint64_t lfs = m.lfs & in_input;
      quote = quote || (m.quotes & in_input) != 0;
      // A record is a line, so a block holds a few LFs: they are counted one by one (std::popcount
      // would be a library call on the baseline x86-64 this is built for).
      for (; lfs != 0 && rows < max_rows; lfs &= lfs - 1) {
        scan = probe + size_t(std::countr_zero(lfs)) + 1;
        ++rows;
      }
      if (rows < max_rows) probe += std::min<size_t>(avail, 64);
    }
    if (lf_stretch != SIZE_MAX && scan <= lf_stretch) {  // no block after it held an LF
      for (size_t b = lf_stretch + kLineStretch - 64;; b -= 64)
        if (const uint64_t lfs = ScanLines(buf_.get() + b).lfs) {
          scan = b + 64 - size_t(std::countl_zero(lfs));
          break;
        }
    }
    lf_stretch = SIZE_MAX;
    if (rows == max_rows || eof_ || scan - base >= kMaxBatchBytes) break;
    const size_t from = base;
    Refill(base);  // moves [base, end_) to the front
    scan -= from - base;
    probe -= from - base;
  }
  if (eof_ && rows < max_rows && scan < end_) scan = end_, ++rows;  // a last record without LF
  const size_t size = scan - base;
  if (rows == 0 || (quote && std::memchr(buf_.get() + base, '"', size) != nullptr)) return 0;
  // Shared, not copied: padding for the block scans follows, since end_ + kPad <= cap_ + kPad.
  out.bytes = buf_.Share(base);
  out.size = size;
  out.first_line = line_;
  out.rows = rows;
  line_ += int64_t(rows);  // without quotes, one line per record
  pos_ = scan;
  Consumed();
  return rows;
}

bool CsvReader::ReadHeader(std::vector<std::string>& header) {
  TextBatch batch;
  if (ReadBatch(1, batch) == 0) return false;
  header.assign(batch.fields.begin(), batch.fields.end());
  return true;
}

size_t CsvReader::ReadBatch(size_t max_rows, TextBatch& out) {
  out.clear();
  nspans_ = 0;
  unescape_.clear();
  size_t base = pos_;  // the batch's text is buf_[base, pos_); Refill may move it
  size_t rows = 0;
  for (;;) {
    rows += ParseRecords(max_rows - rows, base, out);
    // At end of input ParseRecords consumes everything it is allowed to.
    if (rows == max_rows || eof_ || pos_ - base >= kMaxBatchBytes) break;
    Refill(base);
  }
  Finish(base, out);
  Consumed();
  return rows;
}

// Parses complete records at pos_ until max_rows or the end of the buffered input. Returns the
// number parsed.
size_t CsvReader::ParseRecords(size_t max_rows, size_t base, TextBatch& out) {
  size_t rows = 0;
  while (rows < max_rows && pos_ < end_) {
    rows += ParsePlainRecords(max_rows - rows, base, out);
    if (rows == max_rows || pos_ == end_ || !ParseRecord(base, out)) break;
    ++rows;
  }
  return rows;
}

// The fast path: parses LF-terminated records in which no field starts with '"', walking the
// delimiter bitmask of each 64-byte block. Stops at max_rows or, leaving pos_ at its start, at
// the first record it cannot finish (quoted field, or the end of the buffered input).
size_t CsvReader::ParsePlainRecords(size_t max_rows, size_t base, TextBatch& out) {
  const char* d = buf_.get();
  size_t rows = 0;
  size_t record = pos_, field = pos_;
  size_t n = nspans_;  // spans_ entries in use; those of a partial record are discarded
  for (size_t b = field & ~size_t{63}; b < end_ && rows < max_rows; b += 64) {
    Span* spans = SpanRoom(n, 64);  // a block holds at most 64 fields
    const BlockMasks m = ScanBlock(d + b);
    uint64_t delims = m.delims & (~uint64_t{0} << (field > b ? field - b : 0));
    if (end_ - b < 64) delims &= (uint64_t{1} << (end_ - b)) - 1;
    for (; delims != 0; delims &= delims - 1) {
      const size_t j = b + std::countr_zero(delims);
      if (d[field] == '"') {  // drop the record's spans: nspans_ still ends the last row
        pos_ = record;
        return rows;
      }
      spans[n++] = {static_cast<uint32_t>(field - base), static_cast<uint32_t>(j - field)};
      field = j + 1;
      if ((m.lfs >> (j - b) & 1) == 0) continue;
      if (spans[n - 1].len > 0 && d[j - 1] == '\r') --spans[n - 1].len;
      nspans_ = n;
      AddRow(out, 0, false);
      record = field;
      if (++rows == max_rows) break;
    }
  }
  pos_ = record;
  return rows;
}

// The general path: parses any one record at pos_ into spans_. Returns false, leaving everything
// untouched, when the record may continue past the buffered input.
bool CsvReader::ParseRecord(size_t base, TextBatch& out) {
  Cursor c{buf_.get(), end_, eof_};
  const size_t first = nspans_, first_unescape = unescape_.size();
  int64_t newlines = 0;
  bool bad = false;
  for (size_t i = pos_;;) {
    Field f;
    if (i < c.end && c.d[i] == '"') {
      const Step step = c.ScanQuoted(i, f);
      if (step == Step::NeedMore) {
        nspans_ = first;
        unescape_.resize(first_unescape);
        return false;
      }
      bad |= step == Step::Bad;
      if (f.escaped) unescape_.push_back(nspans_);
    } else {
      f.begin = i;
      f.end = f.delim = c.NextDelim(i);
      if (f.delim == c.end && !c.eof) {
        nspans_ = first;
        unescape_.resize(first_unescape);
        return false;
      }
      const bool last = f.delim == c.end || c.d[f.delim] == '\n';
      if (last && f.end > f.begin && c.d[f.end - 1] == '\r') --f.end;
    }
    Span* spans = SpanRoom(nspans_, 1);
    spans[nspans_++] = {static_cast<uint32_t>(f.begin - base),
                        static_cast<uint32_t>(f.end - f.begin)};
    newlines += f.newlines;
    if (f.delim < c.end && c.d[f.delim] == ',') {
      i = f.delim + 1;
      continue;
    }
    pos_ = std::min(f.delim + 1, c.end);
    break;
  }
  AddRow(out, newlines, bad);
  return true;
}

// Ends a row at the current span count; `newlines` are the LFs inside its quoted fields.
void CsvReader::AddRow(TextBatch& out, int64_t newlines, bool bad) {
  out.row_begin.push_back(static_cast<uint32_t>(nspans_));
  out.line.push_back(line_);
  out.error.push_back(bad ? kBadQuote : std::string_view());
  line_ += 1 + newlines;
}

// spans_ is storage whose first `used` entries are taken; makes room for `extra` more.
CsvReader::Span* CsvReader::SpanRoom(size_t used, size_t extra) {
  if (spans_.size() - used < extra) spans_.resize(std::max(2 * spans_.size(), used + extra));
  return spans_.data();
}

// Collapses each "" of a quoted field in `text` (a batch's copy) to " in place (the result is
// never longer).
void CsvReader::Unescape(char* text, Span& s) {
  char* p = text + s.off;
  char* w = p;
  for (const char *r = p, *e = p + s.len; r < e; ++r) {
    *w++ = *r;
    r += *r == '"';  // skip the second quote of the pair
  }
  s.len = static_cast<uint32_t>(w - p);
}

// Reads more input, keeping the current batch buf_[base, end_) and moving it to the front: of a
// new buffer when it must grow or when batches still hold this one (ReadRecordText), else of
// this one.
void CsvReader::Refill(size_t& base) {
  const size_t keep = end_ - base;
  const bool grow = cap_ - keep < kMinRead;
  if (grow || buf_.shared()) {
    size_t cap = cap_;
    if (grow) {
      // Spans hold uint32_t offsets, so the buffer may not pass 4 GiB.
      cap = std::min<size_t>(std::max({kInitialCapacity, 2 * cap_, keep + kMinRead}), UINT32_MAX);
      if (keep + kMinRead > cap) throw std::length_error("CSV record too long (over 3 GiB)");
    }
    if (!pool_) pool_ = std::make_shared<BufferPool>();
    SharedBytes fresh = pool_->Take(cap + kPad);
    if (keep > 0) std::memcpy(fresh.get(), buf_.get() + base, keep);
    buf_ = std::move(fresh);
    cap_ = cap;
  } else if (base > 0) {
    std::memmove(buf_.get(), buf_.get() + base, keep);
  }
  pos_ -= base;
  end_ = keep;
  base = 0;

  const size_t want = cap_ - end_;
  const size_t got = std::fread(buf_.get() + end_, 1, want, in_);
  if (got < want && std::ferror(in_) && !read_errno_) read_errno_ = errno;
  if (total_read_ == 0 && std::string_view(buf_.get(), std::min<size_t>(got, 3)) == kBom) {
    pos_ = base = kBom.size();
  }
  end_ += got;
  std::memset(buf_.get() + end_, 0, kPad);  // block scans past end_ then see defined bytes
  total_read_ += got;
  eof_ = got < want;  // fread only comes up short at end of input or on error
}

// Copies the batch's bytes into out.text and turns the spans into views of it.
void CsvReader::Finish(size_t base, TextBatch& out) {
  ReserveHeap(out.text, pos_ - base);
  out.text.assign(buf_.get() + base, pos_ - base);
  char* text = out.text.data();
  for (size_t s : unescape_) Unescape(text, spans_[s]);
  out.fields.reserve(nspans_);
  for (size_t k = 0; k < nspans_; ++k) out.fields.emplace_back(text + spans_[k].off, spans_[k].len);
}

// ---- Output ----

void AppendCsvField(std::string& out, std::string_view field) {
  if (!NeedsQuotes(field)) {
    out.append(field);
    return;
  }
  out += '"';
  for (size_t q; (q = field.find('"')) != std::string_view::npos; field.remove_prefix(q + 1)) {
    out.append(field.substr(0, q + 1));
    out += '"';
  }
  out.append(field);
  out += '"';
}

CsvWriter::CsvWriter(std::FILE* out) : out_(out) { buf_.reserve(kFlushBytes + kFlushBytes / 4); }

CsvWriter::~CsvWriter() { Write(); }

void CsvWriter::Write() {
  if (buf_.empty()) return;
  if (std::fwrite(buf_.data(), 1, buf_.size(), out_) != buf_.size()) Fail();
  buf_.clear();
}

void CsvWriter::Append(std::string_view block) {
  if (block.size() < kFlushBytes / 8) {
    buf_ += block;
    return;
  }
  Write();
  if (std::fwrite(block.data(), 1, block.size(), out_) != block.size()) Fail();
}

bool CsvWriter::Flush() {
  Write();
  if (std::fflush(out_) != 0) Fail();
  return ok_;
}

void CsvWriter::Fail() {
  if (ok_) errno_ = errno;
  ok_ = false;
}

}  // namespace credo::io
