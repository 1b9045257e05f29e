// slips.h — operators from other languages (`=` for `==`, `&&`, `||`, `!`, `<>`). The grammar
// accepts them where credo's own operator would stand, so that each slip gets one diagnostic
// with its fix, instead of a cascade of syntax errors, and the AST holds what was meant.
#pragma once

#include <string_view>

#include "compiler/base/diagnostics.h"

namespace credo {

// The credo operator that slip `op` stands for ("==" for "="), or null when `op` is credo's own.
const char* SlipMeaning(std::string_view op);

// Reports slip `op` at `span` in `left op right` (`left` empty for a prefix `!`). The operands'
// source text, when short, makes the hint's example.
void ReportSlip(Diagnostics& diags, Span span, std::string_view op, std::string_view left, std::string_view right);

}  // namespace credo
