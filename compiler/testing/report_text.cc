// The text report: each failing case with what differs and a diff of its outputs, then the
// coverage of each policy, then one summary line.
#include <cmath>

#include <fmt/format.h>

#include "compiler/testing/results.h"

namespace credo::testing {

namespace {

// A value as a test file would write it: quoted when empty, or when blanks at its ends, a `#`
// or a leading quote would otherwise be lost.
std::string Show(const std::string& v) {
  bool plain = !v.empty() && v.front() != ' ' && v.back() != ' ' && v.front() != '\t' && v.back() != '\t' &&
               v.front() != '"' && v.find('#') == std::string::npos;
  if (plain) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Describe(const Mismatch& m) {
  switch (m.got) {
    case Mismatch::Got::Rejected:
      return m.label.empty() ? fmt::format("expected the record to be accepted, got a reject: {}", m.actual)
                             : fmt::format("expected {} = {}, got a reject: {}", m.label, Show(m.expected), m.actual);
    case Mismatch::Got::Accepted: return fmt::format("expected reject = {}, got the record accepted", Show(m.expected));
    case Mismatch::Got::NoRow: return fmt::format("expected {} = {}, got no row for that group", m.label, Show(m.expected));
    case Mismatch::Got::Value: break;
  }
  return fmt::format("expected {} = {}, got {}", m.label, Show(m.expected), Show(m.actual));
}

// Floored to one decimal, so that 99.96% is not shown as 100%.
std::string Percent(double p) { return fmt::format("{:.1f}%", std::floor(p * 10.0) / 10.0); }

}  // namespace

std::string UncoveredLine(const Uncovered& u) {
  return fmt::format("{}:{}:{}: not covered: {}: {}\n", u.file, u.line, u.column, u.name, u.text);
}

void RenderCaseText(std::string& out, const FileResult& file, const CaseResult& c) {
  std::string what = c.group_checks ? fmt::format("group \"{}\"", c.name) : fmt::format("case \"{}\"", c.name);
  if (!c.group.empty() && !c.group_checks) what += fmt::format(" in group \"{}\"", c.group);
  out += fmt::format("FAIL {}:{}: {}\n", file.path, c.line, what);
  for (const Failure& f : c.failures) {
    std::string indent = "  ";
    if (!f.engine.empty()) {
      out += fmt::format("  with --engine {}:\n", f.engine);
      indent = "    ";
    }
    for (const Mismatch& m : f.mismatches) out += indent + Describe(m) + "\n";
    if (f.diff.empty()) continue;
    out += indent + "diff (- expected, + actual):\n";
    for (const DiffLine& d : f.diff) out += fmt::format("{}  {} {} = {}\n", indent, d.mark, d.label, Show(d.value));
  }
}

std::string RenderText(const Report& report) {
  std::string out;
  for (const auto& file : report.files)
    for (const auto& c : file.cases)
      if (!c.passed()) RenderCaseText(out, file, c);
  if (!out.empty()) out += "\n";
  if (report.coverage_on) {
    for (const auto& p : report.coverage) {
      out += fmt::format("coverage: {}: {} ({} of {} items covered", p.policy, Percent(p.percent()), p.covered, p.countable());
      out += p.excused.empty() ? ")\n" : fmt::format(", {} excused)\n", p.excused.size());
      for (const auto& u : p.uncovered) out += UncoveredLine(u);
      for (const auto& e : p.excused)
        out += fmt::format("{}:{}:{}: excused: {}: {}\n    because {} ({})\n", e.item.file, e.item.line, e.item.column,
                           e.item.name, e.item.text, e.because, e.by);
    }
    if (!report.coverage.empty()) out += "\n";
  }
  out += fmt::format("{} passed, {} failed", report.passed(), report.failed());
  if (size_t errors = report.file_errors())
    out += fmt::format(", {} test file{} with errors", errors, errors == 1 ? "" : "s");
  out += "\n";
  if (report.coverage_short())
    for (const auto& p : report.coverage)
      if (p.Below(report.min_coverage))
        out += fmt::format("coverage of {} is {}, below --min-coverage {}\n", p.policy, Percent(p.percent()),
                           report.min_coverage);
  return out;
}

}  // namespace credo::testing
