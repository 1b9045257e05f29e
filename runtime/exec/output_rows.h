// output_rows.h — the text a run writes (internal to runtime/exec): the output rows of accepted
// records (CSV or JSON Lines), the rejects file's rows, and the rows of per-group outputs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/exec/pending.h"
#include "runtime/exec/runner.h"
#include "runtime/io/csv.h"

namespace credo::exec {

// A group's row of a per-group output: its first accepted member.
struct GroupRow {
  const rt::StateBatch* state;
  size_t r;
  int64_t line;
};

class OutputRows {
 public:
  OutputRows(const rt::PolicyInfo& info, const RunOptions& options);
  // The --keep columns written first, by name (set once the input's header is read).
  void SetKeptNames(std::vector<std::string> names) { kept_names_ = std::move(names); }

  // Appends the output rows of the accepted records of `p` to `buf`; with `row_ends`, also
  // where each row ends in `buf`.
  void Format(const Pending& p, std::string& buf, std::vector<size_t>* row_ends = nullptr) const;
  void WriteHeader(std::string& buf) const;

  void WriteRejectsHeader(std::string& buf) const;
  void AppendRejectRow(const Reject& rj, std::string& buf) const;

  // Per-group outputs (docs/language.md, "Several outputs"): each group's first accepted
  // member, in the groups' first-member order, sorted by the output's keys.
  static std::vector<GroupRow> FirstMembers(const std::vector<std::unique_ptr<Pending>>& all, size_t groups);
  void SortGroupRows(const rt::GroupOutput& o, std::vector<GroupRow>& rows) const;
  static void WriteGroupHeader(const rt::GroupOutput& o, std::string& buf);
  void FormatGroupRow(const rt::GroupOutput& o, const GroupRow& row, std::string& buf) const;
  void GroupOrderKey(const rt::GroupOutput& o, const GroupRow& row, std::string& key) const;

 private:
  // Texts kept back to back in one string with kTextSlack bytes after the last, so that a short
  // one is copied as a fixed 16 bytes (the bytes after it are overwritten by what follows).
  struct TextRef {
    uint32_t offset, size;
  };
  // How the CSV path writes one output column, worked out once from its type.
  struct ColumnPlan {
    enum class Writer : uint8_t {
      Int,      // digits::WriteInteger
      Decimal,  // digits::WriteDecimal at `scale`
      String,   // the Str, quoted when it needs it
      Bool,     // `cells` are false, true
      Cells,    // enums: the value indexes `cells`, texts quoted once here
      Codes,    // lists of codes: `cells` are the code names, joined by ';'
      Other,    // numbers and dates: rt::AppendValue
    };
    Writer writer;
    bool optional;  // may be missing: read `valid`
    bool ranked;    // Codes: a ranked list
    int8_t scale;   // Decimal
    int slot;       // the record-state slot the column prints
    uint32_t max_bytes;  // the most a cell takes (a string's own length is added per row)
    std::vector<TextRef> cells;
  };
  // A column's plan with its batch's arrays, as Format reads them for every row.
  struct ColumnRun {
    ColumnPlan::Writer writer;
    bool ranked;
    int8_t scale;
    const int64_t* values;
    const uint8_t* valid;  // null when never missing
    const TextRef* cells;
    size_t cell_count;
    int slot;
  };
  static constexpr size_t kTextSlack = 16;  // PutText's fixed copy
  static constexpr size_t kShortText = 64;  // strings Format leaves room for without measuring
  static constexpr uint32_t kOtherBytes = 48;  // rt::AppendNumber writes at most 48, dates 15

  void PlanColumns();
  uint32_t AddText(std::string_view text);
  void FormatJson(const Pending& p, std::string& buf, std::vector<size_t>* row_ends) const;
  char* WriteRow(const Pending& p, size_t r, const std::vector<ColumnRun>& runs, char* at, std::string& scratch,
                 size_t longest) const;
  static int Compare(rt::Kind kind, int64_t a, int64_t b);
  std::string IdName() const { return info_.inputs.empty() ? "id" : info_.inputs[0].name; }

  const rt::PolicyInfo& info_;
  const RunOptions& options_;
  bool json_;                                         // JSON Lines output
  std::vector<std::string> kept_names_;
  std::vector<ColumnPlan> plan_;      // per output column
  std::vector<size_t> string_columns_;  // the String columns, whose lengths bound a row
  std::string texts_;                 // the TextRefs' bytes
  size_t fixed_bytes_ = 0;            // a row's bytes but for its strings, plus kTextSlack
};

}  // namespace credo::exec
