#include <cstdio>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.h"
#include "compiler/driver/compile.h"
#include "runtime/exec/runner.h"

namespace credo::cli {

namespace {
const char* kRunUsage =
    "usage: credo run POLICY --in IN.csv --out OUT.csv --rejects REJECTS.csv [options]\n"
    "\n"
    "Evaluates POLICY over every record of IN.csv. Every record ends up in OUT.csv (in input\n"
    "order) or in REJECTS.csv as `line,<id>,reason`. Use - for stdin (--in) or stdout (--out).\n"
    "\n"
    "options:\n"
    "  --engine=jit|interp   evaluation engine: native code compiled with LLVM (default), or the\n"
    "                        reference interpreter; both give identical results\n"
    "  --batch N             records per batch (default 4096)\n"
    "  --threads N           worker threads (default 0: all cores); the output is the same for\n"
    "                        any number of threads\n"
    "  --summary             print rows read, accepted, rejected, counts by decision and grade,\n"
    "                        and the time, to stderr\n"
    "  --progress            report progress to stderr on long runs\n"
    "\n"
    "exit codes: 0 success, 1 policy errors or an input that does not fit the policy (wrong\n"
    "header), 2 usage error, 3 I/O failure\n";

// An output file written under a temporary name and renamed into place only when the run
// succeeds, so a failed run never truncates or half-writes an earlier result.
struct Output {
  std::string path, temp;
  std::FILE* f = nullptr;
  bool Open(const std::string& target) {
    path = target;
    if (path == "-") {
      f = stdout;
      return true;
    }
    temp = path + ".partial";
    f = std::fopen(temp.c_str(), "wb");
    return f != nullptr;
  }
  bool Commit() {
    if (path == "-") return std::fflush(f) == 0;
    bool ok = std::fclose(f) == 0;
    f = nullptr;
    return ok && std::rename(temp.c_str(), path.c_str()) == 0;
  }
  ~Output() {
    if (f && f != stdout) {
      std::fclose(f);
      std::remove(temp.c_str());
    }
  }
};

void PrintSummary(const exec::RunStats& s) {
  std::string out = fmt::format("rows read: {}\naccepted:  {}\nrejected:  {}\n", s.rows, s.accepted, s.rejected);
  for (const auto& [column, counts] : s.by_value) {
    out += fmt::format("{}:", column);
    for (const auto& [value, n] : counts) out += fmt::format(" {}={}", value, n);
    out += "\n";
  }
  out += fmt::format("time:      {:.3f} s ({:.0f} rows/s)\n", s.seconds, s.seconds > 0 ? s.rows / s.seconds : 0.0);
  std::fputs(out.c_str(), stderr);
}
}  // namespace

int Run(const std::vector<std::string>& args) {
  std::string policy, in, out, rejects;
  Engine engine = Engine::Jit;
  exec::RunOptions options;
  options.threads = 0;
  bool summary = false;
  auto usage_error = [](const std::string& why) {
    std::fprintf(stderr, "credo run: %s\n\n%s", why.c_str(), kRunUsage);
    return kUsage;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& target) {
      if (i + 1 >= args.size()) return false;
      target = args[++i];
      return true;
    };
    if (a == "--help" || a == "-h") {
      std::fputs(kRunUsage, stdout);
      return kOk;
    } else if (a == "--in") {
      if (!value(in)) return usage_error("--in needs a file");
    } else if (a == "--out") {
      if (!value(out)) return usage_error("--out needs a file");
    } else if (a == "--rejects") {
      if (!value(rejects)) return usage_error("--rejects needs a file");
    } else if (a == "--engine=interp") {
      engine = Engine::Interpreter;
    } else if (a == "--engine=jit") {
      engine = Engine::Jit;
    } else if (a == "--batch") {
      std::string n;
      if (!value(n) || std::atoll(n.c_str()) <= 0) return usage_error("--batch needs a positive number");
      options.batch_rows = std::atoll(n.c_str());
    } else if (a == "--threads") {
      std::string n;
      if (!value(n) || std::atoll(n.c_str()) < 0) return usage_error("--threads needs a number (0: all cores)");
      options.threads = std::atoll(n.c_str());
    } else if (a == "--summary") {
      summary = true;
    } else if (a == "--progress") {
      options.progress = true;
    } else if (a.rfind("--", 0) == 0) {
      return usage_error(fmt::format("unknown option '{}'", a));
    } else if (policy.empty()) {
      policy = a;
    } else {
      return usage_error(fmt::format("unexpected argument '{}'", a));
    }
  }
  if (policy.empty()) return usage_error("no policy file");
  if (in.empty() || out.empty() || rejects.empty()) return usage_error("--in, --out and --rejects are all required");

  Compilation c;
  std::string error;
  if (!CompileFile(policy, c, error)) {
    std::fprintf(stderr, "credo: %s\n", error.c_str());
    return kFailure;
  }
  std::fputs(c.diagnostics.Render(*c.source).c_str(), stderr);
  if (!c.ok()) return kPolicyError;
  auto evaluator = MakeEvaluator(std::move(*c.program), engine, &error);
  if (!evaluator) {
    std::fprintf(stderr, "credo: %s\n", error.c_str());
    return kFailure;
  }
  std::FILE* in_file = in == "-" ? stdin : std::fopen(in.c_str(), "rb");
  if (!in_file) {
    std::fprintf(stderr, "credo: cannot read %s\n", in.c_str());
    return kFailure;
  }
  Output out_file, rejects_file;
  if (!out_file.Open(out) || !rejects_file.Open(rejects)) {
    std::fprintf(stderr, "credo: cannot write %s\n", out_file.f ? rejects.c_str() : out.c_str());
    return kFailure;
  }
  exec::RunStats stats;
  exec::RunStatus status = exec::RunCsv(*evaluator, in_file, out_file.f, rejects_file.f, options, stats, error);
  if (in_file != stdin) std::fclose(in_file);
  if (status == exec::RunStatus::Ok && !(out_file.Commit() && rejects_file.Commit())) {
    error = "cannot write the output files";
    status = exec::RunStatus::IoError;
  }
  if (status != exec::RunStatus::Ok) {
    std::fprintf(stderr, "credo: %s: %s\n", in.c_str(), error.c_str());
    return status == exec::RunStatus::BadInput ? kPolicyError : kFailure;
  }
  if (summary) PrintSummary(stats);
  return kOk;
}

}  // namespace credo::cli
