// The credo C++ API from another project: compile the SME policy, describe it, evaluate a record
// built in code, one from JSON and a small batch, and print what came back.
//   embed-cpp POLICY     (e.g. policies/sme-credit-v1.credo)
#include <credo/credo.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: embed-cpp POLICY\n";
    return 2;
  }
  credo::CompileResult compiled = credo::Policy::compile_file(argv[1]);
  if (!compiled.ok()) {
    std::cerr << compiled.rendered << "embed-cpp: " << compiled.error << "\n";
    return 1;
  }
  const credo::Policy& policy = *compiled.policy;

  const credo::Description& d = policy.describe();
  std::cout << "policy " << d.name << " " << d.version << " hash " << d.hash << " (" << d.engine_version << ")\n";
  for (const auto& in : d.inputs)
    std::cout << "  input " << in.name << ": " << in.type << (in.where.empty() ? "" : " where " + in.where) << "\n";
  for (const auto& out : d.outputs) std::cout << "  output " << out.name << ": " << out.type << "\n";
  if (d.group_key) std::cout << "  group by " << *d.group_key << "\n";

  // A record built in code: exact decimals, an enum by name, the rest from text.
  credo::Record record = policy.record();
  record.set("customer_id", "C-1001")
      .set("industry", "manufacturing")
      .set("years_in_business", 12)
      .set("revenue", *credo::Decimal::parse("4200000.00"))
      .set("net_income", *credo::Decimal::parse("380000.00"))
      .set("current_assets", *credo::Decimal::parse("1500000.00"))
      .set("current_liabilities", *credo::Decimal::parse("900000.00"))
      .set("total_assets", *credo::Decimal::parse("6000000.00"))
      .set("total_liabilities", *credo::Decimal::parse("2500000.00"))
      .set_text("operating_cash_flow", "520000.00")
      .set_text("interest_expense", "60000.00")
      .set("bureau_score", 742)
      .set("max_days_past_due_12m", 0)
      .set("defaults_24m", 0)
      .set("existing_exposure", credo::Decimal{0, 2})
      .set("requested_amount", *credo::Decimal::parse("350000.00"));
  credo::Result result = policy.evaluate(record);
  std::cout << "record: " << result.to_json() << "\n";
  if (result.accepted())
    std::cout << "  decision " << result.get("decision").to_string() << ", limit "
              << result.get("approved_amount").to_string() << "\n";

  // From JSON: numbers read from their text, never through double.
  credo::Result from_json = policy.evaluate_json(
      R"({"customer_id":"C-1002","industry":"retail","revenue":-5.00,"net_income":1.00,"total_assets":10.00,)"
      R"("total_liabilities":1.00,"max_days_past_due_12m":0,"defaults_24m":0,"existing_exposure":0,)"
      R"("requested_amount":1000.00})");
  std::cout << "json: " << from_json.to_json() << "\n";
  credo::Result bad = policy.evaluate_json(R"({"customer_id":"C-1003","revenu":5})");
  std::cout << "bad json: " << bad.to_json() << "\n";

  // A small batch: columns of text, the group pass over the batch.
  credo::Batch batch(policy);
  std::vector<std::string_view> ids = {"B1", "B2", "B3"}, groups = {"G1", "G1", ""},
                                industry = {"services", "technology", "bakery"};
  std::vector<std::string_view> money = {"900000.00", "1200000.00", "50000.00"};
  std::vector<int64_t> small = {0, 0, 0};
  batch.set_text("customer_id", ids).set_text("group_id", groups).set_text("industry", industry);
  for (const char* f : {"revenue", "net_income", "total_assets", "total_liabilities", "requested_amount"})
    batch.set_text(f, money);
  batch.set_int64("max_days_past_due_12m", small).set_int64("defaults_24m", small).set_int64("existing_exposure", small);
  credo::BatchResult out = policy.evaluate(batch);
  if (!out.ok()) {
    std::cerr << "embed-cpp: " << out.error << "\n";
    return 1;
  }
  std::cout << "batch: " << out.rows() << " accepted, " << out.rejects.size() << " rejected\n" << out.to_csv();
  for (const auto& r : out.rejects) std::cout << "  reject row " << r.row << " " << r.id << ": " << r.reason << " (" << r.detail << ")\n";
  return 0;
}
