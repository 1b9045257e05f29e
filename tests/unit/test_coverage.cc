// Structural coverage (compiler/testing/coverage.h) against data whose reach is known: the SME
// portfolio example was generated to reach every bin, grade, decision, warning, contagion and
// group cap of the SME policy (examples/README.md), so traced as one run it covers every item
// but the one no record can reach; and for every policy of the repository, item names are
// unique (excuses name items by them).
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "compiler/testing/coverage.h"
#include "tests/unit/repository_policies.h"

using credo::testdata::ReadText;

namespace {

credo::testing::CoverageTracker Tracker(const std::filesystem::path& policy) {
  return credo::testing::CoverageTracker(
      policy.string(), credo::CompileSource(policy.string(), ReadText(policy), credo::LowerOptions{.probes = true}));
}

std::vector<std::string> RowNames(const std::string& csv) {
  std::vector<std::string> names;
  for (size_t lines = size_t(std::count(csv.begin(), csv.end(), '\n')), r = 1; r < lines; ++r)
    names.push_back("row " + std::to_string(r));
  return names;
}

}  // namespace

TEST_CASE("the SME portfolio example covers every item of the SME policy but the cap's fallback", "[coverage]") {
  auto policy = std::filesystem::path(CREDO_SOURCE_DIR) / "policies/sme-credit-v1.credo";
  std::string csv = ReadText(std::filesystem::path(CREDO_SOURCE_DIR) / "examples/sme-portfolio.csv");
  auto tracker = Tracker(policy);
  std::string error;
  REQUIRE(tracker.Mark(csv, RowNames(csv), error));
  std::vector<std::vector<credo::testing::TestFileError>> errors;
  credo::testing::PolicyCoverage coverage = tracker.Summarize({}, errors);
  CHECK(coverage.total == 82);
  std::vector<std::string> uncovered;
  for (const auto& u : coverage.uncovered) uncovered.push_back(u.name);
  CHECK(uncovered == std::vector<std::string>{"fallback in group action set approved_amount"});
}

TEST_CASE("coverage items have unique names and a place in their policy", "[coverage]") {
  for (const auto& c : credo::testdata::RepositoryPolicies()) {
    INFO(c.policy.string());
    auto tracker = Tracker(c.policy);
    std::set<std::string> names;
    for (const auto& item : tracker.items()) {
      CHECK(names.insert(item.where.name).second);
      CHECK(item.where.line > 0);
      CHECK(!item.where.kind.empty());
      CHECK(!item.where.text.empty());
    }
  }
}
