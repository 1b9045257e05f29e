// metrics.h — the counters `credo serve` exposes on GET /metrics, in Prometheus text format.
// Request counters and latency histograms are fixed arrays of atomics (no lock on the hot path);
// decisions by outcome have open-ended labels (the policy's decision values), so they sit in a
// small map under a mutex.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace credo::serve {

enum class Route { evaluate, explain, policies, policy, healthz, metrics, other };
inline constexpr size_t kRoutes = 7;
const char* RouteName(Route route);

// Upper bounds of the latency histogram's buckets, in seconds (50 µs .. 1 s; then +Inf).
inline constexpr std::array<double, 15> kLatencyBuckets = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                           0.01,    0.025,  0.05,    0.1,   0.25,  0.5,   1.0, 2.5};

class Metrics {
 public:
  void CountRequest(Route route, int status, double seconds);
  void CountDecision(const std::string& policy, const std::string& outcome);
  void CountReload(bool ok) { (ok ? reloads_ : reload_failures_).fetch_add(1, std::memory_order_relaxed); }

  // The whole exposition. `policies_loaded` and `log_queue_depth` are gauges read at scrape time.
  std::string Render(size_t policies_loaded, size_t log_queue_depth, uint64_t log_lines_written) const;

 private:
  static constexpr int kStatuses = 600;
  struct RouteCounters {
    std::array<std::atomic<uint64_t>, kStatuses> by_status{};
    std::array<std::atomic<uint64_t>, kLatencyBuckets.size() + 1> buckets{};  // not cumulative; +Inf last
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> sum_nanos{0};
  };
  std::array<RouteCounters, kRoutes> routes_{};
  std::atomic<uint64_t> reloads_{0}, reload_failures_{0};
  mutable std::mutex decisions_mutex_;
  std::map<std::pair<std::string, std::string>, uint64_t> decisions_;
};

}  // namespace credo::serve
