#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "runtime/io/csv.h"

using namespace credo::io;

namespace {

using Row = std::vector<std::string>;

// A temporary FILE* holding `content`, positioned at its start.
class TempFile {
 public:
  explicit TempFile(std::string_view content = {}) : f_(std::tmpfile()) {
    REQUIRE(f_ != nullptr);
    if (!content.empty())
      REQUIRE(std::fwrite(content.data(), 1, content.size(), f_) == content.size());
    std::rewind(f_);
  }
  ~TempFile() { std::fclose(f_); }
  std::FILE* get() const { return f_; }
  std::string Contents() const {
    std::rewind(f_);
    std::string s;
    char buf[65536];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f_)) > 0;) s.append(buf, n);
    return s;
  }

 private:
  std::FILE* f_;
};

struct Table {
  std::vector<Row> rows;
  std::vector<int64_t> lines;
  std::vector<std::string> errors;
  size_t batches = 0;
};

bool Within(std::string_view view, const std::string& text) {
  std::less_equal<> le;
  return le(text.data(), view.data()) && le(view.data() + view.size(), text.data() + text.size());
}

// Checks a batch's invariants and appends its rows to `t`.
void Collect(const TextBatch& b, Table& t) {
  REQUIRE(b.row_begin.size() == b.rows() + 1);
  REQUIRE(b.error.size() == b.rows());
  REQUIRE(b.row_begin.front() == 0);
  REQUIRE(b.row_begin.back() == b.fields.size());
  bool inside = true;  // one assertion per batch keeps big tests fast
  for (size_t r = 0; r < b.rows(); ++r) {
    Row row;
    for (std::string_view f : b.row(r)) {
      inside &= Within(f, b.text);
      row.emplace_back(f);
    }
    t.rows.push_back(row);
    t.lines.push_back(b.line[r]);
    t.errors.emplace_back(b.error[r]);
  }
  REQUIRE(inside);
}

// Reads all remaining records in batches of max_rows.
Table ReadRest(CsvReader& reader, size_t max_rows) {
  Table t;
  TextBatch b;
  while (size_t n = reader.ReadBatch(max_rows, b)) {
    REQUIRE(n == b.rows());
    REQUIRE(n <= max_rows);
    Collect(b, t);
    ++t.batches;
  }
  CHECK(b.rows() == 0);
  CHECK(reader.ReadBatch(max_rows, b) == 0);  // end of input stays the end
  return t;
}

// Parses `content` as records only (no header; its first line is line 1).
Table Parse(std::string_view content, size_t max_rows = 1000) {
  TempFile file(content);
  CsvReader reader(file.get());
  Table t = ReadRest(reader, max_rows);
  CHECK(reader.bytes_read() == content.size());
  return t;
}

std::string WriteRow(const Row& row, std::string_view eol = "\n") {
  std::string s;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) s += ',';
    AppendCsvField(s, row[i]);
  }
  s += eol;
  return s;
}

}  // namespace

TEST_CASE("csv: plain records, line ends and empty fields", "[csv]") {
  const std::vector<Row> expected = {{"a", "b", "c"}, {"1", "", "3"}};
  CHECK(Parse("a,b,c\n1,,3\n").rows == expected);
  CHECK(Parse("a,b,c\n1,,3").rows == expected);        // no final LF
  CHECK(Parse("a,b,c\r\n1,,3\r\n").rows == expected);  // CRLF
  CHECK(Parse("a,b,c\r\n1,,3").rows == expected);
  CHECK(Parse("a,b,c\r\n1,,3\r").rows == expected);  // CR at end of input
  CHECK(Parse("a,b,c\n1,,3\n").lines == std::vector<int64_t>{1, 2});
  CHECK(Parse(",,").rows == std::vector<Row>{{"", "", ""}});
  CHECK(Parse("a,\r\n").rows == std::vector<Row>{{"a", ""}});
  // Only a CR right before LF is a line end; others are data.
  CHECK(Parse("a\rb,c\r\r\n").rows == std::vector<Row>{{"a\rb", "c\r"}});
  CHECK(Parse("x y , z\t\n").rows == std::vector<Row>{{"x y ", " z\t"}});
  CHECK(Parse("a,b\n").errors == std::vector<std::string>{""});
}

