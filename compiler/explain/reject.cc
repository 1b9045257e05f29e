// reject.cc — DescribeReject (reject.h): which of the run's reject kinds a record met, and what
// the policy expected instead.
#include "compiler/explain/reject.h"

#include <fmt/format.h>

#include "runtime/exec/reject_detail.h"
#include "runtime/exec/runner.h"
#include "runtime/io/jsonl.h"

namespace credo::explain {
namespace {

using rt::Kind;

class Describer {
 public:
  Describer(const Context& c, size_t r)
      : c_(c), info_(c.compilation.program->info), ast_(c.compilation.checked->ast().inputs[0]), r_(r) {}

  Reject Describe() {
    Reject j;
    j.reason = RejectReason(info_, c_.records, c_.trace, r_);
    int32_t status = c_.trace.status[r_];
    int32_t own = c_.trace.record_status[r_];
    if (status == Trace::kUnparsed && j.reason == c_.records.parse_reason[r_])
      Unparsed(j);
    else if (status <= Trace::kDuplicate)
      Duplicate(j, size_t(Trace::kDuplicate - status));
    else
      Checked(j, status == Trace::kUnparsed ? own : status);
    return j;
  }

 private:
  std::string At(uint32_t offset) const {
    const SourceFile& s = *c_.compilation.source;
    LineCol lc = s.Locate(offset);
    return fmt::format("{}:{}:{}", s.FileAt(offset).path(), lc.line, lc.column);
  }
  std::string Text(Span span) const { return std::string(c_.compilation.source->Slice(span)); }
  void Cell(Reject& j, size_t f) const {
    j.field = info_.inputs[f].name;
    const auto& cells = c_.records.cells[r_];
    if (f < cells.size()) j.text = cells[f];
  }

  // A row that could not be read: a malformed row, or a field that did not parse.
  void Unparsed(Reject& j) const {
    j.kind = "parse";
    const auto& cells = c_.records.cells[r_];
    if (j.reason == info_.rejects.Format(rt::RejectKind::BadQuote, "")) {
      j.expected = "a well-formed CSV row: a quoted field ends with a quote before the next comma or line end";
      return;
    }
    if (j.reason == io::kBadJson) {  // the detail says what is wrong with the line, and where
      j.expected = "one JSON object per line: " + c_.records.parse_detail[r_];
      return;
    }
    if (!c_.records.whole[r_]) {
      j.expected = exec::FieldCountDetail(c_.records.row_cells[r_], c_.records.width);
      return;
    }
    size_t f = size_t(c_.records.parse_field[r_]);
    Cell(j, f);
    j.expected = exec::ExpectedText(info_, info_.inputs[f], cells[f]->empty());  // as the rejects file's detail
    j.at = At(ast_.fields[f].type.name.span.begin);
  }

  void Duplicate(Reject& j, size_t k) const {
    j.kind = "duplicate";
    size_t f = size_t(info_.unique_keys[k]);
    Cell(j, f);
    j.expected = fmt::format("a value of {} that no earlier accepted record has (`unique {}`)", j.field, j.field);
    for (const auto& u : ast_.unique)
      if (u.text == j.field) j.at = At(u.span.begin);
    const rt::Column& col = c_.records.batch.fields[f];
    std::string mine = Key(col, f, r_);
    for (size_t r = 0; r < r_ && !j.first_line; ++r)
      if (c_.trace.status[r] == 0 && col.valid[r] && Key(col, f, r) == mine) j.first_line = c_.records.line[r];
  }
  std::string Key(const rt::Column& col, size_t f, size_t r) const {
    std::string key;
    exec::AppendValue(info_, info_.inputs[f].type, col.values[r], true, key);
    return key;
  }

  // The record program failed it: a field's `where`, an input `check`, or an evaluation error.
  void Checked(Reject& j, int32_t status) const {
    const rt::RejectReason& why = info_.reasons[size_t(status)];
    if (why.field >= 0) {
      j.kind = "check";
      size_t f = size_t(why.field);
      Cell(j, f);
      j.expected = "where " + Text(ast_.fields[f].where->span);
      j.at = At(ast_.fields[f].where->span.begin);
      return;
    }
    for (const auto& check : ast_.checks)
      if (info_.rejects.Format(rt::RejectKind::Inconsistent, check.reason) == why.text) {
        j.kind = "check";
        j.expected = "check " + Text(check.condition->span);
        j.at = At(check.condition->span.begin);
        return;
      }
    j.kind = "error";  // the explanation's elements whose value carries the error show where
  }

  const Context& c_;
  const rt::PolicyInfo& info_;
  const ast::InputDecl& ast_;
  size_t r_;
};

}  // namespace

std::string Expected(const rt::PolicyInfo& info, const rt::InputField& field, bool empty) {
  return exec::ExpectedText(info, field, empty);  // the words of the rejects file's detail
}

Reject DescribeReject(const Context& context, size_t r) { return Describer(context, r).Describe(); }

}  // namespace credo::explain
