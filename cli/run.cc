#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cleanup.h"
#include "cli/commands.h"
#include "cli/compile_policy.h"
#include "cli/options.h"
#include "cli/output_file.h"
#include "cli/read_input.h"
#include "cli/same_file.h"
#include "compiler/driver/compile.h"
#include "cli/run_summary.h"
#include "compiler/driver/reference_data.h"
#include "runtime/exec/runner.h"
#include "runtime/io/gzip.h"

namespace credo::cli {

namespace {
const char* kRunUsage =
    "usage: credo run POLICY --in IN.csv --out OUT.csv --rejects REJECTS.csv [options]\n"
    "\n"
    "Evaluates POLICY over every record of IN.csv. Every record ends up in OUT.csv (in input\n"
    "order) or in REJECTS.csv as `line,<id>,reason,detail`. Use - for stdin (--in) or stdout\n"
    "(--out or --rejects, not both). The outputs must be different files, and neither the input.\n"
    "Columns are found by their header names, in any order; other columns are ignored.\n"
    "IN may be CSV or JSON Lines (.jsonl, .ndjson: one object per line), either gzip-compressed\n"
    "(found by its first bytes, .gz or not, stdin too).\n"
    "\n"
    "options:\n"
    "  --strict              the header must be exactly the policy's inputs, in their order\n"
    "  --keep COL,...        copy these input columns to the output, first, in the order given\n"
    "                        (not a name the output has already)\n"
    "  --format csv|jsonl    how IN is written (default: by its name; CSV unless .jsonl/.ndjson)\n"
    "  --out-format csv|jsonl  how OUT is written (default: by its name, as --format); REJECTS\n"
    "                        is JSON Lines when its name ends .jsonl or .ndjson\n"
    "  --ref NAME=FILE       the reference data NAME the policy declares (`reference NAME keyed by\n"
    "                        KEY { ... }`), a CSV with a header or JSON Lines (.jsonl, .ndjson),\n"
    "                        either gzip-compressed; repeatable, one per reference,\n"
    "                        each required. Loaded into memory before the run\n"
    "  --ref-rejects FILE    write reference rows that fail their checks (or repeat the key of a\n"
    "                        one-row-per-key reference) to FILE as `reference,line,key,reason`\n"
    "                        and run without them; without it such a row stops the run (exit 1)\n"
    "  --output NAME=FILE    also write the policy's per-group output NAME (`output NAME per\n"
    "                        group { ... }`) to FILE; repeatable, one file per output. An\n"
    "                        output not asked for is not written\n"
    "  --engine jit|interp   evaluation engine: native code compiled with LLVM (default), or the\n"
    "                        reference interpreter; both give identical results\n"
    "  --batch N             records per batch, 1 to 1048576 (default 4096)\n"
    "  --threads N           threads, 0 to 1024 (default 0: all cores); 1 runs everything on one\n"
    "                        thread; the output is the same for any number of threads\n"
    "  --summary             print rows read, accepted, rejected, counts by decision and grade,\n"
    "                        the most frequent values of text outputs (reasons), the totals of\n"
    "                        money outputs, and the time, to stderr\n"
    "  --top N               values listed per text output in the summary, 1 to 1000 (default 10)\n"
    "  --summary-json FILE   also write the summary's figures as JSON to FILE\n"
    "  --progress            report progress on stderr even when it is not a terminal (a line\n"
    "                        per million rows); on a terminal a progress bar is the default\n"
    "  --quiet               no progress bar\n"
    "  --memory SIZE         with a group pass: the memory records may take while they wait for\n"
    "                        it (e.g. 512M, 2G; from 1M to the machine's memory; default a\n"
    "                        quarter of it); past it they spill to temporary files and the group\n"
    "                        pass runs a partition of whole groups at a time. Same output\n"
    "  --temp-dir DIR        where spilled records go (default $TMPDIR, else /tmp); the files\n"
    "                        are unlinked as soon as they are made, so nothing is left behind\n"
    "\n"
    "exit codes: 0 success, 1 policy errors or an input that does not fit the policy (wrong\n"
    "header), 2 usage error, 3 I/O failure\n";

uint64_t PhysicalMemory() {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? uint64_t(pages) * uint64_t(page) : uint64_t{1} << 32;
}

// "a,b,c" → {a, b, c}; names are taken as written (no trimming: a header cell is exact too).
std::vector<std::string> SplitNames(const std::string& list) {
  std::vector<std::string> names;
  size_t from = 0;
  for (size_t comma; (comma = list.find(',', from)) != std::string::npos; from = comma + 1)
    names.push_back(list.substr(from, comma - from));
  names.push_back(list.substr(from));
  return names;
}
}  // namespace

int Run(const std::vector<std::string>& args) {
  std::string policy, in, out, rejects;
  std::vector<std::pair<std::string, std::string>> group_outputs;  // NAME, FILE
  std::map<std::string, std::string> ref_files;                    // reference NAME → FILE
  std::string ref_rejects;
  Engine engine = Engine::Jit;
  exec::RunOptions options;
  options.threads = 0;
  const uint64_t memory = PhysicalMemory() >> 20 << 20;  // whole MiB, for the message
  options.memory_bytes = size_t(memory / 4);
  options.reject_detail = true;
  bool summary = false, quiet = false;
  std::string summary_json;
  std::optional<exec::Format> in_format, out_format;
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
    } else if (a == "--output" || a.rfind("--output=", 0) == 0) {
      std::string spec;
      if (a == "--output" ? !value(spec) : (spec = a.substr(9), false)) return usage_error("--output needs NAME=FILE");
      size_t eq = spec.find('=');
      if (eq == 0 || eq == std::string::npos || eq + 1 == spec.size())
        return usage_error(fmt::format("--output {}: give the output's name and a file, e.g. --output groups=groups.csv", spec));
      std::string name = spec.substr(0, eq);
      for (const auto& [seen, file] : group_outputs)
        if (seen == name) return usage_error(fmt::format("--output {} is given twice", name));
      group_outputs.push_back({name, spec.substr(eq + 1)});
    } else if (a == "--ref") {
      std::string spec, why;
      value(spec);
      if (!ParseRefOption(spec, ref_files, why)) return usage_error(why);
    } else if (a == "--ref-rejects") {
      if (!value(ref_rejects)) return usage_error("--ref-rejects needs a file");
    } else if (a == "--engine" || a.rfind("--engine=", 0) == 0) {
      std::string why;
      if (!ParseEngineOption(args, i, engine, why)) return usage_error(why);
    } else if (a == "--batch" || a == "--threads") {
      bool batch = a == "--batch";
      std::string n, why;
      value(n);  // a missing value is empty, which ParseCount refuses
      auto count = ParseCount(a, n, batch ? 1 : 0, batch ? kMaxBatchRows : kMaxThreads, why);
      if (!count) return usage_error(why);
      (batch ? options.batch_rows : options.threads) = *count;
    } else if (a == "--memory") {
      std::string n, why;
      value(n);
      auto size = ParseSize(a, n, uint64_t{1} << 20, memory, why);
      if (!size) return usage_error(why);
      options.memory_bytes = size_t(*size);
    } else if (a == "--temp-dir") {
      if (!value(options.temp_dir)) return usage_error("--temp-dir needs a directory");
      struct stat st {};
      if (stat(options.temp_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return usage_error(fmt::format("--temp-dir {}: not a directory", options.temp_dir));
      if (access(options.temp_dir.c_str(), W_OK | X_OK) != 0)
        return usage_error(fmt::format("--temp-dir {}: cannot write there", options.temp_dir));
    } else if (a == "--summary") {
      summary = true;
    } else if (a == "--summary-json") {
      if (!value(summary_json)) return usage_error("--summary-json needs a file");
    } else if (a == "--top") {
      std::string n, why;
      value(n);
      auto count = ParseCount(a, n, 1, 1000, why);
      if (!count) return usage_error(why);
      options.summary_top = size_t(*count);
    } else if (a == "--progress") {
      options.progress = true;
    } else if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else if (a == "--strict") {
      options.columns.strict = true;
    } else if (a == "--keep") {
      std::string list;
      if (!value(list) || list.empty()) return usage_error("--keep needs column names, e.g. --keep id,branch");
      for (auto& name : SplitNames(list)) options.columns.keep.push_back(std::move(name));
    } else if (a == "--format" || a == "--out-format") {
      std::string f;
      value(f);
      auto format = FormatOfOption(f);
      if (!format) return usage_error(fmt::format("{} needs csv or jsonl, not '{}'", a, f));
      (a == "--format" ? in_format : out_format) = format;
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
  std::vector<std::pair<std::string, std::string>> files = {{"--out", out}, {"--rejects", rejects}};
  for (const auto& [name, file] : group_outputs) files.push_back({"--output " + name, file});
  if (!summary_json.empty()) files.push_back({"--summary-json", summary_json});
  if (!ref_rejects.empty()) files.push_back({"--ref-rejects", ref_rejects});
  if (std::string why = CheckDistinctFiles(in, files); !why.empty()) return usage_error(why);
  for (const auto& [name, file] : ref_files)
    if (std::string why = CheckDistinctFiles(file, files); !why.empty()) return usage_error(why);
  options.in_format = in_format.value_or(FormatOfName(in));
  options.out_format = out_format.value_or(FormatOfName(out));
  options.rejects_format = FormatOfName(rejects);
  options.summary_values = summary || !summary_json.empty();

  Compilation c;
  if (int compiled = CompilePolicy(policy, c); compiled != kOk) return compiled;
  std::string error;
  if (!exec::CheckKeep(c.program->info, options.columns.keep, error)) return usage_error(error);
  // Which per-group output each --output names.
  std::vector<size_t> output_index;
  {
    const auto& declared = c.program->info.group_outputs;
    std::vector<std::string> names;
    for (const auto& o : declared) names.push_back(o.name);
    for (const auto& [name, file] : group_outputs) {
      auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end())
        return usage_error(names.empty() ? fmt::format("--output {}: the policy declares no per-group output", name)
                                         : fmt::format("--output {}: the policy has no output '{}'; its per-group outputs are: {}",
                                                       name, name, fmt::join(names, ", ")));
      output_index.push_back(size_t(it - names.begin()));
    }
  }
  // Every declared reference given, and nothing else.
  const auto& declared_refs = c.program->info.references;
  if (std::string why = CheckRefOptions(declared_refs, ref_files); !why.empty()) return usage_error(why);
  if (declared_refs.empty() && !ref_rejects.empty()) return usage_error("--ref-rejects: the policy declares no reference data");
  InstallCleanupHandlers();
  OutputFile ref_rejects_file;
  std::shared_ptr<const rt::References> references;
  if (!declared_refs.empty()) {
    if (!ref_rejects.empty()) {
      if (!ref_rejects_file.Open(ref_rejects, error)) {
        std::fprintf(stderr, "credo: %s\n", error.c_str());
        return kFailure;
      }
      std::fputs("reference,line,key,reason\n", ref_rejects_file.file());
    }
    std::vector<ReferenceLoadStats> loaded;
    bool io_failure = false;
    references = LoadReferences(*c.program, ref_files, ref_rejects.empty() ? nullptr : ref_rejects_file.file(), loaded,
                                error, &io_failure);
    if (!references) {
      std::fprintf(stderr, "credo: %s\n", error.c_str());
      return io_failure ? kFailure : kPolicyError;
    }
    if (summary)
      for (const auto& l : loaded)
        std::fprintf(stderr, "reference %s: %llu rows, %llu rejected, %llu keys\n", l.name.c_str(),
                     (unsigned long long)l.rows, (unsigned long long)l.rejected, (unsigned long long)l.keys);
  }
  auto evaluator = MakeEvaluator(std::move(*c.program), engine, &error);
  if (!evaluator) {
    std::fprintf(stderr, "credo: %s\n", error.c_str());
    return kFailure;
  }
  evaluator->SetReferences(references);
  std::FILE* in_file = OpenInput(in, error);
  // Closed after in_stream, which reads from it.
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> close_input(in_file != stdin ? in_file : nullptr, std::fclose);
  io::InputStream in_stream;  // decompresses gzip input
  if (!in_file || !in_stream.Open(in_file, error)) {
    std::fprintf(stderr, "credo: %s%s%s\n", in_file ? in.c_str() : "", in_file ? ": " : "", error.c_str());
    return kFailure;
  }
  // A bar on a terminal unless --quiet; its percent from the input file's size (not a pipe's).
  // Not when the output itself goes to that terminal: the bar would be drawn over its rows.
  bool output_on_terminal = (out == "-" || rejects == "-") && isatty(STDOUT_FILENO);
  if (!quiet && isatty(STDERR_FILENO) && !output_on_terminal) {
    options.progress_bar.bar = true;
    struct stat st {};
    if (fstat(fileno(in_file), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
      options.progress_bar.position = in_file;
      options.progress_bar.size = uint64_t(st.st_size);
    }
  }
  if (quiet) options.progress = false;
  InstallCleanupHandlers();
  GuardMappedInput();
  options.map_input = true;  // a regular input file is read where the system caches it
  OutputFile out_file, rejects_file;
  if (!out_file.Open(out, error) || !rejects_file.Open(rejects, error)) {
    std::fprintf(stderr, "credo: %s\n", error.c_str());
    return kFailure;
  }
  std::vector<std::unique_ptr<OutputFile>> group_files;
  for (size_t k = 0; k < group_outputs.size(); ++k) {
    group_files.push_back(std::make_unique<OutputFile>());
    if (!group_files.back()->Open(group_outputs[k].second, error)) {
      std::fprintf(stderr, "credo: %s\n", error.c_str());
      return kFailure;
    }
    options.group_outputs.push_back({output_index[k], group_files.back()->file()});
  }
  exec::RunStats stats;
  exec::RunStatus status =
      exec::RunCsv(*evaluator, in_stream.file(), out_file.file(), rejects_file.file(), options, stats, error);
  if (status == exec::RunStatus::IoError && !in_stream.error_text().empty()) error = in_stream.error_text();
  // Which file a failure is about: the input, one of the outputs, or none.
  std::string about = in;
  if (status == exec::RunStatus::OutputError) about = out_file.name();
  if (status == exec::RunStatus::RejectsError) about = rejects_file.name();
  if (status == exec::RunStatus::GroupOutputError) about = group_files[size_t(stats.failed_output)]->name();
  if (status == exec::RunStatus::ResourceError || status == exec::RunStatus::TempError) about.clear();
  bool committed = status == exec::RunStatus::Ok && out_file.Commit(error) && rejects_file.Commit(error);
  for (auto& f : group_files) committed = committed && f->Commit(error);
  if (!ref_rejects.empty()) committed = committed && ref_rejects_file.Commit(error);
  if (status == exec::RunStatus::Ok && !committed) {
    status = exec::RunStatus::OutputError;
    about.clear();  // Commit names the file
  }
  if (status != exec::RunStatus::Ok) {
    std::fprintf(stderr, "credo: %s%s%s\n", about.c_str(), about.empty() ? "" : ": ", error.c_str());
    return status == exec::RunStatus::BadInput ? kPolicyError : kFailure;
  }
  if (summary) std::fputs(SummaryText(stats).c_str(), stderr);
  if (!summary_json.empty()) {
    OutputFile json;
    std::string text = SummaryJson(stats);
    if (!json.Open(summary_json, error) || std::fwrite(text.data(), 1, text.size(), json.file()) != text.size() ||
        !json.Commit(error)) {
      std::fprintf(stderr, "credo: %s\n", error.empty() ? ("cannot write " + summary_json).c_str() : error.c_str());
      return kFailure;
    }
  }
  return kOk;
}

}  // namespace credo::cli