TEST_CASE("csv: empty lines are one-field records", "[csv]") {
  Table t = Parse("a\n\n\r\nb\n\n");
  CHECK(t.rows == std::vector<Row>{{"a"}, {""}, {""}, {"b"}, {""}});
  CHECK(t.lines == std::vector<int64_t>{1, 2, 3, 4, 5});
  CHECK(Parse("\n").rows == std::vector<Row>{{""}});
  CHECK(Parse("").rows.empty());
  CHECK(Parse("x").rows == std::vector<Row>{{"x"}});
}

TEST_CASE("csv: quoted fields", "[csv]") {
  Table t = Parse("\"a,b\",\"c\"\"d\",e\n\"\",\"\"\"\",\"x\"\r\n");
  CHECK(t.rows == std::vector<Row>{{"a,b", "c\"d", "e"}, {"", "\"", "x"}});
  CHECK(t.errors == std::vector<std::string>{"", ""});
  // Quotes only matter at the start of a field.
  CHECK(Parse("a\"b,c\"\"d\"\n").rows == std::vector<Row>{{"a\"b", "c\"\"d\""}});
  // Escapes at the very start and end, and many in a row.
  CHECK(Parse("\"\"\"a\"\"\",\"\"\"\"\"\"\"\"\"\"\n").rows ==
        std::vector<Row>{{"\"a\"", "\"\"\"\""}});
  CHECK(Parse("\"last\"").rows == std::vector<Row>{{"last"}});
  CHECK(Parse("\"last\"\r").rows == std::vector<Row>{{"last"}});
  CHECK(Parse("\"a\",").rows == std::vector<Row>{{"a", ""}});
}

TEST_CASE("csv: quoted line breaks keep physical line numbers", "[csv]") {
  Table t = Parse(
      "id,note\n"
      "1,\"two\nlines\"\n"
      "2,\"three\r\n\r\nlines, \"\"quoted\"\"\"\r\n"
      "3,\"\n\"\n"
      "4,x\n");
  CHECK(t.rows == std::vector<Row>{{"id", "note"},
                                   {"1", "two\nlines"},
                                   {"2", "three\r\n\r\nlines, \"quoted\""},
                                   {"3", "\n"},
                                   {"4", "x"}});
  CHECK(t.lines == std::vector<int64_t>{1, 2, 4, 7, 9});
}

TEST_CASE("csv: malformed quotes mark the row but keep it", "[csv]") {
  SECTION("text after the closing quote") {
    Table t = Parse("\"ab\"c,d\nnext,1\n");
    CHECK(t.rows == std::vector<Row>{{"\"ab\"c", "d"}, {"next", "1"}});
    CHECK(t.errors == std::vector<std::string>{"bad_quote", ""});
    CHECK(t.lines == std::vector<int64_t>{1, 2});
  }
  SECTION("first field is named by the text before the first comma") {
    Table t = Parse("\"a,b\"x,c\n\"q\" ,r\r\n");
    CHECK(t.rows == std::vector<Row>{{"\"a", "c"}, {"\"q\" ", "r"}});
    CHECK(t.errors == std::vector<std::string>{"bad_quote", "bad_quote"});
  }
  SECTION("bad quote spanning lines, later rows keep counting") {
    Table t = Parse("k,\"a\nb\"z,w\nnext\n");
    CHECK(t.rows == std::vector<Row>{{"k", "\"a", "w"}, {"next"}});
    CHECK(t.errors == std::vector<std::string>{"bad_quote", ""});
    CHECK(t.lines == std::vector<int64_t>{1, 3});
  }
  SECTION("end of input inside quotes") {
    Table t = Parse("ok,1\nid7,\"unterminated\nmore,stuff\n");
    CHECK(t.rows == std::vector<Row>{{"ok", "1"}, {"id7", "\"unterminated"}});
    CHECK(t.errors == std::vector<std::string>{"", "bad_quote"});
    CHECK(t.lines == std::vector<int64_t>{1, 2});
    Table first = Parse("\"abc,def\nxyz");
    CHECK(first.rows == std::vector<Row>{{"\"abc"}});
    CHECK(Parse("\"").rows == std::vector<Row>{{"\""}});
    CHECK(Parse("\"a\"\"").errors == std::vector<std::string>{"bad_quote"});
  }
}

