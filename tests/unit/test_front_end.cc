// The front end on hostile text (issue 9): bytes that are not UTF-8, a byte-order mark, and
// nesting or chains deep enough to overflow the stack of a recursive parser or checker. Every
// case must end in diagnostics, never in a crash. Run under ASan too (-DCREDO_SANITIZE=ON).
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "compiler/driver/compile.h"
#include "runtime/exec/runner.h"

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string SmePolicy() { return ReadFile(std::string(CREDO_SOURCE_DIR) + "/policies/sme-credit-v1.credo"); }

// The codes of every diagnostic, in report order.
std::vector<std::string> Codes(const credo::Compilation& c) {
  std::vector<std::string> codes;
  for (const auto& d : c.diagnostics.all()) codes.push_back(credo::Info(d.kind).code);
  return codes;
}

const char* kHead = R"(policy p version "1"
enum Decision { APPROVE, REFER }
input In {
  id: string
  x:  int
}
)";
const char* kTail = R"(
decision: Decision {
  x > 0 => APPROVE
  else  => REFER because "R"
}
output { id, decision, v }
)";

std::string Repeat(const std::string& s, int n) {
  std::string out;
  out.reserve(s.size() * n);
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// A policy whose `v` is `expr`.
std::string WithValue(const std::string& expr) { return std::string(kHead) + "let v = " + expr + "\n" + kTail; }

// `v` for rows x = 1 and x = -2 on both engines (they must agree).
std::string RunBoth(const std::string& policy) {
  std::string first;
  for (auto engine : {credo::Engine::Interpreter, credo::Engine::Jit}) {
    credo::Compilation c = credo::CompileSource("deep.credo", policy);
    INFO(c.diagnostics.Render(*c.source));
    REQUIRE(c.ok());
    std::string error;
    auto ev = credo::MakeEvaluator(std::move(*c.program), engine, &error);
    INFO(error);
    REQUIRE(ev);
    credo::exec::TextRun run = credo::exec::RunCsvText(*ev, "id,x\na,1\nb,-2\n", {});
    REQUIRE(run.status == credo::exec::RunStatus::Ok);
    if (first.empty()) first = run.out;
    CHECK(run.out == first);
  }
  return first;
}

}  // namespace

TEST_CASE("UTF-8 sequences are decoded strictly", "[front]") {
  auto unit = [](const std::string& bytes) { return credo::Utf8At(bytes, 0); };
  CHECK(unit("a").valid);
  CHECK(unit("\xC3\xA9").size == 2);          // é
  CHECK(unit("\xE2\x89\xA5").size == 3);      // ≥
  CHECK(unit("\xF0\x9F\x98\x80").size == 4);  // an emoji
  CHECK(unit("\xF4\x8F\xBF\xBF").valid);      // U+10FFFF
  for (std::string bad : {"\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xED\xA0\x80", "\xF0\x80\x80\x80",
                          "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xE9 "}) {
    INFO(bad);
    CHECK_FALSE(unit(bad).valid);
    CHECK(unit(bad).size == 1);
  }
  // A character cut short is one problem, as long as what it had.
  CHECK_FALSE(unit("\xE2\x89").valid);
  CHECK(unit("\xE2\x89").size == 2);
  CHECK(unit("\xF0\x9F\x98!").size == 3);
}

TEST_CASE("invalid UTF-8 anywhere in a policy is one E0004 at its position", "[front]") {
  const std::string policy = SmePolicy();
  for (std::string bad : {"\xE9", "\xFF", "\xC0\x80", "\xED\xA0\x80", "\xE2\x89", "\xF4\x90\x80\x80", "\x80"}) {
    for (size_t at = 0; at < policy.size(); at += 211) {
      std::string text = policy.substr(0, at) + bad + policy.substr(at);
      credo::Compilation c = credo::CompileSource("latin1.credo", text);
      INFO("bytes inserted at " << at);
      REQUIRE(Codes(c) == std::vector<std::string>{"E0004"});
      CHECK(c.diagnostics.all()[0].span.begin == at);
      std::string rendered = c.diagnostics.Render(*c.source);
      // C0 80 is two problems (C0 never starts a character), E2 89 one (a character cut short).
      const char* what = credo::Utf8At(bad, 0).size == 1 ? "byte" : "sequence";
      CHECK(rendered.find(fmt::format("invalid UTF-8 {} 0x{:02X}", what, uint8_t(bad[0]))) != std::string::npos);
    }
  }
}

