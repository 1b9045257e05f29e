// The C++ API (include/credo/credo.hpp): values, diagnostics as data, describe, request errors
// naming the field, explain and traces.
#include <catch2/catch.hpp>

#include <credo/credo.hpp>

#include <cstdio>
#include <fstream>
#include <memory>

#include "tests/unit/repository_policies.h"

namespace {

const std::string kSme = std::string(CREDO_SOURCE_DIR) + "/policies/sme-credit-v1.credo";

const credo::Policy& Sme(credo::Engine engine = credo::Engine::jit) {
  static const credo::Policy jit = *credo::Policy::compile_file(kSme).policy;
  static const credo::Policy interp = *credo::Policy::compile_file(kSme, {.engine = credo::Engine::interpreter}).policy;
  return engine == credo::Engine::jit ? jit : interp;
}

// A complete SME application that the policy approves.
credo::Record Good(const credo::Policy& p) {
  credo::Record r = p.record();
  r.set("customer_id", "C-1").set("industry", "manufacturing").set("years_in_business", 12)
      .set("revenue", *credo::Decimal::parse("4200000.00")).set("net_income", *credo::Decimal::parse("380000.00"))
      .set("current_assets", *credo::Decimal::parse("1500000.00"))
      .set("current_liabilities", *credo::Decimal::parse("900000.00"))
      .set("total_assets", *credo::Decimal::parse("6000000.00"))
      .set("total_liabilities", *credo::Decimal::parse("2500000.00"))
      .set_text("operating_cash_flow", "520000.00").set_text("interest_expense", "60000.00")
      .set("bureau_score", 742).set("max_days_past_due_12m", 0).set("defaults_24m", 0)
      .set("existing_exposure", credo::Decimal{0, 2}).set("requested_amount", *credo::Decimal::parse("350000.00"));
  return r;
}

std::string Run(const std::string& command) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  char buf[4096];
  while (pipe && std::fgets(buf, sizeof buf, pipe.get())) out += buf;
  return out;
}

}  // namespace

TEST_CASE("api: decimals, dates and values as text", "[api]") {
  auto d = credo::Decimal::parse("-1234.50");
  REQUIRE(d);
  CHECK(d->units == -123450);
  CHECK(d->scale == 2);
  CHECK(d->to_string() == "-1234.50");
  CHECK(credo::Decimal{-5, 2}.to_string() == "-0.05");
  CHECK_FALSE(credo::Decimal::parse("1e5"));
  CHECK_FALSE(credo::Decimal::parse("1."));
  CHECK_FALSE(credo::Decimal::parse("+1"));
  CHECK_FALSE(credo::Decimal::parse("99999999999999999999"));
  auto date = credo::Date::parse("2024-02-29");
  REQUIRE(date);
  CHECK(date->to_string() == "2024-02-29");
  CHECK(credo::Date::parse("1970-01-02")->days == 1);
  CHECK_FALSE(credo::Date::parse("2023-02-29"));
  CHECK(credo::Value(credo::Missing{}).to_string() == "");
  CHECK(credo::Value(true).to_string() == "true");
  CHECK(credo::Value(0.25).to_string() == "0.25");
  CHECK(credo::Value(credo::Codes{{"W01", "W02"}}).to_string() == "W01;W02");
  CHECK(credo::Value(credo::Enum{"APPROVE", 0}).to_string() == "APPROVE");
  CHECK(credo::Value(credo::Decimal{7, 0}).kind() == credo::ValueKind::decimal);
}