TEST_CASE("csv: header, BOM and line numbers after it", "[csv]") {
  TempFile file("\xEF\xBB\xBFid,amount\r\nA1,10\r\n\"A,2\",20\r\n");
  CsvReader reader(file.get());
  std::vector<std::string> header;
  REQUIRE(reader.ReadHeader(header));
  CHECK(header == std::vector<std::string>{"id", "amount"});
  Table t = ReadRest(reader, 100);
  CHECK(t.rows == std::vector<Row>{{"A1", "10"}, {"A,2", "20"}});
  CHECK(t.lines == std::vector<int64_t>{2, 3});
  CHECK(Parse("\xEF\xBB\xBF").rows.empty());
  CHECK(Parse("\xEF\xBB\xBF\n").rows == std::vector<Row>{{""}});
  // Only a leading BOM is special.
  CHECK(Parse("a\n\xEF\xBB\xBF").rows == std::vector<Row>{{"a"}, {"\xEF\xBB\xBF"}});
}

TEST_CASE("csv: ReadHeader on empty input", "[csv]") {
  for (std::string_view content : {std::string_view(""), std::string_view("\xEF\xBB\xBF")}) {
    TempFile file(content);
    CsvReader reader(file.get());
    std::vector<std::string> header = {"stale"};
    CHECK_FALSE(reader.ReadHeader(header));
    TextBatch b;
    CHECK(reader.ReadBatch(10, b) == 0);
  }
  TempFile file("h\n");
  CsvReader reader(file.get());
  std::vector<std::string> header;
  CHECK(reader.ReadHeader(header));
  CHECK(header == std::vector<std::string>{"h"});
  CHECK(ReadRest(reader, 10).rows.empty());
}

TEST_CASE("csv: one row per batch; batches outlive the reader and survive moves", "[csv]") {
  std::string content;
  for (int i = 0; i < 300; ++i) {
    content +=
        i % 3 == 0 ? "\"q" + std::to_string(i) + "\nx\",\"\"\"\"\n" : std::to_string(i) + ",v\n";
  }
  std::vector<TextBatch> kept;
  {
    TempFile file(content);
    CsvReader reader(file.get());
    TextBatch b;
    while (reader.ReadBatch(1, b) == 1) kept.push_back(std::move(b));
  }
  REQUIRE(kept.size() == 300);
  std::vector<TextBatch> moved = std::move(kept);  // and once more, through the vector
  int64_t line = 1;
  for (int i = 0; i < 300; ++i) {
    const TextBatch& b = moved[i];
    REQUIRE(b.rows() == 1);
    CHECK(b.line[0] == line);
    if (i % 3 == 0) {
      CHECK(b.row(0)[0] == "q" + std::to_string(i) + "\nx");
      CHECK(b.row(0)[1] == "\"");
      line += 2;
    } else {
      CHECK(b.row(0)[0] == std::to_string(i));
      line += 1;
    }
  }
}

TEST_CASE("csv: TextBatch copies point at their own text", "[csv]") {
  TempFile file("a,\"b\"\"c\"\nd,e\n");
  CsvReader reader(file.get());
  auto original = std::make_unique<TextBatch>();
  REQUIRE(reader.ReadBatch(10, *original) == 2);
  TextBatch copy(*original);
  TextBatch assigned;
  assigned = *original;
  original.reset();
  for (const TextBatch* b : {&copy, &assigned}) {
    REQUIRE(b->rows() == 2);
    CHECK(b->row(0)[1] == "b\"c");
    CHECK(b->row(1)[1] == "e");
    for (std::string_view f : b->fields) CHECK(Within(f, b->text));
  }
}

TEST_CASE("csv: AppendCsvField quotes only when needed", "[csv]") {
  auto field = [](std::string_view f) {
    std::string s;
    AppendCsvField(s, f);
    return s;
  };
  CHECK(field("plain") == "plain");
  CHECK(field("") == "");
  CHECK(field(" spaced ") == " spaced ");
  CHECK(field("a,b") == "\"a,b\"");
  CHECK(field("a\"b") == "\"a\"\"b\"");
  CHECK(field("\"") == "\"\"\"\"");
  CHECK(field("\"\"x\"") == "\"\"\"\"\"x\"\"\"");
  CHECK(field("line\nbreak") == "\"line\nbreak\"");
  CHECK(field("cr\r") == "\"cr\r\"");
}

