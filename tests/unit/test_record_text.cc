// Records taken as text (CsvReader::ReadRecordText) share the reader's buffer: batches held
// while the reader reads on, on this thread or others, must keep their text, and buffers let go
// of must be reused.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstring>
#include <deque>
#include <future>
#include <random>
#include <string>
#include <vector>

#include "runtime/io/csv.h"
#include "tests/unit/csv_table.h"

using namespace credo::io;
using namespace credo::io::testing;

namespace {

// A FILE* over `content` whose reads return at most `piece` bytes each, as a pipe may.
struct Source {
  std::string_view content;
  size_t piece, at = 0;
};

std::FILE* OpenSource(Source& source) {
  cookie_io_functions_t io{};
  io.read = [](void* cookie, char* buf, size_t size) -> ssize_t {
    auto& s = *static_cast<Source*>(cookie);
    const size_t n = std::min({size, s.piece, s.content.size() - s.at});
    std::memcpy(buf, s.content.data() + s.at, n);
    s.at += n;
    s.piece = s.piece % 13 + 1;  // 1 to 13 bytes, varying
    return ssize_t(n);
  };
  return fopencookie(&source, "r", io);
}

// `bytes` of records without quotes, lines of 1 to 12 fields, some with CRLF; `long_records`
// of them are longer than a read chunk (1.5 MiB) and one longer than the first buffer (5 MiB).
std::string PlainRecords(size_t bytes, uint64_t seed, bool long_records, bool final_lf) {
  std::mt19937_64 rng(seed);
  std::string content;
  while (content.size() < bytes) {
    const size_t fields = 1 + rng() % 12;
    for (size_t f = 0; f < fields; ++f) {
      if (f) content += ',';
      content += std::to_string(rng() % 1000000);
      if (rng() % 3 == 0) content += ".25";
    }
    if (long_records && rng() % 100000 == 0) content += ',' + std::string((rng() % 2 ? 3 : 10) << 19, 'x');
    content += rng() % 4 ? "\n" : "\r\n";
  }
  if (long_records) content += std::string(5 << 20, 'y') + "\n";
  content += "last,1";
  if (final_lf) content += '\n';
  return content;
}

// The records of `content` as ReadBatch alone reads them.
Table ReadAll(std::string_view content, size_t max_rows) {
  Source source{content, size_t{1} << 30};
  std::FILE* in = OpenSource(source);
  REQUIRE(in != nullptr);
  CsvReader reader(in);
  Table t;
  TextBatch b;
  while (reader.ReadBatch(max_rows, b) > 0) Collect(b, t);
  std::fclose(in);
  return t;
}

void CheckSame(const Table& got, const Table& expected) {
  REQUIRE(got.rows.size() == expected.rows.size());
  size_t i = 0;  // the first difference, reported alone
  while (i < got.rows.size() && got.rows[i] == expected.rows[i] && got.lines[i] == expected.lines[i] &&
         got.errors[i] == expected.errors[i])
    ++i;
  INFO("row " << i);
  CHECK(i == got.rows.size());
}

}  // namespace

TEST_CASE("csv: shared bytes go back to their pool when the last holder lets go", "[csv]") {
  auto pool = std::make_shared<BufferPool>();
  SharedBytes a = pool->Take(100);
  char* const first = a.get();
  CHECK_FALSE(a.shared());
  SharedBytes b = a.Share(10);
  CHECK(b.get() == first + 10);
  CHECK(b.capacity() == a.capacity() - 10);
  CHECK((a.shared() && b.shared()));
  a.reset();
  CHECK_FALSE(b.shared());
  CHECK(pool->free_buffers() == 0);  // still held by b
  b.reset();
  CHECK(pool->free_buffers() == 1);
  SharedBytes again = pool->Take(50);  // the same buffer, not a new one
  CHECK(again.get() == first);
  CHECK(pool->allocated() == 1);
  SharedBytes bigger = pool->Take(1000);
  CHECK(pool->allocated() == 2);
  // A hold outlives the pool's other owners: the pool lives until the buffer is let go of.
  std::weak_ptr<BufferPool> alive = pool;
  pool.reset();
  CHECK_FALSE(alive.expired());
  std::memset(bigger.get(), 'z', 1000);
  again.reset(), bigger.reset();
  CHECK(alive.expired());
}

TEST_CASE("csv: record text batches held while the reader reads on keep their text", "[csv]") {
  for (bool final_lf : {true, false}) {
    const std::string content = PlainRecords(size_t{9} << 20, final_lf ? 1 : 2, true, final_lf);
    const size_t max_rows = final_lf ? 4096 : 333;
    INFO("final LF " << final_lf);
    std::vector<RecordText> held;
    size_t buffers = 0;
    {
      Source source{content, 7};
      std::FILE* in = OpenSource(source);
      REQUIRE(in != nullptr);
      CsvReader reader(in);
      for (;;) {
        RecordText text;
        if (reader.ReadRecordText(max_rows, text) == 0) break;
        held.push_back(std::move(text));
      }
      TextBatch rest;
      CHECK(reader.ReadBatch(max_rows, rest) == 0);  // no quotes: all taken as text
      CHECK(reader.bytes_read() == content.size());
      buffers = reader.buffers_allocated();
      std::fclose(in);
    }                    // the reader is gone; the batches still hold its buffers
    CHECK(buffers > 3);  // holding the batches made the reader start new buffers
    // Each batch is the next slice of the input, its lines after the previous batch's.
    size_t offset = 0;
    int64_t line = 1;
    bool same = true;
    for (const RecordText& text : held) {
      same &= std::string_view(text.bytes.get(), text.size) == std::string_view(content).substr(offset, text.size);
      same &= text.first_line == line;
      offset += text.size;
      line += int64_t(text.rows);
    }
    CHECK(same);
    CHECK(offset == content.size());
    // The padding after the end of the input is zeros.
    const RecordText& last = held.back();
    CHECK(std::string_view(last.bytes.get() + last.size, 64) == std::string(64, '\0'));
    Table got;
    for (RecordText& text : held) Append(got, Split(std::move(text)));
    CheckSame(got, ReadAll(content, max_rows));
  }
}