TEST_CASE("api: diagnostics come back as data, never printed", "[api]") {
  const char* bad = "policy p version \"1\"\ninput I { a: int }\noutput { a, b }\n";
  credo::CompileResult r = credo::Policy::compile_text(bad, "bad.credo");
  CHECK_FALSE(r.ok());
  REQUIRE_FALSE(r.diagnostics.empty());
  const credo::Diagnostic& d = r.diagnostics[0];
  CHECK(d.severity == credo::Severity::error);
  CHECK(d.code.size() == 5);
  CHECK(d.code[0] == 'E');
  CHECK(d.file == "bad.credo");
  CHECK(d.line == 3);
  CHECK(d.column > 1);
  CHECK(d.message.find("b") != std::string::npos);
  CHECK(d.rendered.rfind("bad.credo:3:", 0) == 0);
  CHECK(d.rendered.find("error[" + d.code + "]") != std::string::npos);
  CHECK(r.rendered.find(d.rendered) != std::string::npos);
  CHECK(r.error == "1 error");

  // The text credo check prints is the rendered text, exactly.
  std::string path = (std::filesystem::temp_directory_path() / "credo-api-test-bad.credo").string();
  {
    std::ofstream out(path);
    out << bad;
  }
  credo::CompileResult from_file = credo::Policy::compile_file(path);
  // (credo check ends with a summary line of its own)
  CHECK(Run(std::string(CREDO_BINARY) + " check " + path + " 2>&1").rfind(from_file.rendered, 0) == 0);
  std::string each;
  for (const auto& diag : from_file.diagnostics) each += diag.rendered;
  CHECK(each == from_file.rendered);
  std::filesystem::remove(path);

  credo::CompileResult missing = credo::Policy::compile_file("/nonexistent/p.credo");
  CHECK_FALSE(missing.ok());
  CHECK(missing.error.rfind("cannot read /nonexistent/p.credo", 0) == 0);
}

TEST_CASE("api: describe the SME policy", "[api]") {
  const credo::Description& d = Sme().describe();
  CHECK(d.name == "sme_credit");
  CHECK(d.version == "1.0");
  CHECK(d.hash.size() == 16);
  // The content hash credo doc shows.
  CHECK(Run(std::string(CREDO_BINARY) + " doc " + kSme).find(d.hash) != std::string::npos);
  REQUIRE(d.inputs.size() == 17);
  CHECK(d.inputs[1].name == "group_id");
  CHECK(d.inputs[1].type == "string?");
  CHECK(d.inputs[1].optional);
  CHECK(d.inputs[2].type == "Industry");
  CHECK(d.inputs[2].kind == credo::ValueKind::enumeration);
  CHECK(d.inputs[2].enum_values.size() == 6);
  CHECK(d.inputs[4].name == "revenue");
  CHECK(d.inputs[4].kind == credo::ValueKind::decimal);
  CHECK(d.inputs[4].scale == 2);
  CHECK(d.inputs[4].where == "revenue >= 0");
  CHECK(d.inputs[4].where_reason == "out_of_range:revenue");
  CHECK(d.inputs[6].type == "money?");
  REQUIRE(d.group_key);
  CHECK(*d.group_key == "group_id");
  CHECK(d.outputs.front().name == "customer_id");
  bool has_decision = false;
  for (const auto& o : d.outputs)
    if (o.name == "decision") has_decision = o.type == "Decision" && o.enum_values.size() == 3;
  CHECK(has_decision);
  CHECK(d.engine == credo::Engine::jit);
  CHECK(d.engine_version == credo::engine_version(credo::Engine::jit));
  CHECK(Sme(credo::Engine::interpreter).describe().engine_version.find("interpreter") != std::string::npos);
}

