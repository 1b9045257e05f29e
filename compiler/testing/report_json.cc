// The JSON report (schema: docs/testing.md, "JSON report").
#include <fmt/format.h>

#include "compiler/base/source.h"
#include "compiler/testing/results.h"

namespace credo::testing {

namespace {

// A JSON string; bytes that are not UTF-8 become U+FFFD, so the document is always valid.
std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    Utf8Unit unit = Utf8At(s, i);
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!unit.valid) {
      out += "\\ufffd";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out.append(s, i, unit.size);
    }
    i += unit.size;
  }
  return out + "\"";
}

std::string OrNull(const std::string& s) { return s.empty() ? "null" : Quote(s); }

const char* GotName(Mismatch::Got got) {
  switch (got) {
    case Mismatch::Got::Rejected: return "rejected";
    case Mismatch::Got::Accepted: return "accepted";
    case Mismatch::Got::NoRow: return "no_row";
    case Mismatch::Got::Value: break;
  }
  return "value";
}

template <typename T, typename F>
std::string List(const std::vector<T>& items, F render) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + render(items[i]);
  return out + "]";
}

std::string FailureJson(const Failure& f) {
  std::string mismatches = List(f.mismatches, [](const Mismatch& m) {
    return fmt::format("{{\"expectation\":{},\"expected\":{},\"actual\":{},\"got\":\"{}\"}}", OrNull(m.label),
                       Quote(m.expected), Quote(m.actual), GotName(m.got));
  });
  std::string diff = List(f.diff, [](const DiffLine& d) {
    return fmt::format("{{\"mark\":\"{}\",\"name\":{},\"value\":{}}}", d.mark, Quote(d.label), Quote(d.value));
  });
  return fmt::format("{{\"engine\":{},\"mismatches\":{},\"diff\":{}}}", OrNull(f.engine), mismatches, diff);
}

std::string CaseJson(const CaseResult& c) {
  return fmt::format("{{\"name\":{},\"kind\":\"{}\",\"group\":{},\"line\":{},\"status\":\"{}\",\"failures\":{}}}",
                     Quote(c.name), c.group_checks ? "group" : "case", OrNull(c.group), c.line,
                     c.passed() ? "passed" : "failed", List(c.failures, FailureJson));
}

std::string FileJson(const FileResult& f) {
  std::string errors = List(f.errors, [](const FileError& e) {
    return fmt::format("{{\"line\":{},\"column\":{},\"message\":{}}}", e.line, e.column, Quote(e.message));
  });
  return fmt::format("{{\"file\":{},\"policy\":{},\"errors\":{},\"cases\":{}}}", Quote(f.path), OrNull(f.policy), errors,
                     List(f.cases, CaseJson));
}

std::string ItemJson(const Uncovered& u) {
  return fmt::format("\"file\":{},\"line\":{},\"column\":{},\"kind\":{},\"name\":{},\"text\":{}", Quote(u.file), u.line,
                     u.column, Quote(u.kind), Quote(u.name), Quote(u.text));
}

std::string CoverageJson(const PolicyCoverage& p) {
  std::string uncovered = List(p.uncovered, [](const Uncovered& u) { return fmt::format("{{{}}}", ItemJson(u)); });
  std::string excused = List(p.excused, [](const Excused& e) {
    return fmt::format("{{{},\"because\":{},\"excused_at\":{}}}", ItemJson(e.item), Quote(e.because), Quote(e.by));
  });
  return fmt::format(
      "{{\"policy\":{},\"covered\":{},\"countable\":{},\"total\":{},\"percent\":{},\"uncovered\":{},\"excused\":{}}}",
      Quote(p.policy), p.covered, p.countable(), p.total, p.percent(), uncovered, excused);
}

}  // namespace

std::string RenderJson(const Report& report) {
  std::string out = fmt::format("{{\"version\":1,\"ok\":{},\"passed\":{},\"failed\":{},\"file_errors\":{},\"files\":{}",
                                report.ok() ? "true" : "false", report.passed(), report.failed(), report.file_errors(),
                                List(report.files, FileJson));
  if (report.coverage_on) {
    out += fmt::format(",\"coverage\":{}", List(report.coverage, CoverageJson));
    if (report.min_coverage > 0) out += fmt::format(",\"min_coverage\":{}", report.min_coverage);
  }
  return out + "}\n";
}

}  // namespace credo::testing
