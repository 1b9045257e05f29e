// A CSV input file read through a memory mapping (CsvReader's `map`) reads exactly as the same
// bytes read from a stream: the same records, lines and quoting errors, from wherever the stream
// stood, with zeros past the end of the file however its size falls on pages.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "cli/cleanup.h"
#include "runtime/io/csv.h"
#include "tests/unit/csv_table.h"

using namespace credo::io;
using namespace credo::io::testing;

namespace {

// Splits records taken as text as a worker does, all of them, onto `t`.
void SplitInto(RecordText&& text, Table& t) {
  const size_t rows = text.rows;
  Table part = Split(std::move(text));
  REQUIRE(part.rows.size() == rows);
  Append(t, std::move(part));
}

// Reads all of `reader` as a run does: records taken as text where no quote is near (split as a
// worker splits them), the rest with ReadBatch.
Table ReadAsRun(CsvReader& reader, size_t max_rows) {
  Table t;
  TextBatch b;
  for (;;) {
    RecordText text;
    if (reader.ReadRecordText(max_rows, text) > 0) {
      SplitInto(std::move(text), t);
    } else if (reader.ReadBatch(max_rows, b) > 0) {
      Collect(b, t);
    } else {
      return t;
    }
  }
}

// About `bytes` of records: numbers, CRLF lines, empty lines, quoted fields (some with line
// breaks and ""), and now and then a broken quote.
std::string Records(size_t bytes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string content;
  while (content.size() < bytes) {
    const size_t fields = rng() % 9;
    for (size_t f = 0; f < fields; ++f) {
      if (f) content += ',';
      const uint64_t kind = rng() % 20000;
      if (kind == 0) content += "\"a \"\"b\"\"\nc\"";
      else if (kind == 1) content += "\"open\"x";
      else content += std::to_string(rng() % 100000);
    }
    content += rng() % 5 ? "\n" : "\r\n";
  }
  return content;
}

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& content) {
    path = (std::filesystem::temp_directory_path() / ("credo-mapped-" + std::to_string(getpid()) + ".csv")).string();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    REQUIRE(std::fwrite(content.data(), 1, content.size(), f) == content.size());
    REQUIRE(std::fclose(f) == 0);
  }
  ~TempFile() { std::remove(path.c_str()); }
};

// The records of `content` from byte `skip` on, read by the streaming reader.
Table Streamed(const std::string& content, size_t skip, size_t max_rows) {
  std::FILE* in = fmemopen(const_cast<char*>(content.data() + skip), content.size() - skip, "r");
  REQUIRE(in != nullptr);
  CsvReader reader(in);
  Table t = ReadAsRun(reader, max_rows);
  std::fclose(in);
  return t;
}

}  // namespace

TEST_CASE("csv: a mapped input file reads as the same bytes read from a stream", "[csv][mapped]") {
  const size_t page = size_t(sysconf(_SC_PAGESIZE));
  std::string base = Records(size_t{9} << 20, 5);
  // Sizes that end a page exactly (the zeros after the end come from the pages mapped after the
  // file), one byte into a page, and a few bytes short of one; with a BOM, and without a final LF.
  for (size_t extra : {size_t{0}, size_t{1}, page - 3}) {
    for (bool bom : {false, true}) {
      std::string content = (bom ? "\xEF\xBB\xBF" : "") + base;
      content.resize(content.size() / page * page + extra, '7');
      INFO("size " << content.size() << " bom " << bom);
      TempFile file(content);
      {
        std::FILE* in = std::fopen(file.path.c_str(), "rb");
        REQUIRE(in != nullptr);
        const SharedBytes mapped = SharedBytes::MapFile(fileno(in), content.size(), 64);
        REQUIRE(mapped);
        CHECK(std::string_view(mapped.get(), content.size()) == content);
        CHECK(std::string_view(mapped.get() + content.size(), 64) == std::string(64, '\0'));
        std::fclose(in);
      }
      for (size_t max_rows : {size_t{1000}, size_t{4096}}) {
        std::FILE* in = std::fopen(file.path.c_str(), "rb");
        REQUIRE(in != nullptr);
        CsvReader reader(in, true);
        CHECK(reader.mapped());
        const Table got = ReadAsRun(reader, max_rows);
        CHECK(reader.bytes_read() == content.size());
        std::fclose(in);
        const Table expected = Streamed(content, 0, max_rows);
        CHECK(got.rows.size() == expected.rows.size());
        CHECK(got == expected);
      }
    }
  }
}

