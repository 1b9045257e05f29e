// front_end_fuzz — libFuzzer target for the whole front end: any bytes as policy text go through
// parse → check → lower → ir::Verify (CompileSource), and the diagnostics are rendered. Whatever
// the bytes, this must not crash, throw, hang or trip ASan/UBSan; and a text that did not compile
// must say why in at least one error diagnostic. And a byte-order mark in front changes nothing:
// the same text with a BOM compiles exactly when it does without, with the same diagnostic codes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "compiler/driver/compile.h"

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string Codes(const credo::Diagnostics& diagnostics) {
  std::string codes;
  for (const credo::Diagnostic& d : diagnostics.all()) codes += std::string(credo::Info(d.kind).code) + " ";
  return codes;
}

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "front_end_fuzz: invariant broken: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  credo::Compilation c = credo::CompileSource("fuzz.credo", text);
  std::string rendered = c.diagnostics.Render(*c.source);
  Require(c.ok() || (c.diagnostics.has_errors() && !rendered.empty()), "a text that does not compile says why");
  if (text.starts_with(kBom)) return 0;
  credo::Compilation with_bom = credo::CompileSource("fuzz.credo", std::string(kBom) + text);
  with_bom.diagnostics.Render(*with_bom.source);
  Require(with_bom.ok() == c.ok() && Codes(with_bom.diagnostics) == Codes(c.diagnostics),
          "a leading byte-order mark changes nothing");
  return 0;
}