TEST_CASE("a binary file gives one E0004 that counts the rest", "[front]") {
  std::string text;
  uint32_t state = 12345;
  for (int i = 0; i < 1 << 20; ++i) {
    state = state * 1103515245 + 12345;
    text += char(state >> 24);
  }
  credo::Compilation c = credo::CompileSource("binary.credo", text);
  REQUIRE(Codes(c) == std::vector<std::string>{"E0004"});
  CHECK(c.diagnostics.all()[0].notes.size() <= 4);
  CHECK(c.diagnostics.all()[0].message.find("more invalid sequences in the file") != std::string::npos);
}

TEST_CASE("a byte-order mark changes no span and no result", "[front]") {
  const std::string bom = "\xEF\xBB\xBF";
  credo::Compilation plain = credo::CompileSource("sme.credo", SmePolicy());
  credo::Compilation marked = credo::CompileSource("sme.credo", bom + SmePolicy());
  INFO(marked.diagnostics.Render(*marked.source));
  REQUIRE(plain.ok());
  REQUIRE(marked.ok());  // it reported a false E0405 when spans were one character off
  CHECK(marked.diagnostics.all().empty());
  CHECK(marked.program->hash == plain.program->hash);

  // An error on the first line and one further down: the same line:column with and without.
  std::string broken = std::string(kHead) + "let v = x + nope\n" + kTail;
  for (const std::string& text : {broken, std::string("policy 1 version \"1\"\n")}) {
    credo::Compilation a = credo::CompileSource("t.credo", text);
    credo::Compilation b = credo::CompileSource("t.credo", bom + text);
    REQUIRE_FALSE(a.diagnostics.all().empty());
    CHECK(b.diagnostics.Render(*b.source) == a.diagnostics.Render(*a.source));
  }
  // A cached compilation of the same text with a mark is found again.
  auto first = credo::CompileCached("sme.credo", bom + SmePolicy());
  CHECK(credo::CompileCached("sme.credo", bom + SmePolicy()) == first);
}

TEST_CASE("the same condition in two decision arms is found by structure, not by text", "[front]") {
  std::string policy = std::string(kHead) + "let v = x\n" + R"(
decision: Decision {
  x>0 => APPROVE
  ((x > 0)) => REFER because "again"
  x > 1_000 => REFER because "large"
  x > 1000 => REFER because "large again"
  else => REFER because "R"
}
output { id, decision, v }
)";
  credo::Compilation c = credo::CompileSource("arms.credo", policy);
  std::string rendered = c.diagnostics.Render(*c.source);
  INFO(rendered);
  CHECK(Codes(c) == std::vector<std::string>{"E0405", "E0405"});
  CHECK(rendered.find("arms.credo:11:3: error[E0405]") != std::string::npos);
  CHECK(rendered.find("arms.credo:13:3: error[E0405]") != std::string::npos);
}

