// Reference data (docs/language.md, "Reference data"): how a reference file is read (columns by
// header name, rejects, duplicates of a one-row-per-key reference) and what the lookups give on
// both engines — the aggregates over a key's rows (a sum of no rows is 0, min/max missing), with
// conditions and expressions of a row, a missing key, a sum that overflows 64 bits rejecting
// exactly the records that use it.
#include <string>

#include <catch2/catch.hpp>

#include "compiler/driver/compile.h"
#include "compiler/driver/reference_data.h"
#include "runtime/exec/runner.h"

namespace {

const char* kPolicy = R"(policy refs version "1"
input A {
  id:  string
  key: string?
}
reference ledger keyed by key many {
  key:    string
  amount: money where amount >= -5.00
  days:   int
}
reference names keyed by key {
  key:  string
  name: string
}
let rows    = count(ledger[key])
let total   = sum(ledger[key].amount)
let worst   = max_of(ledger[key].days)
let least   = min_of(ledger[key].amount)
let name    = names[key].name
let named   = key in names
let unnamed = key not in names
output { id, rows, total, worst, least, name, named, unnamed }
)";

struct Loaded {
  credo::Compilation c;
  std::shared_ptr<const credo::rt::References> refs;
  std::string rejects, error;
};

Loaded Load(const std::string& policy, const std::map<std::string, std::string>& texts, bool set_aside = true) {
  Loaded l;
  l.c = credo::CompileSource("refs.credo", policy);
  INFO(l.c.diagnostics.Render(*l.c.source));
  REQUIRE(l.c.ok());
  l.refs = credo::LoadReferenceTexts(*l.c.program, texts, set_aside ? &l.rejects : nullptr, l.error);
  return l;
}

std::string Run(const Loaded& l, credo::Engine engine, const std::string& csv, std::string* rejects = nullptr) {
  std::string error;
  auto ev = credo::MakeEvaluator(*l.c.program, engine, &error);
  INFO(error);
  REQUIRE(ev);
  ev->SetReferences(l.refs);
  credo::exec::TextRun run = credo::exec::RunCsvText(*ev, csv, {});
  INFO(run.error);
  REQUIRE(run.status == credo::exec::RunStatus::Ok);
  if (rejects) *rejects = run.rejects;
  return run.out;
}

}  // namespace

TEST_CASE("reference data: lookups and aggregates over a key's rows agree on both engines") {
  Loaded l = Load(kPolicy, {{"ledger", "days,extra,key,amount\n3,x,a,10.50\n9,y,a,-2.00\n1,z,b,0.01\n4,w,a,-9.00\n"},
                            {"names", "name,key\nAlpha,a\nAgain,a\nCee,c\n"}});
  INFO(l.error);
  REQUIRE(l.refs);
  CHECK(l.rejects == "ledger,5,a,out_of_range:amount\nnames,3,a,duplicate:key\n");
  std::string csv = "id,key\n1,a\n2,b\n3,c\n4,\n";
  std::string expected =
      "id,rows,total,worst,least,name,named,unnamed\n"
      "1,2,8.50,9,-2.00,Alpha,true,false\n"   // the rejected row (-9.00) takes no part
      "2,1,0.01,1,0.01,,false,true\n"
      "3,0,0.00,,,Cee,true,false\n"            // no rows: count and sum 0, min and max missing
      "4,,,,,,,\n";                            // a missing key: every lookup missing
  CHECK(Run(l, credo::Engine::Interpreter, csv) == expected);
  CHECK(Run(l, credo::Engine::Jit, csv) == expected);
}

TEST_CASE("reference data: a bad row is an error unless rows are set aside") {
  Loaded l = Load(kPolicy, {{"ledger", "key,amount,days\na,1.00,x\n"}, {"names", "key,name\n"}}, false);
  CHECK_FALSE(l.refs);
  CHECK(l.error == "reference ledger (<ledger>) line 2: unparsable:days (give --ref-rejects FILE to set bad rows aside and run)");
  Loaded missing = Load(kPolicy, {{"ledger", "key,amount\n"}, {"names", "key,name\n"}});
  CHECK_FALSE(missing.refs);
  CHECK(missing.error == "reference ledger (<ledger>) has no column 'days' (its header is: key,amount)");
  Loaded absent = Load(kPolicy, {{"ledger", "key,amount,days\n"}});
  CHECK_FALSE(absent.refs);
  CHECK(absent.error == "the policy reads reference data 'names', which was not given");
}

TEST_CASE("reference data: a sum beyond 64 bits rejects the records that use it, on both engines") {
  const char* policy = R"(policy big version "1"
input A {
  id:  string
  key: string
}
reference ledger keyed by key many {
  key:    string
  amount: money
}
let total = sum(ledger[key].amount)
let rows  = count(ledger[key])
output { id, rows, total }
)";
  std::string ledger = "key,amount\n";
  for (int i = 0; i < 9300; ++i) ledger += "big,9999999999999.99\n";  // 9300 × 10^15 cents > 2^63
  ledger += "small,1.00\n";
  Loaded l = Load(policy, {{"ledger", ledger}});
  REQUIRE(l.refs);
  for (auto engine : {credo::Engine::Interpreter, credo::Engine::Jit}) {
    std::string rejects;
    CHECK(Run(l, engine, "id,key\n1,big\n2,small\n", &rejects) == "id,rows,total\n2,1,1.00\n");
    CHECK(rejects == "line,id,reason\n2,1,overflow:total\n");
  }
}

TEST_CASE("reference data: conditions and expressions of a row, computed at load, agree on both engines") {
  const char* policy = R"(policy rows version "1"
input A {
  id:  string
  key: string?
}
reference ledger keyed by key many {
  key:   string
  limit: money
  used:  money
  days:  int
}
let in_arrears = count(ledger[key], days > 30)
let overdrawn  = any(ledger[key], used > limit)
let all_fine   = all(ledger[key], days == 0)
let headroom   = sum(ledger[key], limit - used)
let tightest   = min_of(ledger[key], limit - used)
output { id, in_arrears, overdrawn, all_fine, headroom, tightest }
)";
  Loaded l = Load(policy, {{"ledger", "key,limit,used,days\na,100.00,50.00,0\na,10.00,20.00,45\nb,5.00,1.00,0\n"}});
  REQUIRE(l.refs);
  std::string expected =
      "id,in_arrears,overdrawn,all_fine,headroom,tightest\n"
      "1,1,true,false,40.00,-10.00\n"
      "2,0,false,true,4.00,4.00\n"
      "3,0,false,true,0.00,\n"  // no rows: none in arrears, none overdrawn, all of none fine
      "4,,,,,\n";
  std::string csv = "id,key\n1,a\n2,b\n3,c\n4,\n";
  CHECK(Run(l, credo::Engine::Interpreter, csv) == expected);
  CHECK(Run(l, credo::Engine::Jit, csv) == expected);
}
