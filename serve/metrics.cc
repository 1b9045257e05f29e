// metrics.cc — counting and the Prometheus text exposition (version 0.0.4).
#include "serve/metrics.h"

#include <fmt/format.h>

namespace credo::serve {
namespace {

// A label value with `\`, `"` and newlines escaped, as the exposition format requires.
std::string Label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

const char* RouteName(Route route) {
  static constexpr const char* kNames[kRoutes] = {"evaluate", "explain", "policies", "policy",
                                                  "healthz",  "metrics", "other"};
  return kNames[size_t(route)];
}

void Metrics::CountRequest(Route route, int status, double seconds) {
  RouteCounters& r = routes_[size_t(route)];
  r.by_status[size_t(status >= 0 && status < kStatuses ? status : 0)].fetch_add(1, std::memory_order_relaxed);
  size_t bucket = 0;
  while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) ++bucket;
  r.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  r.count.fetch_add(1, std::memory_order_relaxed);
  r.sum_nanos.fetch_add(uint64_t(seconds * 1e9), std::memory_order_relaxed);
}

void Metrics::CountDecision(const std::string& policy, const std::string& outcome) {
  std::lock_guard lock(decisions_mutex_);
  ++decisions_[{policy, outcome}];
}

std::string Metrics::Render(size_t policies_loaded, size_t log_queue_depth, uint64_t log_lines_written) const {
  std::string out;
  out += "# HELP credo_http_requests_total HTTP requests answered, by route and status code.\n";
  out += "# TYPE credo_http_requests_total counter\n";
  for (size_t i = 0; i < kRoutes; ++i)
    for (int status = 0; status < kStatuses; ++status)
      if (uint64_t n = routes_[i].by_status[size_t(status)].load(std::memory_order_relaxed))
        out += fmt::format("credo_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", RouteName(Route(i)),
                           status, n);

  out += "# HELP credo_http_request_duration_seconds Time from the request read to the response ready, by route.\n";
  out += "# TYPE credo_http_request_duration_seconds histogram\n";
  for (size_t i = 0; i < kRoutes; ++i) {
    const RouteCounters& r = routes_[i];
    uint64_t count = r.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    const char* route = RouteName(Route(i));
    uint64_t cumulative = 0;
    for (size_t b = 0; b < kLatencyBuckets.size(); ++b) {
      cumulative += r.buckets[b].load(std::memory_order_relaxed);
      out += fmt::format("credo_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route,
                         kLatencyBuckets[b], cumulative);
    }
    cumulative += r.buckets[kLatencyBuckets.size()].load(std::memory_order_relaxed);
    out += fmt::format("credo_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route,
                       cumulative);
    out += fmt::format("credo_http_request_duration_seconds_sum{{route=\"{}\"}} {:.9f}\n", route,
                       double(r.sum_nanos.load(std::memory_order_relaxed)) / 1e9);
    out += fmt::format("credo_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, cumulative);
  }

  out += "# HELP credo_decisions_total Records evaluated, by policy and outcome (the decision output's value, "
         "or rejected).\n";
  out += "# TYPE credo_decisions_total counter\n";
  {
    std::lock_guard lock(decisions_mutex_);
    for (const auto& [key, n] : decisions_)
      out += fmt::format("credo_decisions_total{{policy=\"{}\",outcome=\"{}\"}} {}\n", Label(key.first),
                         Label(key.second), n);
  }

  out += "# HELP credo_policy_reloads_total Policy versions compiled and swapped in after a change on disk.\n";
  out += "# TYPE credo_policy_reloads_total counter\n";
  out += fmt::format("credo_policy_reloads_total {}\n", reloads_.load(std::memory_order_relaxed));
  out += "# HELP credo_policy_reload_failures_total Changed policy files that failed to check (not loaded).\n";
  out += "# TYPE credo_policy_reload_failures_total counter\n";
  out += fmt::format("credo_policy_reload_failures_total {}\n", reload_failures_.load(std::memory_order_relaxed));
  out += "# HELP credo_policies_loaded Policies being served.\n";
  out += "# TYPE credo_policies_loaded gauge\n";
  out += fmt::format("credo_policies_loaded {}\n", policies_loaded);
  out += "# HELP credo_decision_log_queue_depth Decision log lines waiting for the writer.\n";
  out += "# TYPE credo_decision_log_queue_depth gauge\n";
  out += fmt::format("credo_decision_log_queue_depth {}\n", log_queue_depth);
  out += "# HELP credo_decision_log_lines_total Decision log lines written.\n";
  out += "# TYPE credo_decision_log_lines_total counter\n";
  out += fmt::format("credo_decision_log_lines_total {}\n", log_lines_written);
  return out;
}

}  // namespace credo::serve
