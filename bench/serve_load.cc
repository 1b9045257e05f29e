// serve_load.cc — a load generator for `credo serve`: POSTs JSON records over keep-alive
// loopback connections at a fixed rate (open loop) or as fast as it can, and reports latency
// percentiles and throughput. `build/credo-serve-load --help`; bench/serve.sh runs the figures
// in docs/performance.md.
//
// Fixed rate: each connection sends its share of a global schedule (request i is due at
// start + i/rate). A request's latency counts from when it was due, not from when it was sent,
// so a stall delays every request behind it and shows in the percentiles (no "coordinated
// omission", the flaw wrk2 was written to fix).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

const char* kUsage =
    "usage: credo-serve-load --port PORT --records FILE [options]\n"
    "\n"
    "POSTs the JSON records of FILE (one per line, used in turn) to a running `credo serve`.\n"
    "\n"
    "options:\n"
    "  --host HOST          default 127.0.0.1\n"
    "  --path PATH          default /v1/policies/sme_credit/evaluate\n"
    "  --rate R             requests per second in all, 1..1000000 (fixed rate, open loop);\n"
    "                       0 (default): as fast as the connections go (closed loop)\n"
    "  --connections C      keep-alive connections, one thread each, 1..256 (default 4)\n"
    "  --duration S         seconds measured, 1..3600 (default 10)\n"
    "  --warmup S           seconds sent first and not measured, 0..600 (default 2)\n"
    "\n"
    "prints requests, errors (connection failures or statuses other than 200), throughput and\n"
    "latency percentiles (p50, p90, p99, p99.9, max) in microseconds.\n";

struct Options {
  std::string host = "127.0.0.1", path = "/v1/policies/sme_credit/evaluate", records;
  int port = 0;
  double rate = 0;
  int connections = 4, duration = 10, warmup = 2;
};

bool Number(const char* text, long min, long max, long& out) {
  char* end = nullptr;
  long v = std::strtol(text, &end, 10);
  if (!*text || *end || v < min || v > max) return false;
  out = v;
  return true;
}

