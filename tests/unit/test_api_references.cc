// Reference data through the C++ API (CompileOptions::references): policies/group-exposure-v1
// with its ledger, group limits and watch list, given as files, CSV text, JSON Lines text and
// rows, gives on both engines exactly what `credo run --ref ... --ref-rejects` writes: the
// outputs, the rejects with their detail texts, and the reference rows set aside. Then the
// errors: a reference not given or not declared, an unreadable file, a missing column, a bad row
// not set aside.
#include <catch2/catch.hpp>

#include <credo/credo.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>

#include "runtime/io/csv.h"
#include "tests/unit/api_cases.h"

namespace {

namespace fs = std::filesystem;
using credo::testdata::CsvLine;
using credo::testdata::CsvRows;
using credo::testdata::ReadCsvRows;
using credo::testdata::ReadText;

const std::string kDir = std::string(CREDO_SOURCE_DIR) + "/tests/policies/group-exposure-v1";
const std::string kPolicy = std::string(CREDO_SOURCE_DIR) + "/policies/group-exposure-v1.credo";

std::map<std::string, std::string> Files() {
  return {{"facilities", kDir + "/ledger.csv"},
          {"group_facilities", kDir + "/ledger.csv"},
          {"group_limits", kDir + "/group-limits.csv"},
          {"watch_list", kDir + "/watch-list.csv"}};
}


// What `credo run` writes for the policy's input with the reference files: output, rejects
// (line,id,reason,detail), reference rejects; run once per engine into a temporary folder.
struct RunFiles {
  std::string out, rejects, ref_rejects;
};

RunFiles RunCredo(const std::string& engine) {
  fs::path dir = fs::temp_directory_path() / ("credo-api-refs-" + std::to_string(::getpid()) + "-" + engine);
  fs::create_directories(dir);
  std::string command = std::string(CREDO_BINARY) + " run " + kPolicy + " --engine=" + engine + " --in " + kDir +
                        "/input.csv --out " + (dir / "out.csv").string() + " --rejects " + (dir / "rej.csv").string() +
                        " --ref-rejects " + (dir / "refrej.csv").string();
  for (const auto& [name, file] : Files()) command += " --ref " + name + "=" + file;
  REQUIRE(std::system((command + " 2>/dev/null").c_str()) == 0);
  RunFiles files{ReadText(dir / "out.csv"), ReadText(dir / "rej.csv"), ReadText(dir / "refrej.csv")};
  fs::remove_all(dir);
  return files;
}

// The input file's well-formed records (a bad quote or a wrong number of cells is rejected by
// the CSV reader before any field is read: no batch row), their columns as text.
struct Input {
  CsvRows rows;
  std::vector<size_t> batch_rows;  // batch row → record of `rows`
  std::vector<std::vector<std::string_view>> columns;
};

credo::Batch InputBatch(const credo::Policy& policy, Input& in) {
  in.rows = ReadCsvRows(kDir + "/input.csv");
  in.columns.assign(in.rows.header.size(), {});
  for (size_t r = 0; r < in.rows.size(); ++r) {
    if (in.rows.malformed[r]) continue;
    in.batch_rows.push_back(r);
    for (size_t f = 0; f < in.rows.header.size(); ++f) in.columns[f].push_back(in.rows.cells[r][f]);
  }
  credo::Batch batch(policy);
  for (size_t f = 0; f < in.rows.header.size(); ++f) batch.set_text(in.rows.header[f], in.columns[f]);
  return batch;
}

// The batch's rejects as credo run writes its rejects file, detail included (a duplicate's
// first row, "row N" of the batch, named by its line, as the run does).
std::string RejectsCsv(const credo::BatchResult& out, const Input& in) {
  std::string csv = "line," + in.rows.header[0] + ",reason,detail\n";
  for (const auto& rj : out.rejects) {
    std::string detail = rj.detail;
    if (size_t at = detail.find(" on row "); at != std::string::npos)
      detail = detail.substr(0, at) + " on line " +
               std::to_string(in.rows.line[in.batch_rows[std::stoul(detail.substr(at + 8))]]);
    csv += std::to_string(in.rows.line[in.batch_rows[rj.row]]) + "," + CsvLine({rj.id, rj.reason, detail}) + "\n";
  }
  return csv;
}

// The run's rejects file less the rows of malformed records.
std::string WellFormedRejects(const std::string& rejects_csv, const Input& in) {
  std::string out;
  size_t begin = 0;
  for (size_t end; (end = rejects_csv.find('\n', begin)) != std::string::npos; begin = end + 1) {
    std::string line = rejects_csv.substr(begin, end - begin + 1);
    int64_t at = begin == 0 ? 0 : std::atoll(line.c_str());
    size_t r = std::find(in.rows.line.begin(), in.rows.line.end(), at) - in.rows.line.begin();
    if (r < in.rows.size() && in.rows.malformed[r]) continue;
    out += line;
  }
  return out;
}

std::string ReferenceRejectsCsv(const std::vector<credo::ReferenceReject>& rejects) {
  std::string csv = "reference,line,key,reason\n";
  for (const auto& r : rejects) csv += CsvLine({r.reference, std::to_string(r.line), r.key, r.reason}) + "\n";
  return csv;
}

credo::CompileResult Compile(credo::Engine engine, std::map<std::string, credo::ReferenceData> refs, bool set_aside = true) {
  credo::CompileOptions options{.engine = engine};
  options.references = std::move(refs);
  options.set_aside_bad_reference_rows = set_aside;
  return credo::Policy::compile_file(kPolicy, options);
}

std::map<std::string, credo::ReferenceData> AsFiles() {
  std::map<std::string, credo::ReferenceData> refs;
  for (const auto& [name, file] : Files()) refs[name] = credo::ReferenceData::file(file);
  return refs;
}

}  // namespace

