// Larger-than-memory runs: temporary files, the merge of sorted runs, --memory sizes, and the
// SWAR digit reader of ParseDecimal's fast path.
#include <catch2/catch.hpp>

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "cli/options.h"
#include "runtime/core/batch.h"
#include "runtime/core/decimal.h"
#include "runtime/exec/spill.h"
#include "runtime/io/csv.h"

using namespace credo;

namespace {

size_t Entries(const std::string& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

std::string MergedText(exec::SortedRuns& runs) {
  char* buf = nullptr;
  size_t size = 0;
  std::FILE* f = open_memstream(&buf, &size);
  {
    io::CsvWriter out(f);
    runs.Merge(out, 1 << 16);
    REQUIRE(out.Flush());
  }
  std::fclose(f);
  std::string text(buf, size);
  std::free(buf);
  return text;
}

std::string LineKey(int64_t line) {
  std::string key;
  exec::PutOrderedI64(key, line);
  return key;
}

}  // namespace

TEST_CASE("a temporary file has no name in its directory and reads back what was written") {
  std::string dir = std::filesystem::temp_directory_path() / "credo-spill-test-XXXXXX";
  REQUIRE(mkdtemp(dir.data()) != nullptr);
  {
    exec::TempFile file(dir);
    CHECK(Entries(dir) == 0);
    std::string big(exec::TempFile::kBufferBytes * 3 + 17, 'x');
    for (size_t i = 0; i < big.size(); ++i) big[i] = char('a' + i % 26);
    file.Append("head:");
    file.Append(big);
    file.Flush();
    CHECK(file.size() == big.size() + 5);
    exec::TempReader reader(file, 5, file.size(), 4096);
    std::string back;
    reader.Text(big.size(), back);
    CHECK(back == big);
    CHECK(reader.AtEnd());
    CHECK_THROWS_AS(reader.U32(), exec::SpillError);
  }
  CHECK(Entries(dir) == 0);
  std::filesystem::remove(dir);
  CHECK_THROWS_WITH(exec::TempFile("/nonexistent/dir"), Catch::Contains("cannot create a temporary file in /nonexistent/dir"));
}

TEST_CASE("sorted runs merge into one key order, whatever the runs") {
  std::string dir = std::filesystem::temp_directory_path();
  std::mt19937 rng(13);
  for (int trial = 0; trial < 20; ++trial) {
    exec::SortedRuns runs(dir);
    size_t count = 1 + rng() % 3000, nruns = 1 + rng() % 70;
    // Lines 1..count dealt to runs at random, each run ascending.
    std::vector<std::vector<int64_t>> dealt(nruns);
    for (int64_t line = 1; line <= int64_t(count); ++line) dealt[rng() % nruns].push_back(line);
    for (const auto& run : dealt) {
      for (int64_t line : run) runs.Add(LineKey(line), std::to_string(line) + "\n");
      runs.EndRun();
    }
    std::string expected;
    for (size_t line = 1; line <= count; ++line) expected += std::to_string(line) + "\n";
    CHECK(MergedText(runs) == expected);
  }
  // Ordered keys: signed order as bytes, descending inverted.
  std::string a, b;
  exec::PutOrderedI64(a, -5), exec::PutOrderedI64(b, 3);
  CHECK(a < b);
  a.clear(), b.clear();
  exec::PutOrderedI64(a, -5, true), exec::PutOrderedI64(b, 3, true);
  CHECK(a > b);
}

TEST_CASE("memory budget sizes: units, bounds and bad values") {
  std::string error;
  const uint64_t M = uint64_t{1} << 20, G = uint64_t{1} << 30;
  CHECK(cli::ParseSize("--memory", "1M", M, 64 * G, error) == M);
  CHECK(cli::ParseSize("--memory", "512m", M, 64 * G, error) == 512 * M);
  CHECK(cli::ParseSize("--memory", "2GiB", M, 64 * G, error) == 2 * G);
  CHECK(cli::ParseSize("--memory", "3gb", M, 64 * G, error) == 3 * G);
  CHECK(cli::ParseSize("--memory", "1048576", M, 64 * G, error) == M);
  CHECK(cli::ParseSize("--memory", "2048K", M, 64 * G, error) == 2 * M);
  for (const char* bad : {"", "M", "0", "1023K", "65G", "1P", "1.5G", "-1G", "1 G", "1GG", "99999999999999999999", "18014398509481984G"}) {
    INFO(bad);
    CHECK_FALSE(cli::ParseSize("--memory", bad, M, 64 * G, error));
    CHECK(error.find("--memory needs a size from 1M to 64G") == 0);
  }
}

TEST_CASE("ParseDecimal's 8-digit fast path: every run length and position") {
  // Each digit run length 0..12 before a '.', an unparsable byte or the end, checked against
  // the value built digit by digit.
  for (int digits = 1; digits <= 12; ++digits)
    for (const char* tail : {"", ".5", ".25", "x", ".", "-", " ", "/", ":"}) {
      std::string text;
      int64_t value = 0;
      for (int i = 0; i < digits; ++i) {
        text += char('0' + (i * 7 + 3) % 10);
        value = value * 10 + (i * 7 + 3) % 10;
      }
      std::string cell = text + tail;
      int64_t got = 0;
      INFO(cell);
      rt::ParseStatus status = rt::ParseDecimal(cell, 2, rt::PolicyInfo::kDecimalLimitRaw, &got);
      std::string_view t = tail;
      if (t.empty() || t == ".5" || t == ".25") {
        REQUIRE(status == rt::ParseStatus::Ok);
        int64_t frac = t.empty() ? 0 : t == ".5" ? 50 : 25;
        CHECK(got == value * 100 + frac);
      } else {
        CHECK(status == rt::ParseStatus::Unparsable);
      }
    }
  int64_t v = 0;
  CHECK(rt::ParseDecimal("00000000.01", 2, rt::PolicyInfo::kDecimalLimitRaw, &v) == rt::ParseStatus::Ok);
  CHECK(v == 1);
  CHECK(rt::ParseDecimal("-12345678", 0, rt::PolicyInfo::kIntLimit, &v) == rt::ParseStatus::Ok);
  CHECK(v == -12345678);
  CHECK(rt::ParseDecimal("999999999", 0, rt::PolicyInfo::kIntLimit, &v) == rt::ParseStatus::Ok);
  CHECK(rt::ParseDecimal("1000000000", 0, rt::PolicyInfo::kIntLimit, &v) == rt::ParseStatus::OutOfRange);
}
