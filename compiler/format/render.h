// render.h — lines and their stops → text: spacing between tokens, indentation, the aligned
// columns of each run of lines, and where a continued line starts.
#pragma once

#include <string>
#include <vector>

#include "compiler/format/lines.h"

namespace credo::format {

// Aligning a column never pushes a line past this width (for the stops that are capped); a
// line that is longer on its own is left as long as it is.
inline constexpr int kMaxAlignedWidth = 120;

std::string Render(const std::vector<Token>& tokens, const Structure& structure);

}  // namespace credo::format
