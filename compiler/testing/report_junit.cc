// The JUnit XML report: a <testsuite> per test file with a <testcase> per case (a file with
// errors has one <testcase> holding them as an <error>), and with --coverage a "coverage" suite
// with a <testcase> per policy that fails below --min-coverage.
#include <fmt/format.h>

#include "compiler/base/source.h"
#include "compiler/testing/results.h"

namespace credo::testing {

namespace {

// Text for an XML attribute or element: markup escaped; bytes that are not UTF-8 and control
// characters XML 1.0 cannot hold become U+FFFD.
std::string Xml(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    Utf8Unit unit = Utf8At(s, i);
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!unit.valid || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')) out += "\uFFFD";
    else if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else if (c == '\'') out += "&apos;";
    else out.append(s, i, unit.size);
    i += unit.size;
  }
  return out;
}

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string Suite(const FileResult& file) {
  std::string cases;
  size_t failures = 0;
  for (const CaseResult& c : file.cases) {
    std::string name = c.group.empty() || c.group_checks ? c.name : c.group + ": " + c.name;
    if (c.group_checks) name = "group " + name;
    cases += fmt::format("    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"", Xml(name), Xml(file.path),
                         Xml(file.path), c.line);
    if (c.passed()) {
      cases += "/>\n";
      continue;
    }
    ++failures;
    std::string text;
    RenderCaseText(text, file, c);
    std::string message = text.substr(text.find('\n') + 1);
    cases += fmt::format(">\n      <failure message=\"{}\" type=\"expectation\">{}</failure>\n    </testcase>\n",
                         Xml(FirstLine(message.substr(message.find_first_not_of(' ')))), Xml(text));
  }
  size_t errors = file.errors.empty() ? 0 : 1;
  if (errors)
    cases += fmt::format(
        "    <testcase name=\"(test file)\" classname=\"{}\" file=\"{}\">\n      <error message=\"{}\" "
        "type=\"test file error\">{}</error>\n    </testcase>\n",
        Xml(file.path), Xml(file.path), Xml(file.errors[0].message), Xml(file.rendered));
  return fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n{}  </testsuite>\n",
                     Xml(file.path), file.cases.size() + errors, failures, errors, cases);
}

std::string CoverageSuite(const Report& report, size_t& failures) {
  std::string cases;
  for (const PolicyCoverage& p : report.coverage) {
    cases += fmt::format("    <testcase name=\"{}\" classname=\"coverage\"", Xml(p.policy));
    std::string summary = fmt::format("{} of {} items covered ({:.1f}%)", p.covered, p.countable(), p.percent());
    if (!p.excused.empty()) summary += fmt::format(", {} excused", p.excused.size());
    if (report.min_coverage > 0 && p.Below(report.min_coverage)) {
      ++failures;
      std::string list;
      for (const auto& u : p.uncovered) list += UncoveredLine(u);
      cases += fmt::format(">\n      <failure message=\"{}, below {}%\" type=\"coverage\">{}</failure>\n    </testcase>\n",
                           Xml(summary), report.min_coverage, Xml(list));
    } else {
      cases += fmt::format(">\n      <system-out>{}</system-out>\n    </testcase>\n", Xml(summary));
    }
  }
  return fmt::format("  <testsuite name=\"coverage\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n{}  </testsuite>\n",
                     report.coverage.size(), failures, cases);
}

}  // namespace

std::string RenderJunit(const Report& report) {
  std::string suites;
  size_t tests = 0, failures = report.failed(), errors = report.file_errors();
  for (const FileResult& f : report.files) {
    suites += Suite(f);
    tests += f.cases.size() + !f.errors.empty();
  }
  if (report.coverage_on) {
    size_t short_policies = 0;
    suites += CoverageSuite(report, short_policies);
    tests += report.coverage.size();
    failures += short_policies;
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"credo test\" tests=\"{}\" failures=\"{}\" "
      "errors=\"{}\">\n{}</testsuites>\n",
      tests, failures, errors, suites);
}

}  // namespace credo::testing