TEST_CASE("api references: files, texts and rows give credo run's outputs, rejects and details", "[api]") {
  // Each way of giving the data: the files, their text in memory, and rows of cells.
  std::map<std::string, std::map<std::string, credo::ReferenceData>> ways;
  ways["files"] = AsFiles();
  for (const auto& [name, file] : Files()) {
    ways["csv text"][name] = credo::ReferenceData::csv(ReadText(file));
    CsvRows cells = ReadCsvRows(file);
    ways["rows"][name] = credo::ReferenceData::rows(cells.header, cells.cells);
  }
  for (const std::string engine : {"interp", "jit"}) {
    RunFiles run = RunCredo(engine);
    for (const auto& [way, refs] : ways) {
      INFO(engine << ", reference data as " << way);
      credo::CompileResult compiled = Compile(engine == "jit" ? credo::Engine::jit : credo::Engine::interpreter, refs);
      INFO(compiled.error);
      REQUIRE(compiled.ok());
      const credo::Policy& policy = *compiled.policy;
      CHECK(ReferenceRejectsCsv(compiled.reference_rejects) == run.ref_rejects);
      Input in;
      credo::Batch batch = InputBatch(policy, in);
      REQUIRE(batch.error() == "");
      for (size_t threads : {size_t(1), size_t(3)}) {
        credo::BatchResult out = policy.evaluate(batch, threads);
        REQUIRE(out.ok());
        CHECK(out.to_csv() == run.out);
        CHECK(RejectsCsv(out, in) == WellFormedRejects(run.rejects, in));
      }
    }
  }
}

TEST_CASE("api references: a record alone, explain and traces read the reference data", "[api]") {
  for (credo::Engine engine : {credo::Engine::jit, credo::Engine::interpreter}) {
    credo::CompileResult compiled = Compile(engine, AsFiles());
    REQUIRE(compiled.ok());
    const credo::Policy& policy = *compiled.policy;
    // C000-1 is on the watch list, with facilities in the ledger (ledger.csv, watch-list.csv).
    credo::Record rec = policy.record();
    rec.set_text("request_id", "Q1").set_text("customer_id", "C000-1").set_text("group_id", "G000");
    rec.set_text("grade", "A").set_text("amount", "1000.00");
    credo::Result r = policy.evaluate(rec, {.trace = true});
    REQUIRE(r.accepted());
    CHECK(r.get("facilities_held") != credo::Value(int64_t(0)));
    CHECK(r.get("group_existing").to_string() != "0.00");
    CHECK(!r.fired().empty());
    credo::Explanation e = policy.explain(rec);
    REQUIRE(e.ok());
    CHECK(e.text.find("group_limits[group_id].limit = 2800000.00") != std::string::npos);

    const credo::Description& d = policy.describe();
    REQUIRE(d.references.size() == 4);
    CHECK(d.references[0].name == "facilities");
    CHECK(d.references[0].key == "customer_id");
    CHECK(d.references[0].many);
    CHECK(d.references[0].rows == ReadCsvRows(kDir + "/ledger.csv").size());
    uint64_t rejected = 0;
    for (const auto& ref : d.references) rejected += ref.rejected;
    CHECK(rejected == compiled.reference_rejects.size());
    CHECK(d.references[2].name == "group_limits");
    CHECK(!d.references[2].many);
    CHECK(d.references[2].fields == std::vector<std::string>{"group_id", "limit"});
  }
}

