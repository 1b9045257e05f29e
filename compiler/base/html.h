// html.h — text made safe for HTML and SVG, in element content and in double-quoted attributes
// (credo doc's page and the portfolio report's page and charts).
#pragma once

#include <string>
#include <string_view>

namespace credo {

// `text` with & < > " replaced by their entities; every other byte (UTF-8 included) is kept.
std::string HtmlEscape(std::string_view text);

}  // namespace credo
