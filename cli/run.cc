#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <fmt/format.h>
#include <sys/stat.h>

#include "cli/cleanup.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output_file.h"
#include "cli/same_file.h"
#include "compiler/driver/compile.h"
#include "runtime/exec/runner.h"

namespace credo::cli {

namespace {
const char* kRunUsage =
    "usage: credo run POLICY --in IN.csv --out OUT.csv --rejects REJECTS.csv [options]\n"
    "\n"
    "Evaluates POLICY over every record of IN.csv. Every record ends up in OUT.csv (in input\n"
    "order) or in REJECTS.csv as `line,<id>,reason`. Use - for stdin (--in) or stdout (--out or\n"
    "--rejects, not both). The outputs must be different files, and neither the input.\n"
    "\n"
    "options:\n"
    "  --engine=jit|interp   evaluation engine: native code compiled with LLVM (default), or the\n"
    "                        reference interpreter; both give identical results\n"
    "  --batch N             records per batch, 1 to 1048576 (default 4096)\n"
    "  --threads N           worker threads, 0 to 1024 (default 0: all cores); the output is the\n"
    "                        same for any number of threads\n"
    "  --summary             print rows read, accepted, rejected, counts by decision and grade,\n"
    "                        and the time, to stderr\n"
    "  --progress            report progress to stderr on long runs\n"
    "\n"
    "exit codes: 0 success, 1 policy errors or an input that does not fit the policy (wrong\n"
    "header), 2 usage error, 3 I/O failure\n";

// The input: stdin for "-"; a directory is refused here (reading one would look empty).
std::FILE* OpenInput(const std::string& path, std::string& error) {
  if (path == "-") return stdin;
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    error = fmt::format("cannot read {}: it is a directory", path);
    return nullptr;
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) error = fmt::format("cannot read {}: {}", path, std::strerror(errno));
  return f;
}

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
    return UsageError("run", kRunUsage, why);
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
    } else if (a == "--batch" || a == "--threads") {
      bool batch = a == "--batch";
      std::string n, why;
      value(n);  // a missing value is empty, which ParseCount refuses
      auto count = ParseCount(a, n, batch ? 1 : 0, batch ? kMaxBatchRows : kMaxThreads, why);
      if (!count) return usage_error(why);
      (batch ? options.batch_rows : options.threads) = *count;
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
  if (std::string why = CheckDistinctFiles(in, out, rejects); !why.empty()) return usage_error(why);

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
  std::FILE* in_file = OpenInput(in, error);
  if (!in_file) {
    std::fprintf(stderr, "credo: %s\n", error.c_str());
    return kFailure;
  }
  InstallCleanupHandlers();
  OutputFile out_file, rejects_file;
  if (!out_file.Open(out, error) || !rejects_file.Open(rejects, error)) {
    std::fprintf(stderr, "credo: %s\n", error.c_str());
    return kFailure;
  }
  exec::RunStats stats;
  exec::RunStatus status =
      exec::RunCsv(*evaluator, in_file, out_file.file(), rejects_file.file(), options, stats, error);
  if (in_file != stdin) std::fclose(in_file);
  // Which file a failure is about: the input, one of the outputs, or none.
  std::string about = in;
  if (status == exec::RunStatus::OutputError) about = out_file.name();
  if (status == exec::RunStatus::RejectsError) about = rejects_file.name();
  if (status == exec::RunStatus::ResourceError) about.clear();
  if (status == exec::RunStatus::Ok && !(out_file.Commit(error) && rejects_file.Commit(error))) {
    status = exec::RunStatus::OutputError;
    about.clear();  // Commit names the file
  }
  if (status != exec::RunStatus::Ok) {
    std::fprintf(stderr, "credo: %s%s%s\n", about.c_str(), about.empty() ? "" : ": ", error.c_str());
    return status == exec::RunStatus::BadInput ? kPolicyError : kFailure;
  }
  if (summary) PrintSummary(stats);
  return kOk;
}

}  // namespace credo::cli
