// credo doc (compiler/doc): what the document of a policy says, and how Markdown and HTML
// write it: source text as written (escaped for each format), the author's comments and
// headings, the policy's reject texts, and the program's hash.
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "compiler/doc/doc.h"
#include "compiler/driver/compile.h"

namespace {

const char* kPolicy = R"(// Opening comment: what this policy is for.

policy p version "2.1" "A small policy"

enum Grade { A, B }

// ---- 1. Input ----

input I {
  id:     string
  grade:  Grade
  income: money?  where income >= 0   // before tax
  debt:   money
  check debt < 1_000_000.00 else "too_much_debt"
}

// ---- 2. Rules ----

rules stops "Stops | hard" {
  // Nothing to lend against.
  S01 "No income"  when income is missing
                    or income < 10.00                    => decline
  S02 "Debt"       when debt > 5 * (income ?? 0.00)      => refer
}

decision: Grade {
  stops.fired => B because "x|y"
  else        => A
}

output { id, decision }

rejects { missing => "R02:{field}" }
)";

struct Documented {
  credo::Compilation compiled;
  credo::doc::Document document;
  std::string markdown, html;
};

Documented Document(const char* text) {
  Documented d;
  d.compiled = credo::CompileSource("p.credo", text);
  REQUIRE(d.compiled.ok());
  d.document = credo::doc::Collect(*d.compiled.checked, *d.compiled.source, d.compiled.program->hash);
  d.markdown = credo::doc::RenderMarkdown(d.document);
  d.html = credo::doc::RenderHtml(d.document);
  return d;
}

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("doc: the header names the policy and the program's hash") {
  Documented d = Document(kPolicy);
  std::string hash = fmt::format("{:016x}", d.compiled.program->hash);
  CHECK(d.document.title == "p");
  CHECK(Has(d.markdown, "- **Version:** 2.1\n"));
  CHECK(Has(d.markdown, "- **Content hash:** `" + hash + "`"));
  CHECK(Has(d.html, "<code>" + hash + "</code>"));
  CHECK(Has(d.markdown, "> Opening comment: what this policy is for.\n"));
}

TEST_CASE("doc: banners are headings, declarations sections under them") {
  Documented d = Document(kPolicy);
  std::vector<std::string> titles;
  for (const auto& s : d.document.sections) titles.push_back(std::to_string(s.level) + " " + s.title);
  // "1. Input" names the input already: one heading, not two.
  CHECK(titles == std::vector<std::string>{"2 1. Input", "2 2. Rules", "3 Stops | hard", "3 Decision", "3 Output",
                                           "3 Reject texts", "2 Enumerations", "2 Sign-off"});
  CHECK(Has(d.markdown, "<a id=\"1-input\"></a>\n\n## 1. Input `I`\n"));
}

TEST_CASE("doc: source text as written, escaped for Markdown tables and HTML") {
  Documented d = Document(kPolicy);
  // A condition over two lines keeps its line break and loses the file's indentation.
  CHECK(Has(d.markdown, "| `S01` | No income | <code>income is missing<br>or income &lt; 10.00</code> | decline |"));
  CHECK(Has(d.html, "<code>income is missing\nor income &lt; 10.00</code>"));
  CHECK(Has(d.markdown, "| `S02` | Debt | `debt > 5 * (income ?? 0.00)` | refer |"));
  CHECK(Has(d.markdown, "| 1 | `stops.fired` | `B` | `\"x\\|y\"` |"));  // a | in a cell's code span
  CHECK(Has(d.markdown, "### Stops \\| hard `stops`"));
  CHECK(Has(d.html, "<td><code>debt &gt; 5 * (income ?? 0.00)</code></td>"));
}

TEST_CASE("doc: the author's comments go with what they describe") {
  Documented d = Document(kPolicy);
  CHECK(Has(d.markdown, "| Nothing to lend against. |"));  // above the rule
  CHECK(Has(d.markdown, "| before tax |"));                // at the end of the field's line
  CHECK(Has(d.html, "<td class=\"note\">before tax</td>"));
}

TEST_CASE("doc: the input shows validation with the policy's own reject texts") {
  Documented d = Document(kPolicy);
  CHECK(Has(d.markdown, "| 1 | `id` | `string` | rejected as `R02:id` |"));
  CHECK(Has(d.markdown, "| 3 | `income` | `money?` | allowed (missing) | `income >= 0` | `out_of_range:income` |"));
  CHECK(Has(d.markdown, "| 1 | `debt < 1_000_000.00` | `too_much_debt` |"));
}

TEST_CASE("doc: the HTML page is self-contained") {
  Documented d = Document(kPolicy);
  CHECK(d.html.rfind("<!DOCTYPE html>\n", 0) == 0);
  CHECK(!Has(d.html, "<script"));
  CHECK(!Has(d.html, "http://"));
  CHECK(!Has(d.html, "https://"));
  CHECK(Has(d.html, "<table class=\"rules\">"));
  CHECK(Has(d.html, "@media print"));
}

TEST_CASE("doc: a comment after several items on a line is the last one's; a block's first line is the block's") {
  Documented d = Document(R"(policy q version "1"
enum G { A, B }
input I { id: string  x: int?  g: G }
scorecard s {
  baseline 100
  // Larger is better.
  C01 "X" x {
    missing => 0, < 10 => 1,   // small
    >= 10 => 5
  }
  C02 "G" g { A => 2, B => 0 }   // by grade
}
// Weights by grade.
table w: G -> int { A => 1, B => 2 }   // one line
output { id, score = s.score, weight = w[g] }
)");
  CHECK(Has(d.markdown, "| `C01` | X | `x` | `missing` | 0 | Larger is better. |"));
  CHECK(Has(d.markdown, "| | | | `< 10` | 1 | small |"));
  CHECK(Has(d.markdown, "| | | | `>= 10` | **5** | |"));
  CHECK(Has(d.markdown, "| `C02` | G | `g` | `A` | **2** | by grade |"));
  CHECK(Has(d.markdown, "> Weights by grade. one line\n"));   // the table's note, not its first entry's
  CHECK(Has(d.markdown, "| `A` | `1` |\n"));
}