TEST_CASE("api references: JSON Lines text gives the CSV's outputs", "[api]") {
  std::map<std::string, credo::ReferenceData> refs = AsFiles();
  refs["watch_list"] = credo::ReferenceData::json_lines(
      "{\"customer_id\":\"C000-1\",\"reason\":\"fraud review\"}\n");
  std::map<std::string, credo::ReferenceData> csv = AsFiles();
  csv["watch_list"] = credo::ReferenceData::csv("customer_id,reason\nC000-1,fraud review\n");
  auto a = Compile(credo::Engine::interpreter, refs), b = Compile(credo::Engine::interpreter, csv);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  Input in_a, in_b;
  credo::Batch batch_a = InputBatch(*a.policy, in_a);
  credo::Batch batch_b = InputBatch(*b.policy, in_b);
  CHECK(a.policy->evaluate(batch_a).to_csv() == b.policy->evaluate(batch_b).to_csv());
  CHECK(a.policy->describe().references[3].rows == 1);
}

TEST_CASE("api references: refused reference data says why", "[api]") {
  auto error_of = [](std::map<std::string, credo::ReferenceData> refs, bool set_aside = true) {
    credo::CompileResult r = Compile(credo::Engine::interpreter, std::move(refs), set_aside);
    CHECK(!r.ok());
    CHECK(r.reference_error);
    CHECK(r.rendered.find(r.error) != std::string::npos);
    return r.error;
  };
  auto refs = AsFiles();
  refs.erase("watch_list");
  {  // what to give is known from the refusal
    credo::CompileResult r = Compile(credo::Engine::interpreter, refs);
    CHECK(r.name == "group_exposure");
    CHECK(r.references_declared == std::vector<std::string>{"facilities", "group_facilities", "group_limits", "watch_list"});
  }
  CHECK(error_of(refs) ==
        "the policy reads reference data 'watch_list', which was not given (give the data of each of its references: "
        "facilities, group_facilities, group_limits, watch_list)");
  refs = AsFiles();
  refs["ledger"] = credo::ReferenceData::file(kDir + "/ledger.csv");
  CHECK(error_of(refs) == "reference data 'ledger' was given, but the policy has no reference 'ledger'; its references "
                          "are: facilities, group_facilities, group_limits, watch_list");
  refs = AsFiles();
  refs["watch_list"] = credo::ReferenceData::file(kDir + "/no-such-file.csv");
  CHECK(error_of(refs) == "reference watch_list: cannot read " + kDir + "/no-such-file.csv: No such file or directory");
  refs = AsFiles();
  refs["watch_list"] = credo::ReferenceData::csv("customer_id\nC1\n");
  CHECK(error_of(refs) == "reference watch_list (<watch_list>) has no column 'reason' (its header is: customer_id)");
  refs = AsFiles();
  refs["watch_list"].text = "customer_id,reason\n";
  CHECK(error_of(refs).find("has both a file") != std::string::npos);
  // A bad row, not set aside: the first one, by reference and line.
  CHECK(error_of(AsFiles(), false) == "reference facilities (" + kDir + "/ledger.csv) line " +
                                          ReadCsvRows(kDir + "/ref-rejects.csv").cells[0][1] + ": " +
                                          ReadCsvRows(kDir + "/ref-rejects.csv").cells[0][3] +
                                          " (set bad reference rows aside to compile without them)");
  // A policy without references takes none.
  credo::CompileOptions options;
  options.references["x"] = credo::ReferenceData::csv("a\n1\n");
  credo::CompileResult r = credo::Policy::compile_file(std::string(CREDO_SOURCE_DIR) + "/policies/sme-credit-v1.credo", options);
  CHECK(r.error == "reference data 'x' was given, but the policy declares no reference data");
}
