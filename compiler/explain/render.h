// render.h — an explanation as text for a reader, or as JSON for machines (docs/explain.md
// documents the schema, "credo.explain/1").
#pragma once

#include <string>

#include "compiler/explain/explanation.h"

namespace credo::explain {

std::string RenderText(const Explanation& e);
// One JSON object; `pretty`: indented over several lines, else on one line (JSON Lines).
std::string RenderJson(const Explanation& e, bool pretty);

// The JSON name of a probe kind: "let", "rule", "decision_arm", ... (snake case of ProbeKind).
const char* KindName(ir::ProbeKind kind);

}  // namespace credo::explain
