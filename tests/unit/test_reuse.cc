// Reuse (docs/language.md, "Constants", "Functions", "Libraries and import"): spans across
// several source files, imports resolved relative to the importing file, the program's identity
// covering imported content, and the compile cache seeing a changed library.
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "compiler/driver/compile.h"

namespace {

namespace fs = std::filesystem;

// A fresh directory for one test's files.
fs::path TempDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("credo-reuse-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::string> Codes(const credo::Compilation& c) {
  std::vector<std::string> codes;
  for (const auto& d : c.diagnostics.all()) codes.push_back(credo::Info(d.kind).code);
  return codes;
}

const char* kPolicy = R"(policy p version "1"
import "lib/limits.credo"
input A {
  id: string
  grade: Grade
  asked: money?
}
let limit = offer(grade, asked)
output { id, limit }
)";

std::string Library(const std::string& version, const std::string& floor) {
  return "library limits version \"" + version + "\"\nimport \"grades.credo\"\nconst FLOOR = " + floor +
         "\nfunction offer(g: Grade, asked: money?): money = if g == A then max(FLOOR, asked ?? FLOOR) else FLOOR\n";
}

}  // namespace

TEST_CASE("source: offsets of several files map to each file's line and column", "[reuse]") {
  credo::SourceFile main("main.credo", "policy p\nimport \"x\"\n");
  uint32_t base = main.next_base();
  main.Attach(std::make_unique<credo::SourceFile>("lib/x.credo", "library x\nconst A = 1\n", base));
  CHECK(main.FileAt(3).path() == "main.credo");
  CHECK(main.FileAt(base + 10).path() == "lib/x.credo");
  credo::LineCol at = main.Locate(base + 16);  // `A` on line 2 of the library
  CHECK(at.line == 2);
  CHECK(at.column == 7);
  CHECK(main.Slice({base + 16, base + 17}) == "A");
  credo::Diagnostics diags;
  diags.Report(credo::DiagKind::UnknownName, {base + 16, base + 17}, "m");
  CHECK(diags.Render(main).rfind("lib/x.credo:2:7: error[E0102]: m\n", 0) == 0);
}

TEST_CASE("import: libraries relative to the importing file, merged once, identity covers them", "[reuse]") {
  fs::path dir = TempDir("identity");
  Write(dir / "policy.credo", kPolicy);
  Write(dir / "lib/grades.credo", "library grades\nenum Grade { A, B }\n");
  Write(dir / "lib/limits.credo", Library("1", "100.00"));
  credo::Compilation first;
  std::string error;
  REQUIRE(credo::CompileFile((dir / "policy.credo").string(), first, error));
  INFO(first.diagnostics.Render(*first.source));
  REQUIRE(first.ok());
  REQUIRE(first.program->libraries.size() == 2);
  CHECK(first.program->libraries[0] == std::pair<std::string, std::string>{"grades", ""});
  CHECK(first.program->libraries[1] == std::pair<std::string, std::string>{"limits", "1"});
  CHECK(first.source->attached().size() == 2);

  // Another const value, or only another library version: another program hash.
  Write(dir / "lib/limits.credo", Library("1", "200.00"));
  credo::Compilation second;
  REQUIRE(credo::CompileFile((dir / "policy.credo").string(), second, error));
  REQUIRE(second.ok());
  CHECK(second.program->hash != first.program->hash);
  Write(dir / "lib/limits.credo", Library("2", "100.00"));
  credo::Compilation third;
  REQUIRE(credo::CompileFile((dir / "policy.credo").string(), third, error));
  REQUIRE(third.ok());
  CHECK(third.program->hash != first.program->hash);

  // The cache compiles again when an imported file changed, though the policy did not.
  std::string text = kPolicy;
  auto cached = credo::CompileCached((dir / "policy.credo").string(), text);
  CHECK(credo::CompileCached((dir / "policy.credo").string(), text) == cached);
  Write(dir / "lib/limits.credo", Library("2", "300.00"));
  auto again = credo::CompileCached((dir / "policy.credo").string(), text);
  CHECK(again != cached);
  REQUIRE(again->ok());
  CHECK(again->program->hash != cached->program->hash);
  fs::remove_all(dir);
}

TEST_CASE("import: a diamond is no clash; a name in two files is one E0171", "[reuse]") {
  fs::path dir = TempDir("diamond");
  Write(dir / "policy.credo", std::string(kPolicy).replace(std::string(kPolicy).find("input"), 0, "import \"lib/grades.credo\"\n"));
  Write(dir / "lib/grades.credo", "library grades\nenum Grade { A, B }\n");
  Write(dir / "lib/limits.credo", Library("1", "100.00"));
  credo::Compilation ok;
  std::string error;
  REQUIRE(credo::CompileFile((dir / "policy.credo").string(), ok, error));
  INFO(ok.diagnostics.Render(*ok.source));
  CHECK(ok.ok());

  Write(dir / "policy.credo", std::string(kPolicy) + "const FLOOR = 1.00\n");
  credo::Compilation clash;
  REQUIRE(credo::CompileFile((dir / "policy.credo").string(), clash, error));
  CHECK(Codes(clash) == std::vector<std::string>{"E0171"});
  fs::remove_all(dir);
}

TEST_CASE("const and function checks: what they may name", "[reuse]") {
  const std::string head = "policy p\ninput A { id: string  x: int }\n";
  auto codes = [&](const std::string& body) {
    return Codes(credo::CompileSource("t.credo", head + body + "output { id, v }\n"));
  };
  // Consts from consts, built-ins and functions; functions from consts and functions.
  CHECK(codes("const A = 2\nconst B = max(A, 3) * 2\nfunction f(n: int): int = n + B\n"
              "function g(n: int?): int = f(n ?? A)\nlet v = g(x)\n").empty());
  CHECK(codes("const A = 2\nfunction f(n: int): int = n + A\nconst C = f(A)\nlet v = x + C\n").empty());
  CHECK(codes("let y = x + 1\nconst C = y\nlet v = C\n") == std::vector<std::string>{"E0170"});
  CHECK(codes("function f(n: int): int = n + x\nlet v = f(1)\n") == std::vector<std::string>{"E0176"});
  CHECK(codes("function f(n: int): int = f(n)\nlet v = f(1)\n") == std::vector<std::string>{"E0175"});
  CHECK(codes("function f(n: int): int = n\nlet v = f(1, 2)\n") == std::vector<std::string>{"E0172"});
  CHECK(codes("function f(n: int): int = n\nlet v = f(\"a\")\n") == std::vector<std::string>{"E0173"});
  CHECK(codes("function f(n: int): int = n\nlet v = f(missing)\n") == std::vector<std::string>{"E0174"});
  // Every built-in name is taken, the text, list, math and calendar ones too.
  for (const char* builtin : {"round", "upper", "join", "ln", "add_days"})
    CHECK(codes(std::string("function ") + builtin + "(n: int): int = n\nlet v = x\n") == std::vector<std::string>{"E0177"});
  // A parameter narrowed by `is present` is never missing in the `then` branch.
  CHECK(codes("function f(n: int?): int = if n is present then n * 2 else 0\nlet v = f(x)\n").empty());
  // The result type is checked against the body: a `T?` body for a `T` result is E0301.
  CHECK(codes("function f(n: int?): int = n\nlet v = f(x)\n") == std::vector<std::string>{"E0301"});
}