TEST_CASE("expressions nested deeper than 256 levels are one E0005, however they nest", "[front]") {
  struct Case {
    const char* what;
    std::string expr;
  };
  const int deep = 20000;
  std::vector<Case> cases = {
      {"parentheses", Repeat("(", deep) + "x" + Repeat(")", deep)},
      {"unclosed parentheses", Repeat("(", deep)},
      {"a sum of 100,000 terms", "x" + Repeat(" + x", 100000)},
      {"a product chain", "x" + Repeat(" * 1", 100000)},
      {"if/else", Repeat("if x > 0 then 1 else ", 5000) + "0"},
      {"unary minus", Repeat("- ", deep) + "x"},
      {"not", Repeat("not ", deep) + "true"},
      {"calls", Repeat("abs(", deep) + "x" + Repeat(")", deep)},
      {"coalesce", Repeat("x ?? ", deep) + "x"},
      {"in lists", Repeat("x in [", deep) + "1" + Repeat("]", deep)},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    credo::Compilation result = credo::CompileSource("deep.credo", WithValue(c.expr));
    INFO(result.diagnostics.Render(*result.source));
    CHECK(Codes(result) == std::vector<std::string>{"E0005"});
  }
  // Braces do not nest in the grammar: a syntax error, not a crash.
  credo::Compilation braces = credo::CompileSource("braces.credo", std::string(kHead) + Repeat("{", deep));
  CHECK(Codes(braces) == std::vector<std::string>{"E0001"});
}

TEST_CASE("expressions at the nesting limit compile and run the same on both engines", "[front]") {
  // 255 parentheses around x: 256 levels. A sum of 256 terms: 256 levels.
  CHECK(RunBoth(WithValue(Repeat("(", 255) + "x" + Repeat(")", 255))) == "id,decision,v\na,APPROVE,1\nb,REFER,-2\n");
  CHECK(RunBoth(WithValue("x" + Repeat(" + x", 255))) == "id,decision,v\na,APPROVE,256\nb,REFER,-512\n");
  CHECK(RunBoth(WithValue(Repeat("if x > 5 then 7 else ", 254) + "x")) == "id,decision,v\na,APPROVE,1\nb,REFER,-2\n");
  CHECK(RunBoth(WithValue(Repeat("- ", 254) + "x")) == "id,decision,v\na,APPROVE,1\nb,REFER,-2\n");
  // Deep conditions in decision arms, compared with each other by structure.
  std::string arms = std::string(kHead) + "let v = x\ndecision: Decision {\n  " + Repeat("not ", 250) +
                     "(x > 0) => APPROVE\n  " + Repeat("not ", 250) + "(x > 1) => APPROVE\n  else => REFER because \"R\"\n}\n" +
                     "output { id, decision, v }\n";
  CHECK(RunBoth(arms) == "id,decision,v\na,APPROVE,1\nb,REFER,-2\n");
  credo::Compilation over = credo::CompileSource("deep.credo", WithValue("x" + Repeat(" + x", 256)));
  CHECK(Codes(over) == std::vector<std::string>{"E0005"});
}

TEST_CASE("a chain of 20,000 lets declared last-first checks without recursion", "[front]") {
  const int n = 20000;
  std::string lets = "let v = l0\n";
  for (int i = 0; i < n; ++i) lets += "let l" + std::to_string(i) + " = l" + std::to_string(i + 1) + " + 1\n";
  std::string chain = std::string(kHead) + lets + "let l" + std::to_string(n) + " = x\n" + kTail;
  credo::Compilation c = credo::CompileSource("chain.credo", chain);
  INFO(c.diagnostics.Render(*c.source));
  REQUIRE(c.ok());
  auto ev = credo::MakeEvaluator(std::move(*c.program), credo::Engine::Interpreter);
  credo::exec::TextRun run = credo::exec::RunCsvText(*ev, "id,x\na,1\n", {});
  CHECK(run.out == "id,decision,v\na,APPROVE," + std::to_string(n + 1) + "\n");

  // The same chain closed into a cycle: one E0107, not thousands.
  std::string cycle = std::string(kHead) + lets + "let l" + std::to_string(n) + " = l0\n" + kTail;
  credo::Compilation bad = credo::CompileSource("cycle.credo", cycle);
  CHECK(Codes(bad) == std::vector<std::string>{"E0107"});
}
