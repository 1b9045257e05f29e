// endpoints.h — what each route of `credo serve` answers, apart from HTTP itself: a request's
// body and parameters in, a status and a JSON (or Prometheus text) body out. server.cc wires
// these to cpp-httplib; tests and the bench can call them directly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "serve/decision_log.h"
#include "serve/metrics.h"
#include "serve/registry.h"

namespace credo::serve {

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};

struct Limits {
  size_t max_body = size_t{1} << 20;  // bytes of a request body
  size_t max_records = 1000;          // records in one array request
  bool log_fired = false;             // trace every decision for the log's "fired" (costly: docs/serve.md)
};

// {"error":{"code":CODE,"message":MESSAGE,"field":FIELD or null}} with `status`.
Reply ErrorReply(int status, std::string_view code, std::string_view message, std::string_view field = {});

class Endpoints {
 public:
  Endpoints(Registry& registry, Metrics& metrics, DecisionLog* log, Limits limits)
      : registry_(registry), metrics_(metrics), log_(log), limits_(limits) {}

  // POST /v1/policies/{name}/evaluate: one record object, or an array of them. `trace` adds the
  // rules, warnings and reasons that fired to each result.
  Reply Evaluate(const std::string& name, std::string_view body, const std::string& request_id, bool trace);
  // POST /v1/policies/{name}/explain: one record object.
  Reply Explain(const std::string& name, std::string_view body);
  // GET /v1/policies and GET /v1/policies/{name}.
  Reply ListPolicies();
  Reply DescribePolicy(const std::string& name);
  Reply Health();
  Reply MetricsText();

  const Limits& limits() const { return limits_; }

 private:
  std::shared_ptr<const LoadedPolicy> Find(const std::string& name, Reply& not_found) const;
  void CountDecision(const LoadedPolicy& policy, const credo::v1::Result& result);
  std::string LogLine(const LoadedPolicy& policy, const std::string& request_id, long index, std::string_view input,
                      const std::string& result_json) const;

  Registry& registry_;
  Metrics& metrics_;
  DecisionLog* log_;
  Limits limits_;
};

}  // namespace credo::serve
