// format.h — `credo fmt`'s library: policy text in credo's one canonical layout.
//
// The layout (docs/language.md, "Layout"): two spaces per block level, one space around
// operators, none inside brackets; the author's line breaks kept (blank lines: at most one, none
// at the start or end of a block); declarations that share a line split; the columns of
// consecutive lines aligned as an author aligns them by hand (input fields, rules, bins, table
// rows and entries, decision arms, lets, outputs, trailing comments). Only whitespace changes:
// every token and comment is kept as written, so the meaning never changes.
#pragma once

#include <optional>
#include <string>

#include "compiler/base/diagnostics.h"

namespace credo {

// Formats policy text in credo's one canonical layout. Returns nullopt (and reports to diags)
// when the text does not parse. Comments are kept; Format(Format(x)) == Format(x).
std::optional<std::string> FormatSource(const SourceFile& source, Diagnostics& diags);

}  // namespace credo
