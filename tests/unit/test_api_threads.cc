// One compiled policy evaluated from 8 threads at once (the hot path takes no lock): every
// result equals the one evaluated alone, on both engines, for every SME portfolio record.
#include <catch2/catch.hpp>

#include <credo/credo.hpp>

#include <atomic>
#include <thread>

#include "tests/unit/api_cases.h"

TEST_CASE("api: 8 threads evaluate one policy at once", "[api]") {
  std::string root = CREDO_SOURCE_DIR;
  credo::testdata::CsvRows rows = credo::testdata::ReadCsvRows(root + "/examples/sme-portfolio.csv");
  REQUIRE(rows.size() == 5000);
  for (auto engine : {credo::Engine::jit, credo::Engine::interpreter}) {
    auto compiled = credo::Policy::compile_file(root + "/policies/sme-credit-v1.credo", {.engine = engine});
    REQUIRE(compiled.ok());
    const credo::Policy policy = *compiled.policy;
    // Each record's result alone, and the record as JSON (strings quoted, numbers as written).
    std::vector<std::string> expected, json;
    const credo::Description& d = policy.describe();
    for (const auto& cells : rows.cells) {
      credo::Record r = policy.record();
      for (size_t f = 0; f < cells.size(); ++f) r.set_text(f, cells[f]);
      expected.push_back(policy.evaluate(r).to_json());
      std::string j = "{";
      for (size_t f = 0; f < cells.size() && f < d.inputs.size(); ++f) {
        bool text = d.inputs[f].kind == credo::ValueKind::string || d.inputs[f].kind == credo::ValueKind::enumeration;
        j += (f ? ",\"" : "\"") + d.inputs[f].name + "\":" +
             (cells[f].empty() ? "null" : text ? "\"" + cells[f] + "\"" : cells[f]);
      }
      json.push_back(j + "}");
    }
    // Cells that are no JSON numbers (e.g. "1e5x") make some of those texts malformed: those
    // records are evaluated from text on every thread.
    std::vector<bool> json_ok;
    size_t json_rows = 0;
    for (size_t r = 0; r < rows.size(); ++r) {
      json_ok.push_back(!rows.malformed[r] && policy.evaluate_json(json[r]).to_json() == expected[r]);
      json_rows += json_ok.back();
    }
    CHECK(json_rows > rows.size() * 9 / 10);
    std::atomic<size_t> mismatches{0}, done{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
      threads.emplace_back([&, t] {
        credo::Record record = policy.record();  // one record and one result per thread, reused
        credo::Result result;
        for (size_t k = 0; k < rows.size(); ++k) {
          size_t r = (k + size_t(t) * 611) % rows.size();  // each thread in its own order
          if (t % 2 || !json_ok[r]) {
            record.clear();
            for (size_t f = 0; f < rows.cells[r].size(); ++f) record.set_text(f, rows.cells[r][f]);
            policy.evaluate(record, result);
          } else {
            policy.evaluate_json(json[r], result);
          }
          if (result.to_json() != expected[r]) ++mismatches;
          ++done;
        }
      });
    for (auto& t : threads) t.join();
    CHECK(done == 8 * rows.size());
    CHECK(mismatches == 0);
  }
}
