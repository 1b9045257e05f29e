// agreement.cc — CompareWithRun (agreement.h).
#include "compiler/explain/agreement.h"

#include <fmt/format.h>

#include "runtime/exec/runner.h"

namespace credo::explain {
namespace {

// The text after the header line of a run's file (the header is the same for every record).
std::string_view Body(std::string_view text) {
  size_t end = text.find('\n');
  return end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
}

// Walks `body` row by row against `expected`: "" when every row is as expected and nothing
// follows; else the first record (by its line) that differs.
std::string Walk(std::string_view body, const std::vector<std::pair<size_t, std::string>>& expected,
                 const Records& records, const char* file) {
  size_t at = 0;
  for (const auto& [r, row] : expected) {
    if (body.compare(at, row.size() + 1, row + "\n") != 0) {
      size_t end = body.find('\n', at);
      std::string got(
          body.substr(std::min(at, body.size()), end == std::string_view::npos ? std::string_view::npos : end - at));
      return fmt::format("record {} (line {}): the explanation's {} row is\n  {}\nbut the run wrote\n  {}", r + 1,
                         records.line[r], file, row, got.empty() ? "(nothing)" : got);
    }
    at += row.size() + 1;
  }
  if (at != body.size())
    return fmt::format("the run wrote more {} rows than the explanation has: {}", file, body.substr(at, 200));
  return "";
}

}  // namespace

Agreement CompareWithRun(ir::Program program, Engine engine, std::string_view text, const Records& records,
                         const Trace& trace, std::shared_ptr<const rt::References> references) {
  Agreement a;
  rt::PolicyInfo info = program.info;
  auto evaluator = MakeEvaluator(std::move(program), engine, &a.engine_error);
  if (!evaluator) return a;
  evaluator->SetReferences(std::move(references));
  exec::RunOptions options;
  options.reject_detail = true;  // as `credo run` writes them, which the explanation's rows are
  options.in_format = records.how.format;  // the input read as the records were
  options.columns = records.how.columns;
  exec::TextRun run = exec::RunCsvText(*evaluator, text, options);
  if (run.status != exec::RunStatus::Ok) {
    a.engine_error = "the run failed: " + run.error;
    return a;
  }
  std::vector<std::pair<size_t, std::string>> out, rejects;
  for (size_t r = 0; r < records.size(); ++r) {
    if (trace.status[r] == 0) out.push_back({r, OutputRow(info, trace, r)});
    else rejects.push_back({r, RejectRow(info, records, trace, r)});
  }
  a.difference = Walk(Body(run.out), out, records, "output");
  if (a.difference.empty()) a.difference = Walk(Body(run.rejects), rejects, records, "rejects");
  return a;
}

}  // namespace credo::explain
