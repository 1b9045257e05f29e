// One mistake, one diagnostic (issue 11): slips from other languages (`=`, `&&`, `||`, `!`,
// `<>`), an enum compared with a string, money × money, and the semantic errors that a syntax
// error elsewhere in the file no longer hides (compiler/syntax/recovery.h, check/partial.h).
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "compiler/driver/compile.h"

namespace {

const char* kHead = R"(policy p version "1"
enum Decision { APPROVE, DECLINE }
enum Industry { manufacturing, retail, services }
input In {
  id:       string
  defaults: int
  industry: Industry
  revenue:  money
  amount:   money?
  filed:    bool
}
table factor: Industry -> decimal { manufacturing => 0.25, retail => 0.18, else => 0.10 }
)";
const char* kTail = R"(
decision: Decision {
  else => APPROVE
}
output { id, decision }
)";

// The codes of every diagnostic, sorted.
std::vector<std::string> Codes(const std::string& body) {
  credo::Compilation c = credo::CompileSource("t.credo", std::string(kHead) + body + kTail);
  std::vector<std::string> codes;
  for (const auto& d : c.diagnostics.all())
    if (credo::Info(d.kind).severity == credo::Severity::Error) codes.push_back(credo::Info(d.kind).code);
  std::sort(codes.begin(), codes.end());
  if (!codes.empty()) CHECK_FALSE(c.ok());
  return codes;
}

using CodeList = std::vector<std::string>;

std::string Hints(const std::string& body) {
  credo::Compilation c = credo::CompileSource("t.credo", std::string(kHead) + body + kTail);
  std::string hints;
  for (const auto& d : c.diagnostics.all()) hints += d.hint + "\n";
  return hints;
}

}  // namespace

TEST_CASE("each slip from another language gives one diagnostic, and the rest is still checked", "[diagnostics]") {
  CHECK(Codes("rules r { K01 when defaults = 0 => decline }\nlet u = r.fired\n") == CodeList{"E0010"});
  CHECK(Codes("let u = defaults > 1 && filed\n") == CodeList{"E0011"});
  CHECK(Codes("let u = defaults > 1 || filed\n") == CodeList{"E0011"});
  CHECK(Codes("let u = !filed\n") == CodeList{"E0011"});
  CHECK(Codes("let u = defaults <> 1\n") == CodeList{"E0011"});
  // Read as what was meant: `defaults = revnue` still finds the misspelled name.
  CHECK(Codes("let u = defaults = revnue\n") == CodeList{"E0010", "E0102"});
  CHECK(Hints("let u = !filed || defaults = 0\n").find("`not filed or defaults == 0`") != std::string::npos);
}

TEST_CASE("an enum compared with a string names the value meant", "[diagnostics]") {
  CHECK(Codes("let u = industry == \"retail\"\n") == CodeList{"E0206"});
  CHECK(Hints("let u = industry == \"retail\"\n").find("without quotes: `retail`") != std::string::npos);
  CHECK(Hints("let u = industry != \"Retail\"\n").find("as declared, without quotes: `retail`") != std::string::npos);
  CHECK(Hints("let u = industry in [\"servces\"]\n").find("did you mean 'services'?") != std::string::npos);
  CHECK(Hints("let u = industry == \"farming\"\n").find("manufacturing, retail, services") != std::string::npos);
}

TEST_CASE("money times money is an error; an amount times a factor, a count or a literal is not", "[diagnostics]") {
  CHECK(Codes("let u = revenue * (amount ?? 0.00)\n") == CodeList{"E0214"});
  CHECK(Codes("let u = (revenue - 10.00) * revenue\n") == CodeList{"E0214"});
  CHECK(Codes("let u = revenue * 3 * revenue\n") == CodeList{"E0214"});
  CHECK(Codes("let u = min(revenue, 5.00) * revenue\n") == CodeList{"E0214"});
  CHECK(Codes("let u = (if filed then revenue else 0.00) * revenue\n") == CodeList{"E0214"});
  CHECK(Codes("let cap: money = 100.00\nlet u = revenue * cap\n") == CodeList{"E0214"});
  CHECK(Codes("let u = revenue * factor[industry]\n").empty());
  CHECK(Codes("let u = revenue * 1.05 + revenue * 3\n").empty());
  CHECK(Codes("let rate: decimal(2) = 0.05\nlet u = revenue * rate\n").empty());
  CHECK(Codes("let u = number(revenue) * number(revenue)\n").empty());
  CHECK(Codes("let u = revenue / revenue\n").empty());
  // A product divided at once is a step of the quotient: a pro-rata share.
  CHECK(Codes("let u = floor(revenue * (amount ?? 0.00) / revenue, 0.01) ?? 0.00\n").empty());
  CHECK(Codes("let u = revenue / (revenue * revenue)\n") == CodeList{"E0214"});
}

TEST_CASE("a syntax error does not hide the semantic errors of the other declarations", "[diagnostics]") {
  // The broken rule set, and a misspelled name in a `let` after it.
  CHECK(Codes("rules r { K01 when defaults > 0 decline }\nlet u = revnue\n") == CodeList{"E0001", "E0102"});
  // Names declared in the broken declaration count as declared: no unknown `r`, `broken`.
  CHECK(Codes("rules r { K01 when defaults > 0 decline }\nlet u = r.fired\n") == CodeList{"E0001"});
  CHECK(Codes("let broken = revenue * * 2\nlet u = broken + 1.00\n") == CodeList{"E0001"});
  // One syntax error per declaration; one in each of two declarations shows both.
  CHECK(Codes("let a = ( ( 1\nlet b = 2 +\n") == CodeList{"E0001", "E0001"});
  // A missing `}`: where the blocks end is unclear, so nothing after it is checked.
  CHECK(Codes("rules r {\n  K01 when defaults > 0 => decline\nlet u = revnue\n") == CodeList{"E0001"});
  // A broken input: its fields are not reported as unknown, nor the input as missing.
  credo::Compilation c = credo::CompileSource("t.credo", "policy p version \"1\"\nenum Decision { APPROVE }\n"
                                                         "input In {\n  id string\n  x: int\n}\nlet u = x + 1\n"
                                                         "decision: Decision { else => APPROVE }\noutput { id, u }\n");
  REQUIRE(c.diagnostics.all().size() == 1);
  CHECK(credo::Info(c.diagnostics.all()[0].kind).code == std::string("E0001"));
}

TEST_CASE("declarations that share a line still compile", "[diagnostics]") {
  credo::Compilation c = credo::CompileSource(
      "t.credo", "policy p version \"1\" enum Decision { APPROVE } input In { id: string } "
                 "decision: Decision { else => APPROVE } output { id, decision }\n");
  INFO(c.diagnostics.Render(*c.source));
  CHECK(c.ok());
}
