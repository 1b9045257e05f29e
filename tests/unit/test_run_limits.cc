// The runner and the command line under hostile input: header mismatches with huge, duplicated
// or non-printable column names, thread creation failing, unreadable input, numeric options.
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <system_error>

#include "cli/options.h"
#include "compiler/driver/compile.h"
#include "runtime/exec/header_check.h"
#include "runtime/exec/runner.h"
#include "runtime/exec/thread_pool.h"

namespace {

credo::rt::PolicyInfo InfoWithInputs(std::initializer_list<const char*> names) {
  credo::rt::PolicyInfo info;
  for (const char* n : names) info.inputs.push_back({n, {}, false});
  return info;
}

std::string HeaderError(const credo::rt::PolicyInfo& info, std::vector<std::string> header) {
  std::string error;
  CHECK_FALSE(credo::exec::CheckHeader(info, header, error));
  return error;
}

// Starts `allowed` threads, then fails as pthread_create does at a process or memory limit.
int started = 0;
constexpr int kAllowed = 3;
std::thread StartSome(std::function<void()> body) {
  if (started == kAllowed) throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
  ++started;
  return std::thread(std::move(body));
}

}  // namespace

TEST_CASE("a matching header passes and the message for one that does not is bounded", "[header]") {
  auto info = InfoWithInputs({"id", "income", "debt"});
  std::string error;
  CHECK(credo::exec::CheckHeader(info, {"id", "income", "debt"}, error));

  std::string huge(100'000'000, 'x');
  error = HeaderError(info, {"id", "income", huge});
  CHECK(error.size() < 400);
  CHECK(error.find("missing column(s): debt") != std::string::npos);
  CHECK(error.find("... (100000000 bytes)") != std::string::npos);

  std::vector<std::string> many{"id", "income", "debt"};
  for (int i = 0; i < 100'000; ++i) many.push_back("extra" + std::to_string(i));
  error = HeaderError(info, many);
  CHECK(error.size() < 400);
  CHECK(error.find("extra9 and 99990 more") != std::string::npos);
}

TEST_CASE("a duplicated column is reported as duplicated, not as the wrong order", "[header]") {
  auto info = InfoWithInputs({"id", "income", "debt"});
  std::string error = HeaderError(info, {"id", "income", "income", "debt"});
  CHECK(error.find("duplicated column(s): income") != std::string::npos);
  CHECK(error.find("wrong order") == std::string::npos);
  CHECK(HeaderError(info, {"income", "id", "debt"}).find("the columns are in the wrong order") != std::string::npos);
}

TEST_CASE("bytes outside printable ASCII in a column name are shown escaped", "[header]") {
  auto info = InfoWithInputs({"id", "income"});
  std::string error = HeaderError(info, {"id", std::string("inc\0ome\x1b\\", 9)});
  CHECK(error.find("unexpected column(s): inc\\x00ome\\x1b\\\\") != std::string::npos);
  CHECK(error.find('\0') == std::string::npos);
}

TEST_CASE("a thread pool whose threads cannot all start throws instead of hanging", "[threads]") {
  started = 0;
  CHECK_THROWS_AS(credo::exec::ThreadPool(8, StartSome), std::system_error);
  CHECK(started == kAllowed);  // and the three that did start were joined, or this would abort
  started = 0;
  credo::exec::ThreadPool pool(kAllowed, StartSome);
  CHECK(pool.Submit([] { return 42; }).get() == 42);
}

TEST_CASE("numeric options are parsed whole and range-checked", "[options]") {
  std::string error;
  CHECK(credo::cli::ParseCount("--batch", "4096", 1, 1 << 20, error) == 4096u);
  CHECK(credo::cli::ParseCount("--threads", "0", 0, 1024, error) == 0u);
  for (const char* bad : {"10x", "", " 5", "+5", "-1", "0x10", "99999999999999999999", "1025", "1e3"}) {
    INFO(bad);
    CHECK_FALSE(credo::cli::ParseCount("--threads", bad, 0, 1024, error));
    CHECK(error == std::string("--threads needs a whole number from 0 to 1024, not '") + bad + "'");
  }
  CHECK_FALSE(credo::cli::ParseCount("--batch", "0", 1, 10, error));
  CHECK_FALSE(credo::cli::ParseCount("--batch", std::string(100, '9'), 1, 10, error));
  CHECK(error.size() < 100);
}

TEST_CASE("an input that cannot be read is an I/O error with its reason, not an empty input", "[run]") {
  credo::Compilation c = credo::CompileSource("t.credo", R"(policy t version "1"
input In {
  id: string
}
output { id }
)");
  INFO(c.diagnostics.Render(*c.source));
  REQUIRE(c.ok());
  auto ev = credo::MakeEvaluator(std::move(*c.program), credo::Engine::Interpreter);
  std::FILE* dir = std::fopen(CREDO_SOURCE_DIR, "rb");  // opens, but every read fails (EISDIR)
  REQUIRE(dir);
  std::FILE* out = std::tmpfile();
  std::FILE* rejects = std::tmpfile();
  credo::exec::RunStats stats;
  std::string error;
  CHECK(credo::exec::RunCsv(*ev, dir, out, rejects, {}, stats, error) == credo::exec::RunStatus::IoError);
  CHECK(error == "cannot read the input: Is a directory");
  std::fclose(dir);
  std::fclose(out);
  std::fclose(rejects);
}