TEST_CASE("api: one record, typed outputs", "[api]") {
  for (auto engine : {credo::Engine::jit, credo::Engine::interpreter}) {
    const credo::Policy& p = Sme(engine);
    credo::Result r = p.evaluate(Good(p));
    REQUIRE(r.accepted());
    CHECK(r.get("decision") == credo::Value(credo::Enum{"APPROVE", 0}));
    CHECK(r.get("approved_amount") == credo::Value(credo::Decimal{35000000, 2}));
    CHECK(r.get("customer_id").to_string() == "C-1");
    CHECK(std::holds_alternative<int64_t>(r.get("score").as_variant()));
    CHECK(r.get("no_such_output").missing());
    REQUIRE(r.find("approved_amount"));
    CHECK(r.raw(*r.find("approved_amount")) == 35000000);
    CHECK(r.to_json().find("\"approved_amount\":350000.00") != std::string::npos);
    CHECK(r.fired().empty());

    // A reject, as rejects.csv words it, with the detail.
    credo::Record bad = Good(p);
    bad.set("revenue", credo::Decimal{-500, 2});
    credo::Result rj = p.evaluate(bad);
    CHECK(rj.outcome() == credo::Outcome::rejected);
    CHECK(rj.reason() == "out_of_range:revenue");
    CHECK(rj.field() == "revenue");
    CHECK(rj.detail().find("-5.00") != std::string::npos);
    CHECK(rj.detail().find("revenue >= 0") != std::string::npos);
    CHECK(rj.size() == 0);

    // A required field left missing; a value the field cannot hold.
    credo::Record partial = Good(p);
    partial.set("industry", credo::Missing{});
    CHECK(p.evaluate(partial).reason() == "missing:industry");
    credo::Record unknown = Good(p);
    unknown.set("industry", "bakery");
    CHECK(p.evaluate(unknown).reason() == "unknown:industry");
    credo::Record scale = Good(p);
    scale.set("revenue", credo::Decimal{1, 3});  // "0.001" for money, as in a CSV file
    CHECK(p.evaluate(scale).reason() == "unparsable:revenue");
    credo::Record big = Good(p);
    big.set("bureau_score", int64_t(1'000'000'000));
    CHECK(p.evaluate(big).reason() == "out_of_range:bureau_score");
  }
}

TEST_CASE("api: request errors name the field", "[api]") {
  const credo::Policy& p = Sme();
  auto error_of = [&](const std::string& json) {
    credo::Result r = p.evaluate_json(json);
    CHECK(r.outcome() == credo::Outcome::error);
    return std::pair(r.reason(), r.field());
  };
  auto [unknown, unknown_field] = error_of(R"({"customer_id":"C","revnue":1})");
  CHECK(unknown == "unknown field 'revnue' (did you mean 'revenue'?)");
  CHECK(unknown_field == "revnue");
  auto [wrong, wrong_field] = error_of(R"({"revenue":"1000.00"})");
  CHECK(wrong_field == "revenue");
  CHECK(wrong == "field 'revenue' (money) must be a JSON number, not a string");
  CHECK(error_of(R"({"customer_id":12})").second == "customer_id");
  CHECK(error_of(R"({"defaults_24m":true})").second == "defaults_24m");
  CHECK(error_of(R"({"industry":{"name":"retail"}})").second == "industry");
  CHECK(error_of(R"({"industry":["retail"]})").second == "industry");
  CHECK(error_of(R"({"revenue":1,"revenue":2})").first == "field 'revenue' appears twice");
  CHECK(error_of(R"([1,2])").first == "the record must be a JSON object of field values");
  CHECK(error_of(R"({"revenue":1)").first.rfind("malformed JSON at byte", 0) == 0);
  CHECK(error_of(R"({"revenue":1} x)").first.rfind("malformed JSON", 0) == 0);
  auto [huge, huge_field] = error_of(R"({"customer_id":"C","revenue":1e400})");
  CHECK(huge == "field 'revenue': the number 1e400 is out of range");
  CHECK(huge_field == "revenue");

  // Typed setters: a double for money, a name the policy lacks.
  credo::Record r = Good(p);
  r.set("revenue", 1000.0);
  CHECK(r.error() == "field 'revenue' (money) cannot be set from a double");
  credo::Result res = p.evaluate(r);
  CHECK(res.outcome() == credo::Outcome::error);
  CHECK(res.field() == "revenue");
  credo::Record r2 = p.record();
  r2.set("turnover", credo::Decimal{1, 0});
  CHECK(p.evaluate(r2).field() == "turnover");
  CHECK(p.evaluate(credo::Record()).outcome() == credo::Outcome::error);

  // A record of another policy.
  const credo::Policy& other = Sme(credo::Engine::interpreter);
  CHECK(other.evaluate(Good(p)).outcome() == credo::Outcome::error);
}

TEST_CASE("api: JSON numbers are read from their text, never through double", "[api]") {
  const credo::Policy& p = Sme();
  std::string json = R"({"customer_id":"C-1","industry":"manufacturing","years_in_business":12,)"
                     R"("revenue":4200000.00,"net_income":380000.00,"current_assets":1500000.00,)"
                     R"("current_liabilities":900000.00,"total_assets":6000000.00,"total_liabilities":2500000.00,)"
                     R"("operating_cash_flow":520000.00,"interest_expense":60000.00,"bureau_score":742,)"
                     R"("max_days_past_due_12m":0,"defaults_24m":0,"existing_exposure":0,"requested_amount":350000.00,)"
                     R"("group_id":null})";
  CHECK(p.evaluate_json(json).to_json() == p.evaluate(Good(p)).to_json());
  // 0.1 + 0.2 style texts stay exact: 1234567890123.45 is not a double.
  credo::Record r = p.record_from_json(R"({"requested_amount":1234567890123.45})");
  CHECK(r.error() == "");
  CHECK(r.to_csv().find("1234567890123.45") != std::string::npos);
  // A number the field cannot read is a reject, as its CSV cell would be.
  std::string three_decimals = json;
  three_decimals.replace(three_decimals.find("4200000.00"), 10, "4200000.001");
  CHECK(p.evaluate_json(three_decimals).reason() == "unparsable:revenue");
}

TEST_CASE("api: a group pass over one record is a group of one", "[api]") {
  const credo::Policy& p = Sme();
  credo::Record r = Good(p);
  r.set("group_id", "G1");
  credo::Batch one(p);
  one.add(r);
  credo::BatchResult b = p.evaluate(one);
  REQUIRE(b.rows() == 1);
  credo::Result single = p.evaluate(r);
  REQUIRE(single.accepted());
  for (size_t o = 0; o < single.size(); ++o) CHECK(single.get(o) == b.columns[o].get(0));
}

TEST_CASE("api: explain and traces", "[api]") {
  for (auto engine : {credo::Engine::jit, credo::Engine::interpreter}) {
    const credo::Policy& p = Sme(engine);
    credo::Record r = Good(p);
    r.set("defaults_24m", 1);
    credo::Explanation e = p.explain(r);
    REQUIRE(e.ok());
    CHECK(e.json.find("\"schema\": \"credo.explain/1\"") != std::string::npos);
    CHECK(e.json.find("DECLINE") != std::string::npos);
    CHECK(e.text.find("K01") != std::string::npos);

    credo::Result traced = p.evaluate(r, {.trace = true});
    REQUIRE(traced.accepted());
    CHECK(traced.get("decision").to_string() == "DECLINE");
    bool k01 = false, reason = false, arm = false;
    for (const auto& f : traced.fired()) {
      k01 |= f.kind == "rule" && f.code == "K01" && f.section == "knockouts";
      reason |= f.kind == "reason";
      arm |= f.kind == "decision";
    }
    CHECK(k01);
    CHECK(reason);
    CHECK(arm);
    CHECK(traced.to_json().find("\"fired\":[") != std::string::npos);

    credo::Explanation from_json = p.explain_json(R"({"customer_id":"C-2","revenue":-1})");
    REQUIRE(from_json.ok());
    CHECK(from_json.json.find("\"status\": \"rejected\"") != std::string::npos);
    CHECK(from_json.json.find("missing:industry") != std::string::npos);
    CHECK_FALSE(p.explain_json(R"({"nope":1})").ok());
  }
}