TEST_CASE("csv: a record text reused or let go of batch after batch reuses the read buffers", "[csv]") {
  const std::string content = PlainRecords(size_t{14} << 20, 3, false, true);
  const Table expected = ReadAll(content, 1000);
  SECTION("one record text for every batch: one buffer, moved in place") {
    std::FILE* in = std::tmpfile();
    REQUIRE(std::fwrite(content.data(), 1, content.size(), in) == content.size());
    std::rewind(in);
    CsvReader reader(in);
    RecordText text;
    Table got;
    for (;;) {
      const size_t n = reader.ReadRecordText(1000, text);
      if (n == 0) break;
      REQUIRE(n == text.rows);
      TextBatch b;
      CsvReader split(RecordText{text.bytes.Share(0), text.size, text.first_line, text.rows});
      REQUIRE(split.ReadBatch(n, b) == n);
      Collect(b, got);
    }
    CHECK(reader.buffers_allocated() == 1);
    CheckSame(got, expected);
    std::fclose(in);
  }
  SECTION("a few batches in flight on other threads: buffers recycled, text intact") {
    Source source{content, 4093};
    std::FILE* in = OpenSource(source);
    REQUIRE(in != nullptr);
    CsvReader reader(in);
    std::deque<std::future<Table>> in_flight;
    Table got;
    for (;;) {
      RecordText text;
      if (reader.ReadRecordText(1000, text) == 0) break;
      in_flight.push_back(
          std::async(std::launch::async, [t = std::move(text)]() mutable { return Split(std::move(t)); }));
      if (in_flight.size() > 3) {
        Append(got, in_flight.front().get());
        in_flight.pop_front();
      }
    }
    for (auto& f : in_flight) Append(got, f.get());
    // ~14 MiB through 4 MiB buffers: without recycling, 4 or more.
    CHECK(reader.buffers_allocated() <= 3);
    CheckSame(got, expected);
    std::fclose(in);
  }
}

TEST_CASE("csv: record text and quoted batches interleave over shared buffers", "[csv]") {
  // Quoted records ("" unescaped in the batch's copy) among plain ones, read while the plain
  // batches before them are still held: neither may change the other's bytes.
  std::mt19937_64 rng(11);
  std::string content;
  while (content.size() < (size_t{5} << 20)) {
    content += std::to_string(rng() % 100000) + ',' + std::to_string(rng() % 1000);
    if (rng() % 3000 == 0) content += ",\"q\"\"x,\ny\"";
    content += '\n';
  }
  for (size_t max_rows : {size_t{1}, size_t{3}, size_t{4096}}) {
    INFO("max_rows " << max_rows);
    Source source{content, size_t{1} << 30};
    std::FILE* in = OpenSource(source);
    REQUIRE(in != nullptr);
    CsvReader reader(in);
    std::vector<RecordText> held;
    std::vector<std::pair<size_t, Table>> quoted;  // after how many held batches, what ReadBatch read
    TextBatch b;
    size_t taken_as_text = 0;
    for (;;) {
      RecordText text;
      if (const size_t n = reader.ReadRecordText(max_rows, text)) {
        taken_as_text += n;
        held.push_back(std::move(text));
      } else if (reader.ReadBatch(max_rows, b) > 0) {
        Table t;
        Collect(b, t);
        quoted.emplace_back(held.size(), std::move(t));
      } else {
        break;
      }
    }
    std::fclose(in);
    CHECK(!quoted.empty());
    CHECK(taken_as_text > 0);
    Table got;
    size_t q = 0;
    for (size_t h = 0; h <= held.size(); ++h) {
      for (; q < quoted.size() && quoted[q].first == h; ++q) Append(got, std::move(quoted[q].second));
      if (h < held.size()) Append(got, Split(std::move(held[h])));
    }
    CheckSame(got, ReadAll(content, max_rows));
  }
}

TEST_CASE("csv: record text batches end at the right line whatever the input's length", "[csv]") {
  // Lines are counted 256 bytes at a time where no batch can end there: inputs ending on, just
  // before and just after such a stretch, with or without a final LF, read as ReadBatch reads them.
  for (size_t width = 1; width <= 40; width += 3) {
    for (size_t total = 200; total <= 1100; total += 37 + width) {
      std::string content;
      while (content.size() + width <= total) content += std::string(width - 1, '7') + '\n';
      for (bool final_lf : {true, false}) {
        if (!final_lf) content += "8";
        for (size_t max_rows : {size_t{1}, size_t{7}, size_t{64}, size_t{1} << 20}) {
          INFO("width " << width << " bytes " << content.size() << " max_rows " << max_rows);
          Source source{content, size_t{1} << 30};
          std::FILE* in = OpenSource(source);
          REQUIRE(in != nullptr);
          CsvReader reader(in);
          Table got;
          size_t offset = 0;
          bool slices = true;
          for (RecordText text; reader.ReadRecordText(max_rows, text) > 0;) {
            REQUIRE(text.rows <= max_rows);
            slices &=
                std::string_view(text.bytes.get(), text.size) == std::string_view(content).substr(offset, text.size);
            offset += text.size;
            Append(got, Split(RecordText{text.bytes.Share(0), text.size, text.first_line, text.rows}));
          }
          std::fclose(in);
          CHECK(slices);
          CHECK(offset == content.size());
          CheckSame(got, ReadAll(content, max_rows));
        }
      }
    }
  }
}
