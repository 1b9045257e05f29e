// render_html.cc — RenderHtml (render.h): one self-contained HTML5 page, inline CSS and inline
// SVG charts (charts.h), no script, nothing fetched, so it opens offline and prints.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "compiler/base/html.h"
#include "compiler/portfolio/charts.h"
#include "compiler/portfolio/render.h"

namespace credo::portfolio {
namespace {

const char* kStyle = R"(
:root { --rule: #c8ccd2; --head: #eef1f4; --ink: #1b1f24; --soft: #57606a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink);
       margin: 0 auto; padding: 20px 28px 40px; max-width: 1200px; }
h1 { font-size: 1.7em; margin: 0 0 .3em; }
h2 { font-size: 1.3em; margin: 1.6em 0 .5em; padding-bottom: .2em; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.05em; margin: 1.2em 0 .3em; }
h2, h3 { break-after: avoid; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: .6em 0; }
.tile { border: 1px solid var(--rule); border-radius: 6px; padding: .4em .8em; min-width: 150px; }
.tile b { display: block; font-size: 1.35em; }
.tile span { color: var(--soft); font-size: .85em; }
.row { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.row > figure { margin: 0; }
figure figcaption { font-weight: 600; margin-bottom: .3em; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: .9em; }
th, td { border: 1px solid var(--rule); padding: .2em .5em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: var(--head); }
tr { break-inside: avoid; }
p.note { color: var(--soft); }
svg.chart { max-width: 100%; height: auto; font-size: 11px; }
svg .grid { stroke: #e3e6ea; }
svg .axis, svg .value, svg .legend { fill: var(--soft); }
svg .cell { fill: var(--ink); }
svg .cell.dark { fill: #fff; }
svg rect.same { stroke: var(--ink); stroke-width: 1.5; }
footer { margin-top: 2.5em; color: var(--soft); font-size: .85em; }
@page { size: A4; margin: 12mm; }
@media print { body { font-size: 9.5pt; padding: 0; max-width: none; } figure, table { break-inside: avoid; } }
)";

std::string Percent(double share) { return fmt::format("{:.1f}%", 100 * share); }
std::string Share(uint64_t part, uint64_t whole) { return whole ? Percent(double(part) / double(whole)) : "–"; }

std::string Tile(const std::string& value, const std::string& label) {
  return fmt::format("<div class=\"tile\"><b>{}</b><span>{}</span></div>", HtmlEscape(value), HtmlEscape(label));
}

std::string Figure(const std::string& caption, const std::string& chart) {
  return fmt::format("<figure><figcaption>{}</figcaption>\n{}</figure>\n", HtmlEscape(caption), chart);
}

std::string TableHtml(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows) {
  std::string out = "<table><thead><tr>";
  for (const auto& h : head) out += "<th>" + HtmlEscape(h) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const auto& cell : row) out += "<td>" + HtmlEscape(cell) + "</td>";
    out += "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::vector<double> Counts(const std::vector<uint64_t>& counts) { return {counts.begin(), counts.end()}; }

std::vector<std::string> Labels(const Bins& bins) {
  std::vector<std::string> labels;
  for (size_t k = 0; k < bins.count; ++k) labels.push_back(bins.Label(k));
  return labels;
}

// The value of each of `labels` in a mix (0 when the mix has no such value).
std::vector<double> MixCounts(const Mix& mix, const std::vector<std::string>& labels) {
  std::vector<double> out;
  for (const auto& label : labels) {
    auto it = std::find(mix.values.begin(), mix.values.end(), label);
    size_t k = size_t(it - mix.values.begin());
    out.push_back(it == mix.values.end() || k >= mix.tallies.size() ? 0 : double(mix.tallies[k].count));
  }
  return out;
}

std::vector<std::string> Union(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out = a;
  for (const auto& v : b)
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  return out;
}

std::string ReasonChart(const std::string& id, const std::string& title, const std::vector<CountedText>& counts,
                        bool both, const char* first = "champion", const char* second = "challenger") {
  std::vector<std::string> labels;
  Series a{first, {}}, b{second, {}};
  for (size_t k = 0; k < counts.size() && k < 12; ++k) {
    labels.push_back(counts[k].text);
    a.values.push_back(double(counts[k].count));
    b.values.push_back(double(counts[k].other));
  }
  if (labels.empty()) return "<p class=\"note\">No " + HtmlEscape(title) + ".</p>\n";
  return Figure(title, BarChart(id, title, labels, both ? std::vector<Series>{a, b} : std::vector<Series>{a}));
}

std::string LimitsTable(const Summary& s) {
  std::vector<std::string> head = {"grade", "records", "approved", "approval rate"};
  for (const auto& m : s.money_names) head.push_back(m + " (total)");
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : s.limits) {
    rows.push_back({l.grade, std::to_string(l.records), std::to_string(l.approved), Share(l.approved, l.records)});
    for (int64_t t : l.totals) rows.back().push_back(MoneyGrouped(t, 2));
  }
  return TableHtml(head, rows);
}

// The total of the first money output per grade, in millions, for one or two runs.
std::string LimitsChart(const std::vector<const Summary*>& runs, const std::vector<std::string>& names) {
  const Summary& first = *runs[0];
  if (first.limits.empty() || first.money_names.empty()) return "";
  size_t money = 0;  // the approved amount when it is a money output, else the first one
  for (size_t m = 0; m < first.money_names.size(); ++m)
    if (first.money_names[m].find("approv") != std::string::npos) money = m;
  std::vector<std::string> grades;
  for (const auto& l : first.limits) grades.push_back(l.grade);
  std::vector<Series> series;
  for (size_t k = 0; k < runs.size(); ++k) {
    Series s{names[k], {}};
    for (const auto& grade : grades) {
      double total = 0;
      for (const auto& l : runs[k]->limits)
        if (l.grade == grade && money < l.totals.size()) total = double(l.totals[money]) / 1e8;  // cents → millions
      s.values.push_back(std::round(total * 100) / 100);
    }
    series.push_back(std::move(s));
  }
  std::string title = first.money_names[money] + " by grade, millions";
  return Figure(title, BarChart("limits", title, grades, series));
}

std::string RejectsTable(const Summary& s) {
  if (s.rejects.empty()) return "<p class=\"note\">No record was rejected.</p>\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : s.rejects) rows.push_back({r.text, std::to_string(r.count)});
  return TableHtml({"reject reason", "records"}, rows);
}

std::string Characteristics(const Summary& s) {
  std::string out;
  size_t n = 0;
  for (const auto& ch : s.characteristics) {
    bool outcome = ch.information_value >= 0;
    std::vector<std::string> head = {"bin", "records", "share", "average points"};
    if (outcome) head.insert(head.end(), {"with outcome", "bads", "bad rate"});
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> labels;
    Series shares{"share %", {}}, bad{"bad rate %", {}};
    for (const auto& b : ch.bins) {
      rows.push_back({b.bin, std::to_string(b.count), Percent(b.share), fmt::format("{:.1f}", b.average_points)});
      if (outcome)
        rows.back().insert(rows.back().end(), {std::to_string(b.outcomes), std::to_string(b.bads), Share(b.bads, b.outcomes)});
      labels.push_back(b.bin);
      shares.values.push_back(100 * b.share);
      bad.values.push_back(b.outcomes ? 100.0 * double(b.bads) / double(b.outcomes) : 0);
    }
    std::string title = fmt::format("{}.{} {}", ch.card, ch.code, ch.title);
    if (outcome) title += fmt::format(" — information value {:.3f}", ch.information_value);
    out += "<h3>" + HtmlEscape(title) + "</h3>\n<div class=\"row\">" + TableHtml(head, rows) +
           BarChart(fmt::format("bins-{}", ++n), title, labels,
                    outcome ? std::vector<Series>{shares, bad} : std::vector<Series>{shares}) +
           "</div>\n";
  }
  return out;
}

std::string SummaryPage(const Report& report) {
  const Summary& s = *report.summary;
  std::string out = fmt::format("<h1>{} {} — portfolio report</h1>\n<p class=\"note\">{} · {} records</p>\n",
                                HtmlEscape(s.policy), HtmlEscape(s.version), HtmlEscape(s.path), s.records);
  out += "<div class=\"tiles\">" + Tile(std::to_string(s.accepted), "accepted") +
         Tile(std::to_string(s.rejected), "rejected") + Tile(Percent(s.approval_rate), "approval rate") +
         Tile(MoneyGrouped(s.approved_amount, s.amount_scale), "approved amount") +
         (s.scores.empty() ? "" : Tile(fmt::format("{:.1f}", s.score_mean), "mean score")) +
         (report.stability ? Tile(fmt::format("{:.4f}", report.stability->psi), "score PSI vs baseline") : "") +
         "</div>\n";

  out += "<h2>Score distribution</h2>\n";
  if (report.stability) {
    const Stability& st = *report.stability;
    out += Figure(fmt::format("Score: baseline ({}) and current, PSI {:.4f}", report.baseline_path, st.psi),
                  ColumnChart("score", "score histogram", Labels(st.bins),
                              {{"baseline", Counts(st.baseline)}, {"current", Counts(st.current)}}));
  } else if (!s.scores.empty()) {
    Bins bins = ScoreBins(s.scores, {});
    out += Figure("Score histogram", ColumnChart("score", "score histogram", Labels(bins),
                                                 {{"records", Counts(Histogram(s.scores, bins))}}));
  }
  out += "<h2>Decisions and grades</h2>\n<div class=\"row\">";
  out += Figure("Decision mix", BarChart("decisions", "decision mix", s.decisions.values,
                                         {{"records", MixCounts(s.decisions, s.decisions.values)}}));
  if (!s.grades.values.empty())
    out += Figure("Grade mix", BarChart("grades", "grade mix", s.grades.values,
                                        {{"records", MixCounts(s.grades, s.grades.values)}}));
  out += "</div>\n<h2>Top reasons</h2>\n<div class=\"row\">";
  out += ReasonChart("decision-reasons", "decision reasons", s.decision_reasons, false, "records");
  out += ReasonChart("score-reasons", "scorecard reasons", s.score_reasons, false, "records");
  out += "</div>\n<h2>Limits by grade</h2>\n<div class=\"row\">" + LimitsTable(s) + LimitsChart({&s}, {"total"}) +
         "</div>\n";
  out += "<h2>Rejects</h2>\n" + RejectsTable(s);
  if (report.stability) {
    const Stability& st = *report.stability;
    out += fmt::format("<h2>Characteristic stability (CSI) against {}</h2>\n", HtmlEscape(report.baseline_path));
    std::vector<std::vector<std::string>> rows;
    for (const auto& ch : st.characteristics)
      rows.push_back({fmt::format("{}.{} {}", ch.card, ch.code, ch.title), fmt::format("{:.4f}", ch.index)});
    out += TableHtml({"characteristic", "CSI"}, rows) + "<div class=\"row\">";
    size_t n = 0;
    for (const auto& ch : st.characteristics) {
      std::vector<double> b, c;
      for (double v : ch.baseline) b.push_back(100 * v);
      for (double v : ch.current) c.push_back(100 * v);
      out += Figure(fmt::format("{} {}: CSI {:.4f}", ch.code, ch.title, ch.index),
                    BarChart(fmt::format("csi-{}", ++n), ch.code + " shares", ch.bins,
                             {{"baseline %", b}, {"current %", c}}));
    }
    out += "</div>\n";
  }
  if (!s.characteristics.empty()) out += "<h2>Scorecard characteristics: bins</h2>\n" + Characteristics(s);
  return out;
}

std::string MatrixChart(const std::string& id, const std::string& title, const Matrix& m, int scale) {
  std::vector<std::vector<double>> values;
  std::vector<std::vector<std::string>> texts;
  for (size_t r = 0; r < m.rows.size(); ++r) {
    values.emplace_back();
    texts.emplace_back();
    for (size_t c = 0; c < m.columns.size(); ++c) {
      const Tally& t = m.cells[r][c];
      values.back().push_back(double(t.count));
      texts.back().push_back(t.count ? fmt::format("{}", t.count) : "·");
    }
  }
  (void)scale;
  return Figure(title, HeatMap(id, title, m.rows, m.columns, values, texts));
}

std::string ComparisonPage(const Comparison& c) {
  const Summary &a = c.champion, &b = c.challenger;
  std::string out = fmt::format("<h1>{} {} → {} {}</h1>\n<p class=\"note\">champion {} · challenger {} · {} records</p>\n",
                                HtmlEscape(a.policy), HtmlEscape(a.version), HtmlEscape(b.policy),
                                HtmlEscape(b.version), HtmlEscape(a.path), HtmlEscape(b.path), a.records);
  for (const auto& note : c.notes) out += "<p class=\"note\">Note: " + HtmlEscape(note) + "</p>\n";
  out += "<div class=\"tiles\">" +
         Tile(fmt::format("{} → {}", Percent(a.approval_rate), Percent(b.approval_rate)), "approval rate") +
         Tile(fmt::format("{} → {}", MoneyGrouped(a.approved_amount, a.amount_scale), MoneyGrouped(b.approved_amount, b.amount_scale)),
              "approved amount") +
         Tile(std::to_string(c.changes.size()), "records whose outcome changed") +
         Tile(fmt::format("{:.4f}", c.psi), "score PSI") + "</div>\n";
  std::vector<std::vector<std::string>> kpi = {
      {"records", std::to_string(a.records), std::to_string(b.records)},
      {"rejected", std::to_string(a.rejected), std::to_string(b.rejected)},
      {"approved", std::to_string(a.approved), std::to_string(b.approved)},
      {"approval rate", Percent(a.approval_rate), Percent(b.approval_rate)},
      {"approved amount", MoneyGrouped(a.approved_amount, a.amount_scale), MoneyGrouped(b.approved_amount, b.amount_scale)}};
  out += TableHtml({"", "champion", "challenger"}, kpi);

  out += "<h2>Swap set and grade migration</h2>\n<div class=\"row\">";
  out += MatrixChart("swap-set", "Swap set: champion decision (rows) → challenger decision", c.swap, a.amount_scale);
  if (!c.migration.rows.empty())
    out += MatrixChart("migration", "Grade migration (records both accepted)", c.migration, a.amount_scale);
  out += "</div>\n";
  std::vector<std::vector<std::string>> money;
  for (size_t r = 0; r < c.swap.rows.size(); ++r)
    for (size_t k = 0; k < c.swap.columns.size(); ++k)
      if (const Tally& t = c.swap.cells[r][k]; t.count)
        money.push_back({c.swap.rows[r] + " → " + c.swap.columns[k], std::to_string(t.count),
                         MoneyGrouped(t.amount, a.amount_scale), MoneyGrouped(t.other_amount, a.amount_scale)});
  out += TableHtml({"swap", "records", "amount (champion)", "amount (challenger)"}, money);

  out += fmt::format("<h2>Score distribution</h2>\n");
  out += Figure(fmt::format("Score histogram, PSI {:.4f}", c.psi),
                ColumnChart("score", "score histogram", Labels(c.bins),
                            {{"champion", Counts(c.champion_scores)}, {"challenger", Counts(c.challenger_scores)}}));
  out += "<h2>Decision and grade mix</h2>\n<div class=\"row\">";
  auto decisions = Union(a.decisions.values, b.decisions.values);
  out += Figure("Decision mix", BarChart("decisions", "decision mix", decisions,
                                         {{"champion", MixCounts(a.decisions, decisions)},
                                          {"challenger", MixCounts(b.decisions, decisions)}}));
  auto grades = Union(a.grades.values, b.grades.values);
  if (!grades.empty())
    out += Figure("Grade mix", BarChart("grades", "grade mix", grades,
                                        {{"champion", MixCounts(a.grades, grades)},
                                         {"challenger", MixCounts(b.grades, grades)}}));
  out += "</div>\n<h2>Reason shift</h2>\n<div class=\"row\">";
  out += ReasonChart("decision-reasons", "decision reasons", c.decision_reason_shift, true);
  out += ReasonChart("score-reasons", "scorecard reasons", c.score_reason_shift, true);
  out += "</div>\n<h2>Limits by grade</h2>\n" + LimitsChart({&a, &b}, {"champion", "challenger"}) +
         "<div class=\"row\"><div><h3>champion</h3>\n" + LimitsTable(a) + "</div><div><h3>challenger</h3>\n" +
         LimitsTable(b) + "</div></div>\n";
  if (!c.reject_shift.empty()) {
    std::vector<std::vector<std::string>> rejects;
    for (const auto& r : c.reject_shift) rejects.push_back({r.text, std::to_string(r.count), std::to_string(r.other)});
    out += "<h2>Rejects</h2>\n" + TableHtml({"reject reason", "champion", "challenger"}, rejects);
  }
  out += fmt::format("<h2>Changed records ({})</h2>\n", c.changes.size());
  std::vector<std::vector<std::string>> rows;
  for (size_t k = 0; k < c.changes.size() && k < 100; ++k) {
    const Change& ch = c.changes[k];
    rows.push_back({ch.line, ch.id, ch.decision[0] + " → " + ch.decision[1], ch.grade[0] + " → " + ch.grade[1],
                    ch.amount[0] + " → " + ch.amount[1], ch.reason[0] + " → " + ch.reason[1]});
  }
  out += TableHtml({"line", "id", "decision", "grade", "amount", "reason"}, rows);
  if (c.changes.size() > 100)
    out += fmt::format("<p class=\"note\">The first 100 of {}; <code>--changed FILE</code> writes them all.</p>\n",
                       c.changes.size());
  return out;
}

}  // namespace

std::string RenderHtml(const Report& report) {
  std::string title = report.comparison ? "credo compare: " + report.comparison->champion.policy
                                        : "credo report: " + report.summary->policy;
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
      HtmlEscape(title), kStyle);
  out += report.comparison ? ComparisonPage(*report.comparison) : SummaryPage(report);
  out += "<footer>Made by credo (docs/portfolio.md). PSI and CSI: Σ (actual − expected) · ln(actual / expected) over "
         "the bins' shares, an empty share counted as 0.0001; below 0.1 stable, 0.1–0.25 some shift, above 0.25 a "
         "major shift.</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace credo::portfolio
