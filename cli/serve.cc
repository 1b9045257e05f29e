// serve.cc — `credo serve`: options, then serve/server.cc. Built only when cpp-httplib is found.
#define CREDO_IMPLEMENTATION  // the public API's names are written credo::v1:: here (cli/options.h is internal)
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "serve/server.h"

namespace credo::cli {
namespace {

const char* kServeUsage =
    "usage: credo serve --policies DIR [options]\n"
    "\n"
    "Serves every policy in DIR (*.credo; libraries they import are followed) over HTTP/JSON:\n"
    "  POST /v1/policies/NAME/evaluate   one record (a JSON object) or an array of them\n"
    "  POST /v1/policies/NAME/explain    why one record got its outputs (credo.explain/1)\n"
    "  GET  /v1/policies                 name, version, hash, file, loaded at, last error\n"
    "  GET  /v1/policies/NAME            the policy's inputs and outputs\n"
    "  GET  /healthz, GET /metrics       liveness; Prometheus metrics\n"
    "NAME is the name the policy declares (`policy NAME version ...`). DIR is watched: a changed\n"
    "policy is checked and compiled in the background and swapped in atomically; one that fails\n"
    "to check is not loaded (the previous version keeps serving; the error is on stderr and in\n"
    "GET /v1/policies). SIGTERM or SIGINT: stop accepting, finish the requests in flight, write\n"
    "the decision log, exit 0. docs/serve.md has the request and response formats.\n"
    "\n"
    "options:\n"
    "  --policies DIR          the policy folder (required)\n"
    "  --listen HOST:PORT      where to listen (default 127.0.0.1:8080; port 0: any free port;\n"
    "                          the address is printed on stdout)\n"
    "  --threads N             request threads, 1..256 (default 4); each keep-alive connection\n"
    "                          holds one while it is open\n"
    "  --decision-log FILE     append one JSON line per decision to FILE (never truncated)\n"
    "  --log-fired             the log also lists the rules, warnings, reasons and decision arm\n"
    "                          that fired (a trace per decision: ~0.8 ms each for the SME policy)\n"
    "  --log-queue N           decision log lines queued before requests wait, 1..1000000\n"
    "                          (default 10000)\n"
    "  --max-body BYTES        largest request body, 64..67108864 (default 1048576)\n"
    "  --max-records N         most records in one array request, 1..100000 (default 1000)\n"
    "  --engine jit|interp     native code (default) or the reference interpreter\n"
    "  --watch inotify|poll|off  how DIR is watched (default inotify; poll looks every 200 ms)\n"
    "  --ref NAME=FILE         reference data: every policy declaring a reference NAME reads\n"
    "                          FILE (CSV, or JSON Lines by name, either gzip-compressed), as\n"
    "                          `credo run --ref` does; repeatable\n"
    "  --ref POLICY.NAME=FILE  the same for the policy named POLICY only (wins over NAME=)\n"
    "                          A changed reference file reloads the policies reading it (its\n"
    "                          folder is watched too); data that is refused keeps the previous\n"
    "                          version serving, as a policy that fails to check does\n"
    "  --ref-bad-rows refuse|set-aside  a reference row that fails its checks refuses the\n"
    "                          data (default, as credo run without --ref-rejects), or is set\n"
    "                          aside (listed on stderr) and the rest is served\n"
    "\n"
    "exit codes: 0 stopped by a signal, 2 usage error, 3 cannot listen, read DIR or a --ref file,\n"
    "or open the log\n";

int Fail(const std::string& why, int code) {
  std::fprintf(stderr, "credo serve: %s\n", why.c_str());
  return code;
}

// HOST:PORT with a numeric port 0..65535.
bool ParseListen(const std::string& text, serve::ServeOptions& options, std::string& error) {
  size_t colon = text.rfind(':');
  std::string port_text = colon == std::string::npos ? "" : text.substr(colon + 1);
  auto port = colon == std::string::npos ? std::nullopt : ParseCount("--listen port", port_text, 0, 65535, error);
  if (!port || colon == 0) {
    error = fmt::format("--listen needs HOST:PORT with a port from 0 to 65535, not '{}'", text);
    return false;
  }
  options.host = text.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']')
    options.host = options.host.substr(1, options.host.size() - 2);
  options.port = int(*port);
  return true;
}

}  // namespace