TEST_CASE("csv: writer output reads back identically", "[csv]") {
  const std::vector<Row> rows = {
      {"id", "text", "n"},
      {"1", "plain", "-0.05"},
      {"2", "comma, inside", ""},
      {"3", "\"quoted\" and \"\"double\"\"", "x"},
      {"4", "multi\nline\r\nfield", "\r"},
      {"5", "", ""},
      {""},
      {"\"", ",", "\n"},
  };
  TempFile file;
  {
    CsvWriter writer(file.get());
    // Enough rows to pass the 1 MiB flush threshold several times.
    for (int rep = 0; rep < 20000; ++rep) {
      for (const Row& row : rows) {
        for (size_t i = 0; i < row.size(); ++i) {
          if (i > 0) writer.buffer() += ',';
          AppendCsvField(writer.buffer(), row[i]);
        }
        writer.buffer() += '\n';
        writer.MaybeFlush();
      }
    }
    REQUIRE(writer.Flush());
  }
  std::rewind(file.get());
  CsvReader reader(file.get());
  Table t = ReadRest(reader, 4096);
  REQUIRE(t.rows.size() == rows.size() * 20000);
  size_t i = 0;
  while (i < t.rows.size() && t.rows[i] == rows[i % rows.size()]) ++i;
  REQUIRE(i == t.rows.size());
  CHECK(t.lines[8] == 1 + 8 + 3);  // rows 4 and 7 span 3 and 2 lines
}

TEST_CASE("csv: writer reports write errors", "[csv]") {
  std::FILE* full = std::fopen("/dev/full", "w");
  if (full == nullptr) return;  // not on every system
  {
    CsvWriter writer(full);
    writer.buffer() = std::string(4 << 20, 'x');
    writer.MaybeFlush();
    CHECK_FALSE(writer.Flush());
  }
  std::fclose(full);
}

TEST_CASE("csv: records straddling chunk boundaries", "[csv]") {
  // ~6 MB of random rows with every awkward byte: several read chunks.
  std::mt19937_64 rng(42);
  const std::string alphabet = "abcxyz0123456789,\"\n\r .-";
  auto random_field = [&] {
    std::string f;
    const size_t n = rng() % 4 == 0 ? rng() % 40 : rng() % 8;
    for (size_t i = 0; i < n; ++i) {
      f += rng() % 10 == 0 ? alphabet[rng() % alphabet.size()] : alphabet[rng() % 10];
    }
    return f;
  };
  std::vector<Row> rows;
  std::vector<int64_t> lines;
  std::string content;
  int64_t line = 1;
  while (content.size() < (size_t{6} << 20)) {
    Row row(1 + rng() % 17);
    for (std::string& f : row) f = random_field();
    const std::string text = WriteRow(row, rng() % 2 ? "\n" : "\r\n");
    rows.push_back(row);
    lines.push_back(line);
    line += std::count(text.begin(), text.end(), '\n');
    content += text;
  }
  // One huge unquoted and one huge quoted field, each longer than the initial buffer.
  rows.push_back({std::string(9 << 20, 'u'), "tail"});
  rows.push_back({"head", std::string(5 << 20, '"') + "\n,"});
  for (size_t i = rows.size() - 2; i < rows.size(); ++i) {
    lines.push_back(line);
    const std::string text = WriteRow(rows[i]);
    line += std::count(text.begin(), text.end(), '\n');
    content += text;
  }
  for (size_t max_rows : {size_t{1}, size_t{777}, size_t{1} << 20}) {
    INFO("max_rows " << max_rows);
    Table t = Parse(content, max_rows);
    REQUIRE(t.rows.size() == rows.size());
    size_t i = 0;  // first mismatch, checked once so that failures print one row
    while (i < rows.size() && t.rows[i] == rows[i] && t.lines[i] == lines[i] && t.errors[i].empty())
      ++i;
    if (i < rows.size()) {
      INFO("row " << i);
      CHECK(t.rows[i] == rows[i]);
      CHECK(t.lines[i] == lines[i]);
      CHECK(t.errors[i].empty());
    }
  }
}

