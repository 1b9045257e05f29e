#include "compiler/testing/session.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "compiler/driver/reference_data.h"
#include "compiler/syntax/imports.h"
#include "compiler/testing/bind.h"
#include "compiler/testing/coverage.h"
#include "compiler/testing/discover.h"
#include "compiler/testing/runner.h"
#include "compiler/testing/test_file.h"

namespace credo::testing {

struct Session::Policy {
  std::string path;  // as shown in reports
  Compilation compilation;
  std::string error;  // it could not be read or started
  std::vector<std::pair<std::string, std::unique_ptr<rt::Evaluator>>> engines;
  bool shown = false;  // its diagnostics have been printed
  std::unique_ptr<CoverageTracker> coverage;  // with SessionOptions::coverage
  std::vector<ExcuseAt> excuses;              // from its test files that ran
};

Session::Session(SessionOptions options) : options_(std::move(options)) {}
Session::~Session() = default;

namespace {

const char* EngineName(Engine e) { return e == Engine::Jit ? "jit" : "interp"; }

}  // namespace

Session::Policy* Session::Load(const std::string& path, std::string& error) {
  std::error_code ec;
  std::string key = std::filesystem::weakly_canonical(path, ec).string();
  if (ec) key = path;
  auto found = policies_.find(key);
  if (found != policies_.end()) {
    error = found->second->error;
    return found->second.get();
  }
  auto p = std::make_unique<Policy>();
  p->path = path;
  std::string text;
  if (!ReadSourceFile(path, text, p->error)) {
    p->error = fmt::format("cannot read the policy {}: {}", path, p->error);
  } else {
    p->compilation = CompileSource(path, text);
    if (p->compilation.ok() && options_.coverage)
      p->coverage =
          std::make_unique<CoverageTracker>(path, CompileSource(path, std::move(text), LowerOptions{.probes = true}));
    if (p->compilation.ok()) {
      for (Engine e : options_.engines) {
        std::string why;
        auto evaluator = MakeEvaluator(*p->compilation.program, e, &why);
        if (!evaluator) {
          p->error = fmt::format("{}: the {} engine cannot start: {}", path, EngineName(e), why);
          failed_ = true;
          break;
        }
        p->engines.push_back({EngineName(e), std::move(evaluator)});
      }
    }
  }
  error = p->error;
  Policy* raw = p.get();
  policies_[key] = std::move(p);
  order_.push_back(raw);
  return raw;
}

FileResult Session::RunFile(const std::string& path, std::string& diagnostics) {
  FileResult result;
  result.path = path;
  std::string text, why;
  if (!ReadSourceFile(path, text, why)) {
    failed_ = true;
    sources_.push_back(std::make_unique<SourceFile>(path, ""));
    result.errors.push_back({0, 0, fmt::format("cannot read {}: {}", path, why)});
    result.rendered = fmt::format("credo test: {}\n", result.errors.back().message);
    diagnostics += result.rendered;
    return result;
  }
  sources_.push_back(std::make_unique<SourceFile>(path, std::move(text)));
  const SourceFile& source = *sources_.back();
  size_t run_index = sources_.size() - 1;
  std::vector<TestFileError> errors;
  TestFile tests = ParseTestFile(source, errors);
  auto finish_with_errors = [&](std::string extra = {}) {
    for (const auto& e : errors) {
      LineCol at = source.Locate(e.span.begin);
      result.errors.push_back({at.line, at.column, e.message});
    }
    result.rendered = extra + RenderErrors(source, errors);
    diagnostics += result.rendered;
    return result;
  };

  result.policy = PolicyPathFor(path, tests.policy);
  std::string load_error;
  Policy* policy = Load(result.policy, load_error);
  std::string policy_diagnostics;
  if (!policy->shown && policy->error.empty()) {
    policy->shown = true;
    policy_diagnostics = policy->compilation.diagnostics.Render(*policy->compilation.source);
  }
  if (!load_error.empty()) {
    errors.push_back({tests.policy.empty() ? Span{0, 1} : tests.policy_span, load_error,
                      tests.policy.empty() ? "name the policy with `policy \"FILE.credo\"` at the top of the test file" : ""});
    return finish_with_errors();
  }
  if (!policy->compilation.ok()) {
    errors.push_back({tests.policy.empty() ? Span{0, 1} : tests.policy_span,
                      fmt::format("the policy {} has errors: its cases cannot run", result.policy),
                      "run `credo check` on it and fix what it reports"});
    return finish_with_errors(policy_diagnostics);
  }
  diagnostics += policy_diagnostics;  // warnings
  if (!errors.empty()) return finish_with_errors();
  const rt::PolicyInfo& info = policy->compilation.program->info;
  BoundFile bound = Bind(tests, info, errors);
  if (!errors.empty()) return finish_with_errors();
  if (!UseReferences(*policy, tests, errors)) return finish_with_errors();

  for (const RunUnit& unit : bound.units) {
    std::vector<EngineOutcome> outcomes;
    for (auto& [name, evaluator] : policy->engines) {
      outcomes.push_back({name, RunUnitCsv(*evaluator, bound, unit)});
      if (!outcomes.back().outcome.error.empty()) {
        const CaseDef& first = *bound.cases[unit.cases[0]].def;
        errors.push_back({first.span, fmt::format("the run failed: {}", outcomes.back().outcome.error), ""});
        return finish_with_errors();
      }
    }
    auto cases = CheckUnit(info, tests, bound, unit, outcomes);
    result.cases.insert(result.cases.end(), cases.begin(), cases.end());
    if (policy->coverage) {
      std::vector<std::string> names;
      for (size_t c : unit.cases)
        names.push_back(fmt::format("case \"{}\" ({}:{})", bound.cases[c].def->name, path, bound.cases[c].def->line));
      if (!policy->coverage->Mark(UnitCsv(info, bound, unit), names, why)) {
        errors.push_back({bound.cases[unit.cases[0]].def->span, fmt::format("the coverage trace failed: {}", why), ""});
        return finish_with_errors();
      }
    }
  }
  for (const Excuse& e : tests.excuses) policy->excuses.push_back({e, &source, run_index});
  return result;
}

// The file's reference blocks, loaded for every engine of the policy (and its coverage trace).
// A reference the policy does not declare, one it declares but the file does not give, or a row
// that fails its checks is a mistake of the test file.
bool Session::UseReferences(Policy& policy, const TestFile& tests, std::vector<TestFileError>& errors) {
  const ir::Program& program = *policy.compilation.program;
  std::map<std::string, std::string> texts;
  for (const auto& r : tests.references) {
    if (std::find(program.info.references.begin(), program.info.references.end(), r.name) == program.info.references.end())
      errors.push_back({r.span, fmt::format("the policy declares no reference '{}'", r.name),
                        program.info.references.empty()
                            ? "remove the block: the policy reads no reference data"
                            : fmt::format("its references are: {}", fmt::join(program.info.references, ", "))});
    texts[r.name] = r.csv;
  }
  Span at = tests.policy.empty() ? Span{0, 1} : tests.policy_span;
  for (const auto& name : program.info.references)
    if (!texts.count(name))
      errors.push_back({at, fmt::format("the policy reads reference data '{}', which this file does not give", name),
                        fmt::format("add its rows: `reference {}`, a CSV header line, the rows, `end`", name)});
  if (!errors.empty()) return false;
  if (program.references.empty()) return true;
  std::string why;
  auto refs = LoadReferenceTexts(program, texts, nullptr, why);
  if (refs && policy.coverage && !policy.coverage->UseReferences(texts, why)) refs = nullptr;
  if (!refs) {
    for (const auto& r : tests.references)
      if (why.find("reference " + r.name + " ") == 0) at = r.span;
    errors.push_back({at, why, "a row of a reference block is read as the reference file's would be"});
    return false;
  }
  for (auto& [name, evaluator] : policy.engines) evaluator->SetReferences(refs);
  return true;
}

std::vector<PolicyCoverage> Session::Coverage(std::vector<FileResult>& files, std::string& diagnostics) {
  std::vector<PolicyCoverage> out;
  if (!options_.coverage) return out;
  std::vector<std::vector<TestFileError>> errors(sources_.size());
  for (const Policy* p : order_)
    if (p->coverage) out.push_back(p->coverage->Summarize(p->excuses, errors));
  for (size_t f = 0; f < errors.size() && f < files.size(); ++f) {
    if (errors[f].empty()) continue;
    for (const auto& e : errors[f]) {
      LineCol at = sources_[f]->Locate(e.span.begin);
      files[f].errors.push_back({at.line, at.column, e.message});
    }
    std::string rendered = RenderErrors(*sources_[f], errors[f]);
    files[f].rendered += rendered;
    diagnostics += rendered;
  }
  return out;
}

}  // namespace credo::testing
