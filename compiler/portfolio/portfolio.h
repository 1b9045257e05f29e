// portfolio.h — a policy run over a whole portfolio and the figures an analyst signs a policy
// change off with (docs/portfolio.md): decision and grade mix, approval rate and amount, limits
// by grade, reasons, score distribution, per-characteristic bins; between two runs the swap set,
// grade migration, reason shift and the population stability index (PSI, and CSI per scorecard
// characteristic). The numbers live here; render.h turns them into text, JSON or HTML.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/driver/compile.h"
#include "compiler/driver/reference_data.h"
#include "runtime/exec/runner.h"

namespace credo::portfolio {

// Which output column plays which part, by name; "" to detect it from the policy.
struct RoleNames {
  std::string decision, grade, score, amount, id, approve;
};

// The parts of a policy's outputs the figures are about (output column indexes; -1: none).
struct Roles {
  int decision = -1, grade = -1, score = -1, amount = -1;
  int id_field = -1;              // the input field naming a record (the first string input)
  int decision_reason = -1;       // `decision.reason`
  std::vector<int> score_reasons; // `CARD.reason(k)`, in k order
  std::vector<int> money;         // every money output (limits by grade)
  std::string approve;            // the decision value that approves
  int amount_scale = 2;
};

// Works out the roles from the checked policy: the output holding the decision block's value,
// a band's value, a scorecard's score, the approved money amount (a money output whose name says
// "approv", else the only one). `names` overrides any of them. False with `error` saying what
// could not be told and which option settles it.
bool DetectRoles(const Compilation& policy, const RoleNames& names, Roles& roles, std::string& error);

// One scorecard characteristic and the bin each record fell into (from the probes).
struct Characteristic {
  std::string card, code, title;
  std::vector<std::string> bins;   // each bin's text as written
  std::vector<int16_t> bin;        // per record: the bin index, -1 when rejected
  std::vector<int64_t> points;     // per record: the characteristic's points
};

// A policy evaluated over every record of one input, joined by record (input order).
struct Run {
  std::string path, name, version;
  std::vector<std::string> inputs;   // the policy's input fields
  std::vector<std::string> columns;  // the output header
  std::vector<std::string> decision_values, grade_values;  // in the policy's order (enums)
  Roles roles;
  std::vector<int64_t> line;         // per record: the line it starts on
  std::vector<std::string> id;       // per record: its id (the id input's text)
  std::vector<std::string> reject;   // per record: the reject reason, "" when accepted
  // The accepted records' output cells, back to back (one string, not one per cell: a book of
  // millions of records stays a few hundred bytes a record): record r's cell c ends at
  // cell_end[first_cell[r] + c] in cell_text and starts where the cell before it ends.
  std::string cell_text;
  std::vector<uint64_t> cell_end;
  std::vector<int64_t> first_cell;   // per record: the index of its first cell, -1 when rejected
  std::vector<Characteristic> characteristics;  // filled when asked (RunOptions::bins)
  std::vector<std::string> outcome;  // per record: the --outcome column's text, when asked
  std::vector<ReferenceLoadStats> references;  // the reference data loaded (rows set aside)
  size_t size() const { return line.size(); }
  bool accepted(size_t r) const { return reject[r].empty(); }
  std::string_view Cell(size_t r, int column) const;  // "" when rejected or no such column
};

struct RunOptions {
  Engine engine = Engine::Jit;
  RoleNames roles;
  bool bins = false;         // record each characteristic's bin per record (traces the input)
  std::string outcome;       // input column with the observed outcome (1/0, true/false, yes/no)
  // How the input is written, as `credo run --format` and `--strict` say: CSV (columns found by
  // header name unless strict) or JSON Lines; either already decompressed.
  exec::Format format = exec::Format::Csv;
  bool strict = false;
  // The reference data the policy declares: name → file, as `credo run --ref NAME=FILE`. Rows
  // that fail their checks are set aside (counted in Run::references), as `credo explain` does.
  std::map<std::string, std::string> references;
};

// Why RunPortfolio failed.
enum class RunFailure {
  Policy,     // the policy cannot be run as asked (its roles, an engine error)
  Input,      // the input does not fit the policy (its header, no --outcome column)
  Reference,  // a reference file does not fit its declaration
  Read,       // a reference file cannot be read
  Internal,   // the run and the trace disagree
};

// Runs the compiled policy (`policy`, as compiled with LowerOptions::probes) over `text` with
// the engine, in process, as `credo run` does; the interpreter's trace of the same input gives
// the bins, and must agree with the engine's rows. Records are read as the run reads them
// (exec::RecordReader): their lines, ids and outcomes are the file's. False with `error` and
// `failure` saying what went wrong.
bool RunPortfolio(const Compilation& policy, std::string path, std::string_view text, const RunOptions& options,
                  Run& run, std::string& error, RunFailure& failure);

// ---- figures -------------------------------------------------------------------------------

// A count of records and the money they carry (in the amount's minor units, e.g. cents).
struct Tally {
  uint64_t count = 0;
  int64_t amount = 0;        // the run's amount (the champion's in a swap set)
  int64_t other_amount = 0;  // swap set: the challenger's amount of the same records
};

struct Mix {  // values in the policy's order, then "(rejected)" when any record was
  std::vector<std::string> values;
  std::vector<Tally> tallies;
};

struct Matrix {  // rows: the champion's values, columns: the challenger's
  std::vector<std::string> rows, columns;
  std::vector<std::vector<Tally>> cells;
};

// Score bins shared by the distributions they compare: [lo + k·width, lo + (k+1)·width).
struct Bins {
  double lo = 0, width = 1;
  size_t count = 0;
  std::string Label(size_t k) const;
};
// Bins of a "nice" width (1, 2 or 5 × 10^n) giving about ten over the range of both samples.
Bins ScoreBins(const std::vector<double>& a, const std::vector<double>& b);
std::vector<uint64_t> Histogram(const std::vector<double>& scores, const Bins& bins);
// Σ (actual − expected) · ln(actual / expected) over shares; an empty share counts as 0.0001.
double StabilityIndex(const std::vector<uint64_t>& expected, const std::vector<uint64_t>& actual);
inline constexpr double kEmptyShare = 0.0001;

struct GradeLimits {  // per grade: records, approvals, and each money output's total
  std::string grade;
  uint64_t records = 0, approved = 0;
  std::vector<int64_t> totals;  // per Roles::money
};

struct CountedText {
  std::string text;
  uint64_t count = 0, other = 0;  // other: the challenger's count (reason shift)
};

struct BinFigures {
  std::string bin;
  uint64_t count = 0;
  double share = 0, average_points = 0;
  uint64_t outcomes = 0, bads = 0;  // records with an outcome, and those with a bad one
};
struct CharacteristicFigures {
  std::string card, code, title;
  std::vector<BinFigures> bins;
  double information_value = -1;  // with an outcome: Σ (good% − bad%) · ln(good% / bad%); -1 without
};

// The figures of one run.
struct Summary {
  std::string policy, version, path;
  uint64_t records = 0, accepted = 0, rejected = 0, approved = 0;
  int64_t approved_amount = 0;
  double approval_rate = 0;  // approved / accepted
  int amount_scale = 2;
  std::vector<std::string> money_names;
  Mix decisions, grades;
  std::vector<GradeLimits> limits;
  std::vector<CountedText> decision_reasons, score_reasons, rejects;  // most frequent first
  std::vector<double> scores;  // the accepted records' scores
  double score_min = 0, score_max = 0, score_mean = 0;
  std::vector<CharacteristicFigures> characteristics;
};
Summary Summarize(const Run& run);

// Baseline against current portfolio for one policy: score PSI and CSI per characteristic.
struct CharacteristicStability {
  std::string card, code, title;
  std::vector<std::string> bins;
  std::vector<double> baseline, current;  // shares
  double index = 0;
};
struct Stability {
  Bins bins;
  std::vector<uint64_t> baseline, current;
  double psi = 0;
  std::vector<CharacteristicStability> characteristics;
};
Stability CompareStability(const Run& baseline, const Run& current);

// A record whose outcome (acceptance, decision, grade, amount or decision reason) changed.
struct Change {
  size_t record;
  std::string line, id;
  std::string decision[2], grade[2], amount[2], reason[2];
};

struct Comparison {
  Summary champion, challenger;
  Matrix swap, migration;       // migration: records both accepted, by grade
  std::vector<CountedText> decision_reason_shift, score_reason_shift;  // count = champion, other = challenger
  std::vector<CountedText> reject_shift;  // reject reasons, both sides
  Bins bins;
  std::vector<uint64_t> champion_scores, challenger_scores;
  double psi = 0;
  std::vector<Change> changes;
  std::vector<std::string> notes;  // what the reader should know (e.g. the inputs differ)
};
// `champion` and `challenger` ran over the same input (same records, same order).
Comparison Compare(const Run& champion, const Run& challenger);

// The amount in minor units as text with its scale, e.g. 12345 → "123.45".
std::string Money(int64_t minor, int scale);
// The same with thousands separated by commas, for people ("1,234,567.89").
std::string MoneyGrouped(int64_t minor, int scale);

}  // namespace credo::portfolio
