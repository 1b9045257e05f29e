// render_json.cc — RenderJson (render.h): schemas credo.compare/1 and credo.report/1 (docs/cli.md).
// Amounts are decimal strings ("1234.50"), exact; counts are integers; rates and indexes numbers.
#include <nlohmann/json.hpp>

#include "compiler/portfolio/render.h"

namespace credo::portfolio {
namespace {

using Json = nlohmann::ordered_json;

Json MixJson(const Mix& mix, int scale) {
  Json out = Json::array();
  for (size_t k = 0; k < mix.values.size(); ++k)
    out.push_back({{"value", mix.values[k]},
                   {"count", k < mix.tallies.size() ? mix.tallies[k].count : 0},
                   {"amount", Money(k < mix.tallies.size() ? mix.tallies[k].amount : 0, scale)}});
  return out;
}

Json CountsJson(const std::vector<CountedText>& counts, bool both) {
  Json out = Json::array();
  for (const auto& c : counts) {
    if (both) out.push_back({{"code", c.text}, {"before", c.count}, {"after", c.other}});
    else out.push_back({{"code", c.text}, {"count", c.count}});
  }
  return out;
}

Json MatrixJson(const Matrix& m, int scale) {
  Json cells = Json::array();
  for (size_t r = 0; r < m.rows.size(); ++r)
    for (size_t c = 0; c < m.columns.size(); ++c) {
      const Tally& t = m.cells[r][c];
      cells.push_back({{"from", m.rows[r]},
                       {"to", m.columns[c]},
                       {"count", t.count},
                       {"amount_before", Money(t.amount, scale)},
                       {"amount_after", Money(t.other_amount, scale)}});
    }
  return {{"rows", m.rows}, {"columns", m.columns}, {"cells", cells}};
}

Json BinsJson(const Bins& b) { return {{"lo", b.lo}, {"width", b.width}, {"count", b.count}}; }

Json SummaryJson(const Summary& s) {
  Json limits = Json::array();
  for (const auto& l : s.limits) {
    Json totals = Json::object();
    for (size_t m = 0; m < s.money_names.size(); ++m) totals[s.money_names[m]] = Money(l.totals[m], 2);
    limits.push_back({{"grade", l.grade}, {"records", l.records}, {"approved", l.approved}, {"totals", totals}});
  }
  Json chars = Json::array();
  for (const auto& ch : s.characteristics) {
    Json bins = Json::array();
    for (const auto& b : ch.bins) {
      Json jb = {{"bin", b.bin}, {"count", b.count}, {"share", b.share}, {"average_points", b.average_points}};
      if (ch.information_value >= 0) {
        jb["outcomes"] = b.outcomes;
        jb["bads"] = b.bads;
        jb["bad_rate"] = b.outcomes ? Json(double(b.bads) / double(b.outcomes)) : Json(nullptr);
      }
      bins.push_back(jb);
    }
    Json jc = {{"scorecard", ch.card}, {"code", ch.code}, {"title", ch.title}, {"bins", bins}};
    if (ch.information_value >= 0) jc["information_value"] = ch.information_value;
    chars.push_back(jc);
  }
  return {{"policy", s.policy},
          {"version", s.version},
          {"file", s.path},
          {"records", s.records},
          {"accepted", s.accepted},
          {"rejected", s.rejected},
          {"approved", s.approved},
          {"approval_rate", s.approval_rate},
          {"approved_amount", Money(s.approved_amount, s.amount_scale)},
          {"decisions", MixJson(s.decisions, s.amount_scale)},
          {"grades", MixJson(s.grades, s.amount_scale)},
          {"limits_by_grade", limits},
          {"decision_reasons", CountsJson(s.decision_reasons, false)},
          {"score_reasons", CountsJson(s.score_reasons, false)},
          {"rejects", CountsJson(s.rejects, false)},
          {"score",
           s.scores.empty() ? Json(nullptr)
                            : Json{{"count", s.scores.size()},
                                   {"min", s.score_min},
                                   {"max", s.score_max},
                                   {"mean", s.score_mean}}},
          {"characteristics", chars}};
}

Json ComparisonJson(const Comparison& c) {
  Json changed = Json::array();
  for (const auto& ch : c.changes)
    changed.push_back({{"line", std::stoll(ch.line)}, {"id", ch.id}, {"decision", {ch.decision[0], ch.decision[1]}},
                       {"grade", {ch.grade[0], ch.grade[1]}}, {"amount", {ch.amount[0], ch.amount[1]}},
                       {"reason", {ch.reason[0], ch.reason[1]}}});
  return {{"schema", "credo.compare/1"},
          {"champion", SummaryJson(c.champion)},
          {"challenger", SummaryJson(c.challenger)},
          {"swap_set", MatrixJson(c.swap, c.champion.amount_scale)},
          {"grade_migration", MatrixJson(c.migration, c.champion.amount_scale)},
          {"decision_reason_shift", CountsJson(c.decision_reason_shift, true)},
          {"score_reason_shift", CountsJson(c.score_reason_shift, true)},
          {"reject_shift", CountsJson(c.reject_shift, true)},
          {"score_bins", BinsJson(c.bins)},
          {"score_histogram", {{"champion", c.champion_scores}, {"challenger", c.challenger_scores}}},
          {"psi", c.psi},
          {"changed", c.changes.size()},
          {"changes", changed},
          {"notes", c.notes}};
}

}  // namespace

std::string RenderJson(const Comparison& comparison) { return ComparisonJson(comparison).dump(2) + "\n"; }

std::string RenderJson(const Report& report) {
  if (report.comparison) return RenderJson(*report.comparison);
  Json j = {{"schema", "credo.report/1"}, {"summary", SummaryJson(*report.summary)}};
  if (report.stability) {
    const Stability& s = *report.stability;
    Json chars = Json::array();
    for (const auto& ch : s.characteristics)
      chars.push_back({{"scorecard", ch.card}, {"code", ch.code}, {"title", ch.title}, {"bins", ch.bins},
                       {"baseline", ch.baseline}, {"current", ch.current}, {"csi", ch.index}});
    j["stability"] = {{"baseline", report.baseline_path},
                      {"score_bins", BinsJson(s.bins)},
                      {"score_histogram", {{"baseline", s.baseline}, {"current", s.current}}},
                      {"psi", s.psi},
                      {"characteristics", chars}};
  }
  return j.dump(2) + "\n";
}

}  // namespace credo::portfolio
