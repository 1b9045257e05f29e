// coverage.cc — CoverageTracker (coverage.h): items from probes, hits from traces, excuses.
#include "compiler/testing/coverage.h"

#include "compiler/driver/reference_data.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "compiler/base/spelling.h"
#include "compiler/explain/records.h"
#include "compiler/interp/trace.h"

namespace credo::testing {

namespace {

using ir::Probe;
using ir::ProbeKind;

// The kind of a coverage item as reports print it; null for probes that are not items.
const char* KindName(ProbeKind kind) {
  switch (kind) {
    case ProbeKind::Rule: return "rule";
    case ProbeKind::MissingFalse: return "missing branch";
    case ProbeKind::Bin: return "bin";
    case ProbeKind::BandRange: return "band range";
    case ProbeKind::TableEntry: return "table entry";
    case ProbeKind::DecisionRow: return "decision row";
    case ProbeKind::DecisionArm: return "decision arm";
    case ProbeKind::Fallback: return "fallback";
    case ProbeKind::Warning: return "warning";
    case ProbeKind::GroupAction: return "group action";
    default: return nullptr;
  }
}

// "bin 3" -> "3": the position the lowering gives an element inside its parent.
std::string Position(const std::string& name) {
  size_t space = name.rfind(' ');
  return space == std::string::npos ? name : name.substr(space + 1);
}

// The item's name: its kind and what finds it in the policy, e.g. "bin 2 of C01".
std::string ItemName(const std::vector<Probe>& probes, const Probe& p) {
  std::string parent = p.parent >= 0 ? probes[size_t(p.parent)].name : "";
  switch (p.kind) {
    case ProbeKind::Rule: return "rule " + p.name;
    case ProbeKind::MissingFalse:  // of its rule, warning or decision arm
      if (p.parent >= 0 && KindName(probes[size_t(p.parent)].kind))
        return "missing branch of " + ItemName(probes, probes[size_t(p.parent)]);
      return "missing branch of " + p.name;
    case ProbeKind::Warning: return "warning " + p.name;
    case ProbeKind::GroupAction: return "group action " + p.name;
    case ProbeKind::DecisionArm: return "decision arm " + Position(p.name);
    case ProbeKind::Bin: return fmt::format("bin {} of {}", Position(p.name), parent);
    case ProbeKind::BandRange: return fmt::format("band range {} of {}", Position(p.name), parent);
    case ProbeKind::TableEntry: return fmt::format("table entry {} of {}", Position(p.name), parent);
    case ProbeKind::DecisionRow: return fmt::format("decision row {} of {}", p.name, parent);
    case ProbeKind::Fallback: {
      if (p.parent < 0) return "fallback";
      const Probe& of = probes[size_t(p.parent)];
      return "fallback in " + (KindName(of.kind) ? ItemName(probes, of) : of.name);
    }
    default: return p.name;
  }
}

// The item's source text. A rule's or a warning's probe spans only its code, so for those the
// text is the rest of its line ("K01 "Under 18" when age < 18 => decline").
std::string ItemText(const SourceFile& source, const Probe& p) {
  if (!p.text.empty() && p.text != p.name) return p.text;
  std::string_view text = source.text();
  size_t end = text.find('\n', p.offset);
  return OnOneLine(text.substr(p.offset, (end == std::string_view::npos ? text.size() : end) - p.offset), 100);
}

}  // namespace

CoverageTracker::CoverageTracker(std::string path, Compilation probed)
    : path_(std::move(path)), probed_(std::move(probed)) {
  if (!probed_.ok()) return;  // not expected: the same text compiled without probes
  const auto& probes = probed_.program->probes;
  std::map<std::pair<uint32_t, ProbeKind>, size_t> at_offset;  // an element probed in both programs is one item
  for (size_t i = 0; i < probes.size(); ++i) {
    const Probe& p = probes[i];
    const char* kind = KindName(p.kind);
    if (p.hit < 0 || !kind) continue;  // not a coverage item (or not tracked: probes.h)
    auto [it, added] = at_offset.try_emplace({p.offset, p.kind}, items_.size());
    if (!added) {
      items_[it->second].probes.push_back(int32_t(i));
      continue;
    }
    LineCol at = probed_.source->Locate(p.offset);
    Uncovered where{path_, at.line, at.column, kind, ItemName(probes, p), ItemText(*probed_.source, p)};
    items_.push_back({{int32_t(i)}, std::move(where), ""});
  }
  std::stable_sort(items_.begin(), items_.end(), [&](const CoverageItem& a, const CoverageItem& b) {
    return probes[size_t(a.probes[0])].offset < probes[size_t(b.probes[0])].offset;
  });
  // Names are unique: items that would share one (two `??` in one let, the same `set` in two
  // group statements) are told apart by their line, then their column.
  for (int pass = 0; pass < 2; ++pass) {
    std::map<std::string, int> count;
    for (const auto& item : items_) ++count[item.where.name];
    for (auto& item : items_)
      if (count[item.where.name] > 1)
        item.where.name +=
            pass == 0 ? fmt::format(" at line {}", item.where.line) : fmt::format(":{}", item.where.column);
  }
}

bool CoverageTracker::Mark(std::string_view csv, const std::vector<std::string>& cases, std::string& error) {
  if (!probed_.ok()) {
    error = "the policy did not compile with probes";
    return false;
  }
  const ir::Program& program = *probed_.program;
  explain::Records records;
  if (!explain::ReadRecords(program.info, csv, records, error)) return false;
  Trace trace = TraceBatch(program, records.batch, records.unparsed, references_);
  for (auto& item : items_) {
    if (!item.covered_by.empty()) continue;
    for (size_t r = 0; r < trace.rows && r < cases.size() && item.covered_by.empty(); ++r) {
      if (trace.status[r] != 0) continue;
      for (int32_t i : item.probes) {
        const Probe& p = program.probes[size_t(i)];
        if (trace.Present(p.hit, r, p.group) && trace.Value(p.hit, r, p.group) != 0) item.covered_by = cases[r];
      }
    }
  }
  return true;
}

bool CoverageTracker::UseReferences(const std::map<std::string, std::string>& texts, std::string& error) {
  if (!probed_.ok()) return true;  // Mark reports it
  references_ = LoadReferenceTexts(*probed_.program, texts, nullptr, error);
  return references_ != nullptr;
}

PolicyCoverage CoverageTracker::Summarize(const std::vector<ExcuseAt>& excuses,
                                          std::vector<std::vector<TestFileError>>& errors) const {
  std::vector<const ExcuseAt*> excused_by(items_.size(), nullptr);
  for (const ExcuseAt& at : excuses) {
    const Excuse& e = at.excuse;
    auto error = [&](std::string message, std::string hint) {
      errors[at.result].push_back({e.span, std::move(message), std::move(hint)});
    };
    std::vector<size_t> matched;
    for (size_t i = 0; i < items_.size(); ++i)
      if (e.item.empty() ? items_[i].where.line == e.line : items_[i].where.name == e.item) matched.push_back(i);
    if (matched.empty() && !e.item.empty()) {
      std::vector<std::string> names;
      for (const auto& item : items_) names.push_back(item.where.name);
      int closest = Closest(e.item, names, 4);
      error(fmt::format("{} has no coverage item named \"{}\"", path_, e.item),
            closest >= 0 ? fmt::format("did you mean \"{}\"?", names[size_t(closest)])
                    : "name the item as `credo test --coverage` prints it, e.g. \"rule K01\", or by `line N`");
      continue;
    }
    if (matched.empty()) {
      error(fmt::format("line {} of {} has no coverage item", e.line, path_),
            "`credo test --coverage` lists each item not covered with its line");
      continue;
    }
    std::vector<size_t> open;  // matched and not covered
    for (size_t i : matched)
      if (items_[i].covered_by.empty()) open.push_back(i);
    if (open.empty()) {
      const CoverageItem& item = items_[matched[0]];
      std::string what = e.item.empty() ? fmt::format("every item on line {} is covered", e.line)
                                        : fmt::format("\"{}\" is covered", e.item);
      error(fmt::format("{}: {} exercises it", what, item.covered_by),
            "remove this line: covered items need no excuse");
      continue;
    }
    if (open.size() > 1 && e.item.empty()) {  // a line excuses one item: the others may be reachable
      std::string names;
      for (size_t i : open) names += fmt::format("{}\"{}\"", names.empty() ? "" : ", ", items_[i].where.name);
      error(fmt::format("line {} has {} items not covered", e.line, open.size()),
            fmt::format("excuse each by its name: {}", names));
      continue;
    }
    for (size_t i : open) {
      if (!excused_by[i]) {
        excused_by[i] = &at;
      } else if (!e.item.empty()) {
        LineCol first = excused_by[i]->file->Locate(excused_by[i]->excuse.span.begin);
        error(fmt::format("\"{}\" is excused twice", items_[i].where.name),
              fmt::format("it is excused already at {}:{}; keep one excuse", excused_by[i]->file->path(), first.line));
      }
    }
  }
  PolicyCoverage out;
  out.policy = path_;
  out.total = items_.size();
  for (size_t i = 0; i < items_.size(); ++i) {
    if (!items_[i].covered_by.empty()) {
      ++out.covered;
    } else if (const ExcuseAt* at = excused_by[i]) {
      LineCol where = at->file->Locate(at->excuse.span.begin);
      out.excused.push_back({items_[i].where, at->excuse.because, fmt::format("{}:{}", at->file->path(), where.line)});
    } else {
      out.uncovered.push_back(items_[i].where);
    }
  }
  return out;
}

}  // namespace credo::testing
