// render.h — the figures of portfolio.h as text (aligned tables for a terminal), JSON
// (schema credo.compare/1 and credo.report/1, docs/cli.md) and one self-contained HTML page
// with inline SVG charts (docs/portfolio.md).
#pragma once

#include <optional>
#include <string>

#include "compiler/portfolio/portfolio.h"

namespace credo::portfolio {

std::string RenderText(const Comparison& comparison);
std::string RenderJson(const Comparison& comparison);
// The records whose outcome changed, as CSV (--changed): line, id, both decisions, grades,
// amounts and reasons.
std::string ChangedCsv(const Comparison& comparison);

// What `credo report` shows: one run's figures, and with a baseline portfolio their stability;
// or a comparison of two policies (`credo compare --report`).
struct Report {
  std::optional<Summary> summary;
  std::optional<Stability> stability;
  std::string baseline_path;
  std::optional<Comparison> comparison;
};
std::string RenderText(const Report& report);
std::string RenderJson(const Report& report);
std::string RenderHtml(const Report& report);

}  // namespace credo::portfolio