int Connect(const Options& o) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(uint16_t(o.port));
  if (fd < 0 || ::inet_pton(AF_INET, o.host.c_str(), &addr.sin_addr) != 1 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (fd >= 0) ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// Sends one request and reads its whole response; the HTTP status, or -1 when the connection failed.
int Exchange(int fd, const std::string& request, std::string& buffer) {
  for (size_t done = 0; done < request.size();) {
    ssize_t n = ::send(fd, request.data() + done, request.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return -1;
    done += size_t(n);
  }
  buffer.clear();
  size_t header_end = std::string::npos, total = 0;
  char chunk[16384];
  for (;;) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return -1;
    buffer.append(chunk, size_t(n));
    if (header_end == std::string::npos) {
      header_end = buffer.find("\r\n\r\n");
      if (header_end == std::string::npos) continue;
      size_t at = buffer.find("Content-Length:");
      if (at == std::string::npos || at > header_end) return -1;
      total = header_end + 4 + std::strtoul(buffer.c_str() + at + 15, nullptr, 10);
    }
    if (buffer.size() >= total) break;
  }
  return buffer.size() > 12 ? std::atoi(buffer.c_str() + 9) : -1;
}

struct ThreadResult {
  std::vector<uint32_t> from_due, from_send;  // µs, measured requests only
  uint64_t errors = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    long v = 0;
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--host") {
      o.host = next();
    } else if (a == "--path") {
      o.path = next();
    } else if (a == "--records") {
      o.records = next();
    } else if (a == "--port" && Number(next(), 1, 65535, v)) {
      o.port = int(v);
    } else if (a == "--rate" && Number(next(), 0, 1000000, v)) {
      o.rate = double(v);
    } else if (a == "--connections" && Number(next(), 1, 256, v)) {
      o.connections = int(v);
    } else if (a == "--duration" && Number(next(), 1, 3600, v)) {
      o.duration = int(v);
    } else if (a == "--warmup" && Number(next(), 0, 600, v)) {
      o.warmup = int(v);
    } else {
      std::fprintf(stderr, "credo-serve-load: bad option or value near '%s'\n%s", a.c_str(), kUsage);
      return 2;
    }
  }
  if (o.port == 0 || o.records.empty()) {
    std::fprintf(stderr, "credo-serve-load: --port and --records are required\n%s", kUsage);
    return 2;
  }
  std::vector<std::string> requests;
  {
    std::ifstream in(o.records);
    std::string line;
    while (std::getline(in, line))
      if (!line.empty())
        requests.push_back("POST " + o.path + " HTTP/1.1\r\nHost: " + o.host +
                           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(line.size()) +
                           "\r\n\r\n" + line);
    if (requests.empty()) {
      std::fprintf(stderr, "credo-serve-load: no records in %s\n", o.records.c_str());
      return 3;
    }
  }

  const auto start = Clock::now() + std::chrono::milliseconds(100);
  const auto measure_from = start + std::chrono::seconds(o.warmup);
  const auto end = measure_from + std::chrono::seconds(o.duration);
  std::vector<ThreadResult> results(size_t(o.connections));
  std::vector<std::thread> threads;
  for (int t = 0; t < o.connections; ++t)
    threads.emplace_back([&, t] {
      ThreadResult& r = results[size_t(t)];
      int fd = Connect(o);
      std::string buffer;
      for (uint64_t k = 0;; ++k) {
        uint64_t index = k * uint64_t(o.connections) + uint64_t(t);  // this request in the global schedule
        auto due = o.rate > 0 ? start + std::chrono::nanoseconds(uint64_t(double(index) * 1e9 / o.rate)) : Clock::now();
        if (due >= end) break;
        if (o.rate > 0) std::this_thread::sleep_until(due);
        if (Clock::now() < start) std::this_thread::sleep_until(start);
        if (o.rate == 0) due = Clock::now();
        auto sent = Clock::now();
        int status = fd >= 0 ? Exchange(fd, requests[index % requests.size()], buffer) : -1;
        auto done = Clock::now();
        if (status < 0) {
          if (fd >= 0) ::close(fd);
          fd = Connect(o);
        }
        if (due < measure_from) continue;
        if (status != 200) ++r.errors;
        auto micros = [](auto d) { return uint32_t(std::chrono::duration_cast<std::chrono::microseconds>(d).count()); };
        r.from_due.push_back(micros(done - due));
        r.from_send.push_back(micros(done - sent));
      }
      if (fd >= 0) ::close(fd);
    });
  for (auto& t : threads) t.join();

  std::vector<uint32_t> from_due, from_send;
  uint64_t errors = 0;
  for (auto& r : results) {
    from_due.insert(from_due.end(), r.from_due.begin(), r.from_due.end());
    from_send.insert(from_send.end(), r.from_send.begin(), r.from_send.end());
    errors += r.errors;
  }
  if (from_due.empty()) {
    std::fprintf(stderr, "credo-serve-load: no request completed\n");
    return 1;
  }
  std::printf("%s %d connections, %d s measured after %d s warm-up\n",
              o.rate > 0 ? ("fixed rate " + std::to_string(int(o.rate)) + "/s,").c_str() : "max throughput,",
              o.connections, o.duration, o.warmup);
  std::printf("requests %zu  errors %llu  throughput %.0f/s\n", from_due.size(), (unsigned long long)errors,
              double(from_due.size()) / o.duration);
  auto print = [](const char* what, std::vector<uint32_t>& all) {
    std::sort(all.begin(), all.end());
    auto pct = [&](double p) { return all[std::min(all.size() - 1, size_t(p / 100.0 * double(all.size())))]; };
    std::printf("%s us: p50 %u  p90 %u  p99 %u  p99.9 %u  max %u\n", what, pct(50), pct(90), pct(99), pct(99.9),
                all.back());
  };
  // From when each request was due (includes any wait behind a late client or server); and
  // from when it was sent (the server and the loopback only, as closed-loop tools measure).
  if (o.rate > 0) print("latency from due ", from_due);
  print(o.rate > 0 ? "latency from send" : "latency", from_send);
  return errors ? 1 : 0;
}
