#include "compiler/testing/session.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "compiler/testing/bind.h"
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
};

Session::Session(SessionOptions options) : options_(std::move(options)) {}
Session::~Session() = default;

namespace {

bool ReadText(const std::string& path, std::string& text, std::string& error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = "it is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return false;
  }
  std::ostringstream s;
  s << in.rdbuf();
  text = s.str();
  return true;
}

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
  if (!ReadText(path, text, p->error)) {
    p->error = fmt::format("cannot read the policy {}: {}", path, p->error);
  } else {
    p->compilation = CompileSource(path, std::move(text));
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
  if (!ReadText(path, text, why)) {
    failed_ = true;
    result.errors.push_back({0, 0, fmt::format("cannot read {}: {}", path, why)});
    result.rendered = fmt::format("credo test: {}\n", result.errors.back().message);
    diagnostics += result.rendered;
    return result;
  }
  SourceFile source(path, std::move(text));
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

  for (const RunUnit& unit : bound.units) {
    std::vector<EngineOutcome> outcomes;
    for (auto& [name, evaluator] : policy->engines) {
      outcomes.push_back({name, RunUnitCsv(*evaluator, bound, unit)});
      if (!outcomes.back().outcome.error.empty()) {
        const CaseDef& first = *bound.cases[unit.cases[0]].def;
        errors.push_back({first.span, fmt::format("the run failed: {}", outcomes.back().outcome.error)});
        return finish_with_errors();
      }
    }
    auto cases = CheckUnit(info, tests, bound, unit, outcomes);
    result.cases.insert(result.cases.end(), cases.begin(), cases.end());
  }
  return result;
}

std::vector<PolicyCoverage> Session::Coverage() const {
  std::vector<PolicyCoverage> out;
  return out;
}

}  // namespace credo::testing
