// The language server's pieces that a scripted client cannot reach precisely: message framing,
// positions in UTF-16 and UTF-8, URIs, and the symbol index of a policy with an error.
#include <catch2/catch.hpp>
#include <sstream>

#include "compiler/lsp/analysis.h"
#include "compiler/lsp/documents.h"
#include "compiler/lsp/positions.h"
#include "compiler/lsp/protocol.h"

using namespace credo::lsp;

TEST_CASE("lsp framing: messages one after another, header case and extra headers") {
  std::istringstream in("Content-Length: 2\r\n\r\n{}content-length:7\r\nContent-Type: x\r\n\r\n[1,2,3]");
  Frame a = ReadFrame(in), b = ReadFrame(in), end = ReadFrame(in);
  CHECK(a.kind == Frame::Message);
  CHECK(a.body == "{}");
  CHECK(b.kind == Frame::Message);
  CHECK(b.body == "[1,2,3]");
  CHECK(end.kind == Frame::End);
}

TEST_CASE("lsp framing: a bad header block is skipped, the next message still read") {
  std::istringstream in("Content-Length: lots\r\n\r\nContent-Length: 2\n\n{}");
  Frame bad = ReadFrame(in);
  CHECK(bad.kind == Frame::Malformed);
  CHECK(bad.error.find("lots") != std::string::npos);
  Frame good = ReadFrame(in);
  CHECK(good.kind == Frame::Message);
  CHECK(good.body == "{}");
}

TEST_CASE("lsp framing: a body cut short ends the input; an oversized one is refused") {
  std::istringstream cut("Content-Length: 10\r\n\r\n{}");
  CHECK(ReadFrame(cut).kind == Frame::End);
  std::istringstream huge("Content-Length: 99999999999\r\n\r\n");
  CHECK(ReadFrame(huge).kind == Frame::Malformed);
}

TEST_CASE("lsp framing: a written message reads back") {
  std::stringstream io;
  REQUIRE(WriteFrame(io, Response(1, {{"a", "é"}})));
  Frame f = ReadFrame(io);
  REQUIRE(f.kind == Frame::Message);
  CHECK(json::parse(f.body) == json({{"jsonrpc", "2.0"}, {"id", 1}, {"result", {{"a", "é"}}}}));
}

TEST_CASE("lsp positions: UTF-16 code units, surrogate pairs, UTF-8 bytes, a byte-order mark") {
  std::string text = "ab\né😀x\r\nlast";  // é: 2 bytes, 1 unit; 😀: 4 bytes, 2 units
  LineIndex utf16(text, Encoding::Utf16), utf8(text, Encoding::Utf8);
  uint32_t x = static_cast<uint32_t>(text.find('x'));
  CHECK(utf16.At(x).line == 1);
  CHECK(utf16.At(x).character == 3);
  CHECK(utf8.At(x).character == 6);
  CHECK(utf16.OffsetOf({1, 3}) == x);
  CHECK(utf8.OffsetOf({1, 6}) == x);
  CHECK(utf16.OffsetOf({1, 99}) == x + 1);  // past the end of the line: its end, before "\r\n"
  CHECK(utf16.OffsetOf({9, 0}) == text.size());
  LineIndex with_bom("ab", Encoding::Utf16, 1);
  CHECK(with_bom.At(1).character == 2);
  CHECK(with_bom.OffsetOf({0, 1}) == 0);
}

TEST_CASE("lsp URIs: percent-decoding and encoding") {
  CHECK(PathOfUri("file:///tmp/a%20b/c.credo") == "/tmp/a b/c.credo");
  CHECK(PathOfUri("file://localhost/x.credo") == "/x.credo");
  CHECK(PathOfUri("untitled:Untitled-1") == "untitled:Untitled-1");
  CHECK(UriOfPath("/tmp/a b/c.credo") == "file:///tmp/a%20b/c.credo");
  CHECK(PathOfUri(UriOfPath("/tmp/é #1.credo")) == "/tmp/é #1.credo");
}

TEST_CASE("lsp analysis: a policy with a type error still has its names, types and uses") {
  const char* text =
      "policy p version \"1\"\n"
      "enum Grade { A, B }\n"
      "input In { id: string\n  grade: Grade }\n"
      "let bad = id + 1\n"
      "let good = grade == B\n"
      "output { id, good, bad }\n";
  auto a = Analyze("p.credo", text);
  REQUIRE(a->diagnostics.has_errors());
  REQUIRE(a->checked);
  int good = a->index.Find(DeclKind::Let, "good");
  REQUIRE(good >= 0);
  CHECK(a->index.decls[good].type == "bool");
  int b = a->index.Find(DeclKind::EnumValue, "B");
  REQUIRE(b >= 0);
  auto uses = a->index.UsesOf(b);
  REQUIRE(uses.size() == 2);  // declared, and compared with
  CHECK(uses[0]->declaration);
  CHECK(std::string(a->source->Slice(uses[1]->span)) == "B");
  const Use* at = a->index.At(static_cast<uint32_t>(std::string(text).rfind("good")) + 2);
  REQUIRE(at);
  CHECK(at->decl == good);
}
