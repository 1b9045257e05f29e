// The decision log's queue: back-pressure instead of loss, and every line whole.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "serve/decision_log.h"
#include "serve/metrics.h"

using credo::serve::DecisionLog;

namespace {

std::string TempPath(const char* name) {
  auto dir = std::filesystem::temp_directory_path() / ("credo-serve-unit-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

}  // namespace

TEST_CASE("decision log: a slow reader makes writers wait, and no line is lost or split", "[serve]") {
  std::string fifo = TempPath("slow.fifo");
  std::filesystem::remove(fifo);
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // The reader: slow at first (the pipe and the queue of 2 fill up), then drains.
  std::string received;
  std::thread reader([&] {
    int fd = ::open(fifo.c_str(), O_RDONLY);
    char buffer[4096];
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) received.append(buffer, size_t(n));
    ::close(fd);
  });
  DecisionLog log;
  std::string error;
  REQUIRE(log.Open(fifo, 2, std::chrono::milliseconds(1000), error));
  const std::string padding(200, 'x');  // 4 × 500 × ~210 bytes: more than a pipe holds
  std::atomic<size_t> max_depth{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        log.Append("{\"t\":" + std::to_string(t) + ",\"i\":" + std::to_string(i) + ",\"pad\":\"" + padding + "\"}");
        size_t depth = log.depth(), seen = max_depth.load();
        while (depth > seen && !max_depth.compare_exchange_weak(seen, depth)) {
        }
      }
    });
  for (auto& w : writers) w.join();
  // The writers could not finish before the reader began: they waited (no line was dropped).
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(250));
  REQUIRE(log.Close());
  reader.join();
  CHECK(max_depth.load() <= 2);
  CHECK(log.written() == 2000);
  std::set<std::string> lines;
  size_t count = 0;
  for (size_t start = 0, end; (end = received.find('\n', start)) != std::string::npos; start = end + 1) {
    std::string line = received.substr(start, end - start);
    CHECK(line.size() > 200);
    CHECK(line.front() == '{');
    CHECK(line.back() == '}');
    lines.insert(line);
    ++count;
  }
  CHECK(count == 2000);
  CHECK(lines.size() == 2000);
  std::filesystem::remove(fifo);
}

TEST_CASE("decision log: appends to an existing file, never truncates it", "[serve]") {
  std::string path = TempPath("append.jsonl");
  { std::ofstream(path) << "{\"earlier\":1}\n"; }
  DecisionLog log;
  std::string error;
  REQUIRE(log.Open(path, 10, std::chrono::milliseconds(1000), error));
  log.Append("{\"later\":2}");
  REQUIRE(log.Close());
  std::ifstream in(path);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(all == "{\"earlier\":1}\n{\"later\":2}\n");
  DecisionLog nowhere;
  CHECK_FALSE(nowhere.Open(TempPath("no-such-dir/x/log"), 10, std::chrono::milliseconds(1000), error));
  CHECK(error.find("cannot open decision log") != std::string::npos);
}

TEST_CASE("metrics: the histogram is cumulative and label values are escaped", "[serve]") {
  credo::serve::Metrics metrics;
  metrics.CountRequest(credo::serve::Route::evaluate, 200, 0.00003);
  metrics.CountRequest(credo::serve::Route::evaluate, 200, 0.0007);
  metrics.CountRequest(credo::serve::Route::evaluate, 400, 3.0);
  metrics.CountDecision("p", "say \"hi\"");
  std::string text = metrics.Render(1, 0, 0);
  CHECK(text.find("credo_http_requests_total{route=\"evaluate\",status=\"200\"} 2\n") != std::string::npos);
  CHECK(text.find("credo_http_request_duration_seconds_bucket{route=\"evaluate\",le=\"5e-05\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("credo_http_request_duration_seconds_bucket{route=\"evaluate\",le=\"0.001\"} 2\n") !=
        std::string::npos);
  CHECK(text.find("credo_http_request_duration_seconds_bucket{route=\"evaluate\",le=\"+Inf\"} 3\n") !=
        std::string::npos);
  CHECK(text.find("outcome=\"say \\\"hi\\\"\"} 1\n") != std::string::npos);
}
