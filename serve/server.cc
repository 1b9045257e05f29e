// server.cc — cpp-httplib wiring: routes, limits, request ids, metrics, signals and the drain.
#include "serve/server.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <thread>
#include <tuple>

#include <fmt/format.h>
#include <httplib.h>

#include "serve/decision_log.h"
#include "serve/endpoints.h"
#include "serve/metrics.h"
#include "serve/registry.h"

namespace credo::serve {
namespace {

using Clock = std::chrono::steady_clock;

// A client's X-Request-Id when it is a sane token (1..128 of [A-Za-z0-9._:-]), else our own.
std::string RequestId(const httplib::Request& req) {
  static const std::string boot = fmt::format("{:x}", std::chrono::duration_cast<std::chrono::seconds>(
                                                          std::chrono::system_clock::now().time_since_epoch())
                                                          .count());
  static std::atomic<uint64_t> next{1};
  std::string given = req.get_header_value("X-Request-Id");
  bool sane = !given.empty() && given.size() <= 128;
  for (char c : given)
    sane &= std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' || c == '-';
  return sane ? given : fmt::format("{}-{}", boot, next.fetch_add(1, std::memory_order_relaxed));
}

bool IsJson(const httplib::Request& req) {
  std::string type = req.get_header_value("Content-Type");
  std::string media = type.substr(0, type.find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  for (char& c : media) c = char(std::tolower(static_cast<unsigned char>(c)));
  return media == "application/json";
}

void Send(httplib::Response& res, const Reply& reply) {
  res.status = reply.status;
  res.set_content(reply.body, reply.content_type.c_str());
}

// Stable codes for the statuses httplib answers by itself (no route, body too large, ...).
const char* StatusCode(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 413: return "body_too_large";
    case 414: return "uri_too_long";
    case 415: return "unsupported_media_type";
    default: return status >= 500 ? "internal_error" : "bad_request";
  }
}

}  // namespace

int Serve(const ServeOptions& options) {
  // Signals are taken by one thread with sigwait; every thread started from here inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a client gone mid-response is that write's error, not our exit

  Metrics metrics;
  Registry registry(options.policies_dir, options.engine, options.references, metrics);
  registry.Rescan();
  std::fprintf(stderr, "credo serve: %zu policies loaded from %s\n", registry.catalog()->by_name.size(),
               options.policies_dir.c_str());

  DecisionLog log;
  if (!options.decision_log.empty()) {
    std::string error;
    if (!log.Open(options.decision_log, options.log_queue, std::chrono::milliseconds(1000), error)) {
      std::fprintf(stderr, "credo serve: %s\n", error.c_str());
      return 3;
    }
  }
  Endpoints endpoints(registry, metrics, log.open() ? &log : nullptr, Limits{options.max_body, options.max_records, options.log_fired});

  httplib::Server server;
  size_t threads = options.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(options.max_body);
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(size_t{1} << 40);  // a load balancer's connection is never cut by count
  server.set_keep_alive_timeout(2);  // an idle keep-alive connection holds a thread; and delays a drain this long
  server.set_read_timeout(10);
  server.set_write_timeout(10);

  // Each route counts itself; answers httplib gives without a route count as "other".
  auto counted = [&metrics](Route route, auto handler) {
    return [&metrics, route, handler](const httplib::Request& req, httplib::Response& res) {
      auto start = Clock::now();
      handler(req, res);
      metrics.CountRequest(route, res.status, std::chrono::duration<double>(Clock::now() - start).count());
    };
  };
  auto post_json = [&](Route route, auto answer) {
    return counted(route, [answer](const httplib::Request& req, httplib::Response& res) {
      if (!IsJson(req))
        return Send(res, ErrorReply(415, "unsupported_media_type", "send the record with Content-Type: application/json"));
      answer(req, res);
    });
  };
  auto not_allowed = [&](Route route, const char* allow) {
    return counted(route, [allow](const httplib::Request& req, httplib::Response& res) {
      res.set_header("Allow", allow);
      Send(res, ErrorReply(405, "method_not_allowed", fmt::format("{} is not allowed here; use {}", req.method, allow)));
    });
  };

  const std::string evaluate = R"(/v1/policies/([^/]+)/evaluate)";
  const std::string explain = R"(/v1/policies/([^/]+)/explain)";
  server.Post(evaluate, post_json(Route::evaluate, [&](const httplib::Request& req, httplib::Response& res) {
    std::string id = RequestId(req);
    bool trace = req.has_param("trace") && req.get_param_value("trace") != "false";
    Send(res, endpoints.Evaluate(req.matches[1], req.body, id, trace));
    res.set_header("X-Request-Id", id);
  }));
  server.Post(explain, post_json(Route::explain, [&](const httplib::Request& req, httplib::Response& res) {
    Send(res, endpoints.Explain(req.matches[1], req.body));
  }));
  server.Get("/v1/policies", counted(Route::policies, [&](const httplib::Request&, httplib::Response& res) {
    Send(res, endpoints.ListPolicies());
  }));
  server.Get(R"(/v1/policies/([^/]+))", counted(Route::policy, [&](const httplib::Request& req, httplib::Response& res) {
    Send(res, endpoints.DescribePolicy(req.matches[1]));
  }));
  server.Get("/healthz", counted(Route::healthz, [&](const httplib::Request&, httplib::Response& res) {
    Send(res, endpoints.Health());
  }));
  server.Get("/metrics", counted(Route::metrics, [&](const httplib::Request&, httplib::Response& res) {
    Send(res, endpoints.MetricsText());
  }));
  for (const auto& [pattern, route, allow] :
       {std::tuple{evaluate, Route::evaluate, "POST"}, std::tuple{explain, Route::explain, "POST"},
        std::tuple{std::string("/v1/policies"), Route::policies, "GET"},
        std::tuple{std::string(R"(/v1/policies/([^/]+))"), Route::policy, "GET"},
        std::tuple{std::string("/healthz"), Route::healthz, "GET"},
        std::tuple{std::string("/metrics"), Route::metrics, "GET"}}) {
    if (std::string(allow) == "POST") server.Get(pattern, not_allowed(route, allow));
    if (std::string(allow) == "GET") server.Post(pattern, not_allowed(route, allow));
    server.Put(pattern, not_allowed(route, allow));
    server.Delete(pattern, not_allowed(route, allow));
    server.Patch(pattern, not_allowed(route, allow));
  }
  server.set_error_handler([&metrics, &options](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // a route's own JSON error
    std::string message = res.status == 404   ? fmt::format("no route {} {}", req.method, req.path)
                          : res.status == 413 ? fmt::format("the body is larger than {} bytes (--max-body)", options.max_body)
                                              : fmt::format("HTTP status {}", res.status);
    Send(res, ErrorReply(res.status, StatusCode(res.status), message));
    metrics.CountRequest(Route::other, res.status, 0);
  });
  server.set_exception_handler([&metrics](const httplib::Request&, httplib::Response& res, std::exception_ptr e) {
    std::string what = "internal error";
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      what = x.what();
    } catch (...) {
    }
    std::fprintf(stderr, "credo serve: internal error: %s\n", what.c_str());
    Send(res, ErrorReply(500, "internal_error", what));
  });

  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
    if (port < 0) port = -1;
  } else if (!server.bind_to_port(options.host, port)) {
    port = -1;
  }
  if (port < 0) {
    std::fprintf(stderr, "credo serve: cannot listen on %s:%d\n", options.host.c_str(), options.port);
    log.Close();
    return 3;
  }

  Watcher watcher;
  std::vector<std::string> watched = {options.policies_dir};  // and the reference files' folders
  for (const std::string& folder : options.references.Folders())
    if (folder != options.policies_dir) watched.push_back(folder);
  watcher.Start(watched, options.watch, [&registry] { registry.Rescan(); });
  std::thread listener([&server] { server.listen_after_bind(); });
  std::printf("credo serve: listening on http://%s:%d\n", options.host.c_str(), port);
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::fprintf(stderr, "credo serve: %s: finishing the requests in flight\n", strsignal(signal_number));
  watcher.Stop();
  server.stop();    // stops accepting; the pool finishes what it has
  listener.join();  // returns once every worker is done
  bool log_ok = log.Close();
  std::fprintf(stderr, "credo serve: stopped%s\n", log.open() || !log_ok ? " (the decision log had write errors)" : "");
  return log_ok ? 0 : 3;
}

}  // namespace credo::serve
