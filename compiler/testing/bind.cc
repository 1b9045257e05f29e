// Binds a test file to its policy: resolves base records (`from`) into complete records, checks
// every field name against the input and every expectation against the outputs.
#include "compiler/testing/bind.h"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "compiler/base/spelling.h"

namespace credo::testing {

namespace {

// "did you mean 'x'? " when a name is one or two edits away, then the full list.
std::string NameHint(const std::string& wrong, const std::vector<std::string>& names, const char* what) {
  int best = Closest(wrong, names, 3);  // one or two edits
  std::string hint = best < 0 ? "" : fmt::format("did you mean '{}'? ", names[size_t(best)]);
  if (names.empty()) return hint + fmt::format("the policy has no {}", what);
  return hint + fmt::format("the {} are: {}", what, fmt::join(names, ", "));
}

int IndexOf(const std::vector<std::string>& names, const std::string& name) {
  auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : int(it - names.begin());
}

class Binder {
 public:
  Binder(const TestFile& file, const rt::PolicyInfo& info, std::vector<TestFileError>& errors)
      : file_(file), info_(info), errors_(errors) {
    for (const auto& f : info.inputs) inputs_.push_back(f.name);
    for (const auto& o : info.outputs) outputs_.push_back(o.name);
    for (const auto& g : info.group_outputs) group_outputs_.push_back(g.name);
  }

  BoundFile Bind() {
    BoundFile out;
    for (const auto& r : file_.records) records_.push_back(Resolve(r.name, "record", r.span, r.from, r.from_span, r.fields));
    for (const auto& k : file_.cases) {
      BoundCase bound{&k, {}, {}};
      if (auto cells = Resolve(k.name, "case", k.span, k.from, k.from_span, k.fields)) bound.cells = std::move(*cells);
      for (const auto& e : k.expects) bound.checks.push_back(Check(e));
      out.cases.push_back(std::move(bound));
    }
    // Units in file order: a lone case where it stands, a group where its first case stands.
    std::vector<bool> group_added(file_.groups.size(), false);
    for (size_t i = 0; i < file_.cases.size(); ++i) {
      int g = file_.cases[i].group;
      if (g < 0) {
        out.units.push_back({-1, {i}, {}});
      } else if (!group_added[size_t(g)]) {
        group_added[size_t(g)] = true;
        RunUnit unit{g, file_.groups[size_t(g)].cases, {}};
        for (const auto& e : file_.groups[size_t(g)].expects) unit.checks.push_back(Check(e));
        out.units.push_back(std::move(unit));
      }
    }
    return out;
  }

 private:
  void Error(Span span, std::string message, std::string hint = {}) {
    errors_.push_back({span, std::move(message), std::move(hint)});
  }

  // The complete cells of a record or case: its base's, overridden by its own fields.
  std::optional<std::vector<std::string>> Resolve(const std::string& name, const char* what, Span span,
                                                  const std::string& from, Span from_span,
                                                  const std::vector<FieldValue>& fields) {
    std::vector<std::optional<std::string>> cells(inputs_.size());
    bool ok = true;
    if (!from.empty()) {
      int base = -1;
      for (size_t r = 0; r < records_.size(); ++r)
        if (file_.records[r].name == from) base = int(r);
      if (base < 0) {
        bool below = std::any_of(file_.records.begin(), file_.records.end(), [&](const RecordDef& r) { return r.name == from; });
        Error(from_span, fmt::format("no record named '{}' above this {}", from, what),
              below ? "declare the base record before the records and cases that use it"
                    : "declare it with `record NAME ... end`, or list every field here");
        ok = false;
      } else if (!records_[size_t(base)]) {
        ok = false;  // the base has its own error
      } else {
        for (size_t f = 0; f < cells.size(); ++f) cells[f] = (*records_[size_t(base)])[f];
      }
    }
    for (const auto& field : fields) {
      int f = IndexOf(inputs_, field.name);
      if (f < 0) {
        Error(field.name_span, fmt::format("the policy's input has no field '{}'", field.name), NameHint(field.name, inputs_, "input fields"));
        ok = false;
        continue;
      }
      cells[size_t(f)] = field.text;
    }
    if (ok && from.empty()) {
      std::vector<std::string> absent;
      for (size_t f = 0; f < cells.size(); ++f)
        if (!cells[f]) absent.push_back(inputs_[f]);
      if (!absent.empty()) {
        Error(span, fmt::format("{} '{}' gives no value for {}", what, name, fmt::join(absent, ", ")),
              "list every input field (`FIELD =` with nothing after it is a missing cell), or start from a base record with `from`");
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    std::vector<std::string> out;
    for (auto& c : cells) out.push_back(std::move(*c));
    return out;
  }

  BoundCheck Check(const Expectation& e) {
    BoundCheck check{&e};
    switch (e.target) {
      case Expectation::Target::Reject: break;
      case Expectation::Target::Column:
        check.column = IndexOf(outputs_, e.column);
        if (check.column < 0)
          Error(e.span, fmt::format("the policy has no output column '{}'", e.column), NameHint(e.column, outputs_, "output columns"));
        break;
      case Expectation::Target::GroupColumn: {
        check.output = IndexOf(group_outputs_, e.output);
        if (check.output < 0) {
          Error(e.span, fmt::format("the policy has no per-group output '{}'", e.output), NameHint(e.output, group_outputs_, "per-group outputs"));
          break;
        }
        const rt::GroupOutput& output = info_.group_outputs[size_t(check.output)];
        std::vector<std::string> columns;
        for (const auto& c : output.columns) columns.push_back(c.name);
        check.column = IndexOf(columns, e.column);
        if (check.column < 0)
          Error(e.span, fmt::format("the per-group output '{}' has no column '{}'", e.output, e.column), NameHint(e.column, columns, "its columns"));
        std::string key = info_.inputs[size_t(info_.group_key)].name;
        check.key_column = IndexOf(columns, key);
        if (check.key_column < 0)
          Error(e.span, fmt::format("the per-group output '{}' has no column '{}' to find the group's row by", e.output, key),
                fmt::format("add the group key `{}` to the output's columns", key));
        break;
      }
    }
    return check;
  }

  const TestFile& file_;
  const rt::PolicyInfo& info_;
  std::vector<TestFileError>& errors_;
  std::vector<std::string> inputs_, outputs_, group_outputs_;
  std::vector<std::optional<std::vector<std::string>>> records_;  // resolved, in file order
};

}  // namespace

BoundFile Bind(const TestFile& file, const rt::PolicyInfo& info, std::vector<TestFileError>& errors) {
  return Binder(file, info, errors).Bind();
}

}  // namespace credo::testing
