// render_json.cc — RenderJson (render.h): the schema "credo.explain/1" of docs/explain.md.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/explain/render.h"

namespace credo::explain {
namespace {

using Json = nlohmann::ordered_json;

Json Optional(const std::optional<std::string>& s) { return s ? Json(*s) : Json(nullptr); }
Json NonEmpty(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

// A value: its text, or null when missing or when its evaluation hit an error ("error" says which).
void PutValue(Json& j, const char* key, const Value& v) {
  j[key] = v.present && v.error.empty() ? Json(v.text) : Json(nullptr);
  if (!v.error.empty()) j["error"] = v.error;
}

Json NodeJson(const Node& n) {
  Json j;
  j["kind"] = KindName(n.kind);
  j["name"] = n.name;
  if (!n.title.empty()) j["title"] = n.title;
  if (!n.section.empty()) j["section"] = n.section;
  j["text"] = n.text;
  if (!n.expr.empty()) j["expr"] = n.expr;
  j["at"] = NonEmpty(n.at);
  if (n.group) j["group"] = true;
  if (n.value) PutValue(j, "value", *n.value);
  if (n.hit) j["hit"] = *n.hit;
  if (n.score) {
    j["bin"] = NonEmpty(n.score->bin);
    j["points"] = n.score->points;
    j["max_points"] = n.score->max_points;
    j["shortfall"] = n.score->shortfall;
  }
  if (n.kind == ir::ProbeKind::Reasons) {
    Json ranking = Json::array();
    for (const auto& r : n.ranking)
      ranking.push_back({{"code", r.code},
                         {"title", r.title},
                         {"shortfall", r.shortfall},
                         {"rank", r.rank ? Json(r.rank) : Json(nullptr)}});
    j["ranking"] = std::move(ranking);
  }
  if (!n.children.empty()) {
    Json children = Json::array();
    for (const Node& c : n.children) children.push_back(NodeJson(c));
    j["children"] = std::move(children);
  }
  return j;
}

}  // namespace

const char* KindName(ir::ProbeKind kind) {
  using K = ir::ProbeKind;
  switch (kind) {
    case K::Input: return "input";
    case K::Let: return "let";
    case K::Step: return "step";
    case K::Rule: return "rule";
    case K::MissingFalse: return "missing_false";
    case K::Characteristic: return "characteristic";
    case K::Bin: return "bin";
    case K::Scorecard: return "scorecard";
    case K::Reasons: return "reasons";
    case K::Band: return "band";
    case K::BandRange: return "band_range";
    case K::Table: return "table";
    case K::TableEntry: return "table_entry";
    case K::DecisionTable: return "decision_table";
    case K::DecisionRow: return "decision_row";
    case K::Decision: return "decision";
    case K::DecisionArm: return "decision_arm";
    case K::Fallback: return "fallback";
    case K::Warning: return "warning";
    case K::Output: return "output";
    case K::GroupLet: return "group_let";
    case K::GroupAction: return "group_action";
  }
  return "unknown";
}

std::string RenderJson(const Explanation& e, bool pretty) {
  Json j;
  j["schema"] = "credo.explain/1";
  j["policy"] = {
      {"name", e.policy}, {"version", e.version}, {"file", e.file}, {"hash", fmt::format("{:016x}", e.hash)}};
  j["record"] = {{"row", e.row}, {"line", e.line}, {"id_field", e.id_field}, {"id", e.id}};
  j["status"] = e.accepted ? "accepted" : "rejected";
  if (e.reject) {
    const Reject& r = *e.reject;
    j["reject"] = {{"reason", r.reason},
                   {"kind", r.kind},
                   {"field", NonEmpty(r.field)},
                   {"text", Optional(r.text)},
                   {"expected", r.expected},
                   {"at", NonEmpty(r.at)},
                   {"first_line", r.first_line ? Json(r.first_line) : Json(nullptr)}};
  } else {
    j["reject"] = nullptr;
  }
  Json inputs = Json::array();
  for (const auto& in : e.inputs) {
    Json i{{"name", in.name}, {"type", in.type}, {"text", Optional(in.text)}};
    PutValue(i, "value", in.value);
    i["read"] = in.read;
    inputs.push_back(std::move(i));
  }
  j["inputs"] = std::move(inputs);
  Json nodes = Json::array();
  for (const Node& n : e.nodes) nodes.push_back(NodeJson(n));
  j["elements"] = std::move(nodes);
  j["group_key"] = NonEmpty(e.group_key);
  if (e.group) {
    Json g{{"key", e.group->key}, {"member_lines", e.group->member_lines}};
    Json gn = Json::array();
    for (const Node& n : e.group->nodes) gn.push_back(NodeJson(n));
    g["elements"] = std::move(gn);
    j["group"] = std::move(g);
  } else {
    j["group"] = nullptr;
  }
  Json outputs = Json::array();
  for (const auto& o : e.outputs) {
    Json oj{{"name", o.name}, {"value", o.value}};
    if (o.before_group) oj["before_group"] = *o.before_group;
    outputs.push_back(std::move(oj));
  }
  j["outputs"] = std::move(outputs);
  j[e.accepted ? "output_row" : "reject_row"] = e.output_row;
  // Cells are bytes as written: text that is not UTF-8 is shown with U+FFFD, not refused.
  return j.dump(pretty ? 2 : -1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace credo::explain