TEST_CASE("csv: tricky bytes exactly at the first read boundary", "[csv]") {
  // The reader's first read is 4 MiB; slide a record full of two-byte syntax ("" pairs, CRLF,
  // closing quotes) across that boundary one byte at a time.
  const size_t boundary = size_t{4} << 20;
  const std::string pattern = "\"a\"\"b\",x\r\n\"q\"\r\ny,\"\"\r\n";
  const std::vector<Row> tail = {{"a\"b", "x"}, {"q"}, {"y", ""}};
  for (size_t shift = 1; shift <= pattern.size() + 1; ++shift) {
    // Fill the bytes before the pattern with 100-byte rows and one shorter row.
    const size_t filler = boundary - shift;
    std::string content(filler % 100, 'h');
    if (!content.empty()) content.back() = '\n';
    const std::string row = std::string(99, 'r') + "\n";
    while (content.size() < filler) content += row;
    content += pattern;
    Table t = Parse(content, size_t{1} << 20);
    INFO("shift " << shift);
    const size_t first = filler / 100 + (filler % 100 != 0);
    REQUIRE(t.rows.size() == first + tail.size());
    CHECK(std::vector<Row>(t.rows.begin() + first, t.rows.end()) == tail);
    CHECK(t.lines[first + 2] == static_cast<int64_t>(first + 3));
    CHECK(std::all_of(t.errors.begin(), t.errors.end(), [](auto& e) { return e.empty(); }));
  }
}

TEST_CASE("csv: reads from a pipe like stdin", "[csv]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::string content = "\xEF\xBB\xBFk,v\n";
  for (int i = 0; i < 100000; ++i)
    content += "key" + std::to_string(i) + ",\"v,\n" + std::to_string(i) + "\"\n";
  // Written in small, odd-sized pieces so reads see partial records.
  bool written = true;  // Catch assertions are not thread-safe
  std::thread writer([&] {
    for (size_t off = 0; off < content.size(); off += 4093) {
      const size_t n = std::min<size_t>(4093, content.size() - off);
      written &= ::write(fds[1], content.data() + off, n) == static_cast<ssize_t>(n);
    }
    ::close(fds[1]);
  });
  std::FILE* in = ::fdopen(fds[0], "r");
  REQUIRE(in != nullptr);
  CsvReader reader(in);
  std::vector<std::string> header;
  REQUIRE(reader.ReadHeader(header));
  CHECK(header == std::vector<std::string>{"k", "v"});
  Table t = ReadRest(reader, 5000);
  writer.join();
  std::fclose(in);
  REQUIRE(written);
  REQUIRE(t.rows.size() == 100000);
  for (int i : {0, 1, 4999, 5000, 99999}) {
    CHECK(t.rows[i] == Row{"key" + std::to_string(i), "v,\n" + std::to_string(i)});
    CHECK(t.lines[i] == 2 + 2 * i);
  }
  CHECK(reader.bytes_read() == content.size());
}

// What the runner does with more than one thread: take whole unquoted records as text and split
// them elsewhere, and read a batch near a quote in place. The records must be ReadBatch's.
Table ReadAsRecordText(std::string_view content, size_t max_rows, size_t* taken_as_text) {
  TempFile file(content);
  CsvReader reader(file.get());
  Table t;
  TextBatch b;
  for (;;) {
    RecordText lines;
    if (size_t n = reader.ReadRecordText(max_rows, lines)) {
      REQUIRE(n <= max_rows);
      REQUIRE(n == lines.rows);
      CsvReader split(std::move(lines));
      REQUIRE(split.ReadBatch(n, b) == n);
      *taken_as_text += n;
    } else if (reader.ReadBatch(max_rows, b) == 0) {
      break;
    }
    Collect(b, t);
  }
  CHECK(reader.bytes_read() == content.size());
  return t;
}

TEST_CASE("csv: records taken as text and split elsewhere read as ReadBatch reads them", "[csv]") {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 40; ++round) {
    std::string content;
    const size_t records = 1 + rng() % 3000;
    const bool quotes = round % 3 == 0;
    for (size_t r = 0; r < records; ++r) {
      const size_t fields = rng() % 6;  // 0: an empty line
      for (size_t f = 0; f < fields; ++f) {
        if (f) content += ',';
        if (quotes && rng() % 200 == 0) content += rng() % 2 ? "\"q,\n\"\"x\"" : "a\"b";
        else content += std::to_string(rng() % 100000) + (rng() % 2 ? ".25" : "");
      }
      if (r + 1 < records || rng() % 2) content += rng() % 4 ? "\n" : "\r\n";
      else if (rng() % 2) content += '\r';  // CR at end of input
    }
    const size_t max_rows = 1 + rng() % 700;
    INFO("round " << round << " max_rows " << max_rows);
    const Table expected = Parse(content, max_rows);
    size_t taken = 0;
    const Table got = ReadAsRecordText(content, max_rows, &taken);
    CHECK(got.rows == expected.rows);
    CHECK(got.lines == expected.lines);
    CHECK(got.errors == expected.errors);
    if (!quotes) CHECK(taken == expected.rows.size());
  }
}