int Serve(const std::vector<std::string>& args) {
  serve::ServeOptions options;
  auto usage = [](const std::string& why) { return UsageError("serve", kServeUsage, why); };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kServeUsage, stdout);
      return kOk;
    }
    auto value = [&](std::string& out) {
      if (i + 1 >= args.size()) return false;
      out = args[++i];
      return true;
    };
    std::string text, error;
    auto count = [&](const char* name, uint64_t min, uint64_t max, size_t& out) {
      if (!value(text)) {
        error = fmt::format("{} needs a value", name);
        return false;
      }
      auto n = ParseCount(name, text, min, max, error);
      if (n) out = size_t(*n);
      return n.has_value();
    };
    if (a == "--policies") {
      if (!value(options.policies_dir)) return usage("--policies needs a folder");
    } else if (a == "--listen") {
      if (!value(text)) return usage("--listen needs HOST:PORT");
      if (!ParseListen(text, options, error)) return usage(error);
    } else if (a == "--threads") {
      if (!count("--threads", 1, 256, options.threads)) return usage(error);
    } else if (a == "--decision-log") {
      if (!value(options.decision_log) || options.decision_log.empty()) return usage("--decision-log needs a file");
    } else if (a == "--log-fired") {
      options.log_fired = true;
    } else if (a == "--log-queue") {
      if (!count("--log-queue", 1, 1000000, options.log_queue)) return usage(error);
    } else if (a == "--max-body") {
      if (!count("--max-body", 64, uint64_t{64} << 20, options.max_body)) return usage(error);
    } else if (a == "--max-records") {
      if (!count("--max-records", 1, 100000, options.max_records)) return usage(error);
    } else if (a == "--engine" || a.rfind("--engine=", 0) == 0) {
      Engine engine;
      if (!ParseEngineOption(args, i, engine, error)) return usage(error);
      options.engine = engine == Engine::Jit ? v1::Engine::jit : v1::Engine::interpreter;
    } else if (a == "--watch") {
      if (!value(text)) return usage("--watch needs inotify, poll or off");
      if (text == "inotify") options.watch = serve::WatchMode::inotify;
      else if (text == "poll") options.watch = serve::WatchMode::poll;
      else if (text == "off") options.watch = serve::WatchMode::off;
      else return usage(fmt::format("--watch {}: the modes are inotify, poll and off", text));
    } else if (a == "--ref") {
      if (!value(text)) return usage("--ref needs NAME=FILE or POLICY.NAME=FILE");
      if (!ParseRefOption(text, options.references.files, error)) return usage(error);
    } else if (a == "--ref-bad-rows") {
      if (!value(text) || (text != "refuse" && text != "set-aside"))
        return usage("--ref-bad-rows needs refuse or set-aside");
      options.references.set_aside_bad_rows = text == "set-aside";
    } else if (a.rfind("-", 0) == 0) {
      return usage(fmt::format("unknown option '{}'", a));
    } else {
      return usage(fmt::format("unexpected argument '{}'", a));
    }
  }
  if (options.policies_dir.empty()) return usage("--policies DIR is required");
  struct stat st {};
  if (::stat(options.policies_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return Fail(fmt::format("{} is not a folder", options.policies_dir), kFailure);
  for (const auto& [name, file] : options.references.files) {
    struct stat ref {};
    if (::stat(file.c_str(), &ref) != 0 || !S_ISREG(ref.st_mode))
      return Fail(fmt::format("--ref {}={}: not a readable file", name, file), kFailure);
  }
  if (!options.decision_log.empty() && options.decision_log.size() > 6 &&
      options.decision_log.compare(options.decision_log.size() - 6, 6, ".credo") == 0)
    return usage(fmt::format("--decision-log {} would append to a policy file", options.decision_log));
  std::error_code ec;
  for (const auto& [name, file] : options.references.files)
    if (!options.decision_log.empty() && std::filesystem::equivalent(options.decision_log, file, ec))
      return usage(fmt::format("--decision-log {} would append to the reference file of --ref {}", options.decision_log, name));
  return serve::Serve(options);
}

}  // namespace credo::cli
