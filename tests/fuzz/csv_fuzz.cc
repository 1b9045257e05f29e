// csv_fuzz — libFuzzer target for the CSV reader and the run against one policy's input schema.
// The policy (CREDO_FUZZ_POLICY, a path fixed at build time) is compiled once and evaluated by the
// interpreter; each input's bytes are the CSV file of a run (RunCsvText). Beyond "no crash":
//   - a run over text in memory never fails with an I/O error;
//   - when the header fits, every input record after it ends in the output or in the rejects:
//     rows = accepted + rejected, rows equals the records counted here by the CSV rules
//     independently of the reader, and the output and rejects hold that many records each;
//   - the result does not depend on the batch size.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "compiler/driver/compile.h"
#include "compiler/interp/interpreter.h"
#include "runtime/exec/runner.h"

namespace {

// Records in CSV text by the rules documented on io::CsvReader, written separately from it: a
// leading BOM is skipped, every line is a record (the last LF is optional), a quoted field may
// span lines, and a bad quote makes the field end at the first ',' or LF after the closing quote
// (or at the end of input when the quote never closes).
size_t CountRecords(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  size_t records = 0, i = 0, n = s.size();
  auto next_delim = [&](size_t from) {
    size_t d = s.find_first_of(",\n", from);
    return d == std::string_view::npos ? n : d;
  };
  while (i < n) {
    ++records;
    for (;;) {  // one field, starting at i
      if (i < n && s[i] == '"') {
        size_t k = i + 1;
        bool closed = false;
        for (;;) {
          size_t q = s.find('"', k);
          if (q == std::string_view::npos) break;
          k = q + 1;
          if (k < n && s[k] == '"') {
            ++k;
            continue;
          }
          closed = true;
          break;
        }
        if (!closed) return records;  // the field takes the rest of the input
        size_t after = k;
        if (after < n && s[after] == '\r' && (after + 1 == n || s[after + 1] == '\n')) ++after;
        i = after < n && s[after] != ',' && s[after] != '\n' ? next_delim(k) : after;
      } else {
        i = next_delim(i);
      }
      if (i >= n) return records;
      if (s[i++] == '\n') break;  // else a ',': the next field
    }
  }
  return records;
}

struct Policy {
  std::unique_ptr<credo::rt::Evaluator> evaluator;
};

credo::rt::Evaluator& Evaluator() {
  static Policy policy = [] {
    std::ifstream file(CREDO_FUZZ_POLICY, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    credo::Compilation c = credo::CompileSource(CREDO_FUZZ_POLICY, text.str());
    if (!c.ok()) {
      std::fprintf(stderr, "csv_fuzz: %s does not compile:\n%s", CREDO_FUZZ_POLICY,
                   c.diagnostics.Render(*c.source).c_str());
      std::abort();
    }
    return Policy{credo::MakeInterpreter(std::move(*c.program))};
  }();
  return *policy.evaluator;
}

credo::exec::TextRun Run(std::string_view csv, size_t batch_rows) {
  credo::exec::RunOptions options;
  options.batch_rows = batch_rows;
  return credo::exec::RunCsvText(Evaluator(), csv, options);
}

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "csv_fuzz: invariant broken: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Evaluator();  // compile the policy before the first input, not inside its time
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view csv(reinterpret_cast<const char*>(data), size);
  credo::exec::TextRun small = Run(csv, 3);  // several batches even for a few rows
  Require(small.status != credo::exec::RunStatus::IoError, "a run in memory failed with an I/O error");
  if (small.status != credo::exec::RunStatus::Ok) {
    Require(small.out.empty() && !small.error.empty(), "a refused input says why and writes nothing");
    return 0;
  }
  const credo::exec::RunStats& st = small.stats;
  size_t records = CountRecords(csv);
  Require(records >= 1, "a header that fits is a record");
  Require(st.rows == records - 1, "rows read = records after the header");
  Require(st.accepted + st.rejected == st.rows, "every row is accepted or rejected");
  Require(CountRecords(small.out) == st.accepted + 1, "the output holds the header and every accepted row");
  Require(CountRecords(small.rejects) == st.rejected + 1, "the rejects hold the header and every rejected row");
  credo::exec::TextRun large = Run(csv, 4096);
  Require(large.status == small.status && large.out == small.out && large.rejects == small.rejects,
          "the result does not depend on the batch size");
  return 0;
}