TEST_CASE("csv: a mapped input starts where the stream stood", "[csv][mapped]") {
  const std::string content = "name,value\n" + Records(size_t{9} << 20, 6);
  TempFile file(content);
  std::FILE* in = std::fopen(file.path.c_str(), "rb");
  REQUIRE(in != nullptr);
  // As the gzip probe does: two bytes read and put back.
  const int first = std::fgetc(in), second = std::fgetc(in);
  std::ungetc(second, in), std::ungetc(first, in);
  {
    CsvReader reader(in, true);
    REQUIRE(reader.mapped());
    CHECK(ReadAsRun(reader, 4096) == Streamed(content, 0, 4096));
    // The stream's position follows what was read, in steps (for a progress bar).
    CHECK(ftello(in) > off_t{0});
  }
  // From a line on: the records after it, numbered from 1 as the stream's own would be.
  REQUIRE(std::fseek(in, 11, SEEK_SET) == 0);
  CsvReader rest(in, true);
  REQUIRE(rest.mapped());
  CHECK(ReadAsRun(rest, 4096) == Streamed(content, 11, 4096));
  std::fclose(in);
}

TEST_CASE("csv: a long mapped input lets go of what it read and still reads the same", "[csv][mapped]") {
  // Past twice what a mapped reader keeps behind its position (4 MiB), pages are dropped; records
  // held by batches there come back from the file when read.
  const std::string content = Records(size_t{40} << 20, 7);
  TempFile file(content);
  std::FILE* in = std::fopen(file.path.c_str(), "rb");
  REQUIRE(in != nullptr);
  CsvReader reader(in, true);
  REQUIRE(reader.mapped());
  std::vector<RecordText> held;  // every other batch, held until the next is split
  Table got;
  auto split_held = [&] {
    for (RecordText& h : held) SplitInto(std::move(h), got);
    held.clear();
  };
  TextBatch b;
  for (size_t k = 0;; ++k) {
    RecordText text;
    if (reader.ReadRecordText(4096, text) > 0) {
      if (k % 2 == 0) {
        held.push_back(std::move(text));
        continue;
      }
      split_held();
      SplitInto(std::move(text), got);
    } else if (reader.ReadBatch(4096, b) > 0) {
      split_held();
      Collect(b, got);
    } else {
      break;
    }
  }
  split_held();
  CHECK(ftello(in) > off_t{32} << 20);
  std::fclose(in);
  CHECK(got == Streamed(content, 0, 4096));
}

TEST_CASE("csv: only a regular file of 8 MiB or more is mapped", "[csv][mapped]") {
  const std::string small = Records(size_t{1} << 20, 8);
  TempFile file(small);
  std::FILE* in = std::fopen(file.path.c_str(), "rb");
  REQUIRE(in != nullptr);
  CsvReader reader(in, true);
  CHECK_FALSE(reader.mapped());
  CHECK(ReadAsRun(reader, 4096) == Streamed(small, 0, 4096));
  std::fclose(in);
  std::FILE* pipe = popen("head -c 9000000 /dev/zero | tr '\\0' '1'", "r");
  REQUIRE(pipe != nullptr);
  CsvReader piped(pipe, true);
  CHECK_FALSE(piped.mapped());
  pclose(pipe);
}

TEST_CASE("csv: a mapped input file cut short ends the run with a message and exit code 3", "[csv][mapped]") {
  const std::string content = Records(size_t{9} << 20, 9);
  TempFile file(content);
  int err[2];
  REQUIRE(pipe(err) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {  // reads the file after it was cut to nothing: SIGBUS
    dup2(err[1], STDERR_FILENO);
    credo::cli::GuardMappedInput();
    std::FILE* in = std::fopen(file.path.c_str(), "rb");
    CsvReader reader(in, true);
    if (!reader.mapped() || truncate(file.path.c_str(), 0) != 0) _exit(3);
    RecordText text;
    reader.ReadRecordText(4096, text);
    _exit(4);  // not reached
  }
  close(err[1]);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  char message[256] = {};
  const ssize_t n = read(err[0], message, sizeof message - 1);
  close(err[0]);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 3);
  CHECK(n > 0);
  CHECK(std::string(message).find("the input file was cut short while it was read") != std::string::npos);
}
