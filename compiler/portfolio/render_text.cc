// render_text.cc — RenderText and ChangedCsv (render.h): aligned tables for a terminal.
#include <algorithm>

#include <fmt/format.h>

#include "compiler/portfolio/render.h"

namespace credo::portfolio {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// Columns padded to their widest cell; the first column left-aligned, the others right-aligned.
std::string Table(const Rows& rows) {
  std::vector<size_t> width;
  auto length = [](const std::string& s) {  // code points, so "–" counts as one
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  };
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], length(row[c]));
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line = "  ";
    for (size_t c = 0; c < row.size(); ++c) {
      std::string pad(width[c] - length(row[c]), ' ');
      line += c == 0 ? row[c] + pad : "  " + pad + row[c];
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string Percent(double share) { return fmt::format("{:.1f}%", 100 * share); }
std::string Share(uint64_t part, uint64_t whole) { return whole ? Percent(double(part) / double(whole)) : "-"; }

std::string Heading(const std::string& title) { return "\n" + title + "\n"; }

std::string MatrixText(const Matrix& m, bool money, int scale) {
  Rows rows;
  std::vector<std::string> head = {"champion \\ challenger"};
  for (const auto& c : m.columns) head.push_back(c);
  rows.push_back(head);
  for (size_t r = 0; r < m.rows.size(); ++r) {
    std::vector<std::string> row = {m.rows[r]};
    for (size_t c = 0; c < m.columns.size(); ++c) {
      const Tally& t = m.cells[r][c];
      row.push_back(money && t.count ? fmt::format("{} ({} → {})", t.count, MoneyGrouped(t.amount, scale),
                                                   MoneyGrouped(t.other_amount, scale))
                                     : std::to_string(t.count));
    }
    rows.push_back(row);
  }
  return Table(rows);
}

std::string ShiftText(const std::vector<CountedText>& shift, size_t top) {
  Rows rows = {{"code", "before", "after", "change"}};
  for (size_t k = 0; k < shift.size() && k < top; ++k) {
    const auto& s = shift[k];
    rows.push_back({s.text, std::to_string(s.count), std::to_string(s.other),
                    fmt::format("{:+}", int64_t(s.other) - int64_t(s.count))});
  }
  return Table(rows);
}

std::string SummaryText(const Summary& s) {
  std::string out = fmt::format("{} {} ({}): {} records, {} accepted, {} rejected\n", s.policy, s.version, s.path,
                                s.records, s.accepted, s.rejected);
  out += fmt::format("  approved {} ({} of accepted), amount {}\n", s.approved, Percent(s.approval_rate),
                     MoneyGrouped(s.approved_amount, s.amount_scale));
  if (!s.scores.empty())
    out += fmt::format("  score: min {:g}, mean {:.1f}, max {:g}\n", s.score_min, s.score_mean, s.score_max);
  Rows mix = {{"decision", "records", "share", "amount"}};
  for (size_t k = 0; k < s.decisions.values.size(); ++k)
    mix.push_back({s.decisions.values[k], std::to_string(s.decisions.tallies[k].count),
                   Share(s.decisions.tallies[k].count, s.records), MoneyGrouped(s.decisions.tallies[k].amount, s.amount_scale)});
  out += Heading("Decisions") + Table(mix);
  if (!s.limits.empty()) {
    Rows limits = {{"grade", "records", "approved", "rate"}};
    for (const auto& m : s.money_names) limits[0].push_back(m + " total");
    for (const auto& l : s.limits) {
      std::vector<std::string> row = {l.grade, std::to_string(l.records), std::to_string(l.approved),
                                      Share(l.approved, l.records)};
      for (int64_t t : l.totals) row.push_back(MoneyGrouped(t, 2));
      limits.push_back(row);
    }
    out += Heading("Limits by grade") + Table(limits);
  }
  if (!s.rejects.empty()) {
    Rows rejects = {{"reject reason", "records"}};
    for (const auto& r : s.rejects) rejects.push_back({r.text, std::to_string(r.count)});
    out += Heading("Rejects") + Table(rejects);
  }
  for (const auto& ch : s.characteristics) {
    Rows bins = {{"bin", "records", "share", "avg points"}};
    bool outcome = ch.information_value >= 0;
    if (outcome) bins[0].insert(bins[0].end(), {"outcomes", "bad rate"});
    for (const auto& b : ch.bins) {
      bins.push_back({b.bin, std::to_string(b.count), Percent(b.share), fmt::format("{:.1f}", b.average_points)});
      if (outcome) bins.back().insert(bins.back().end(), {std::to_string(b.outcomes), Share(b.bads, b.outcomes)});
    }
    out += Heading(fmt::format("{}.{} {}{}", ch.card, ch.code, ch.title,
                               outcome ? fmt::format(" (information value {:.3f})", ch.information_value) : "")) +
           Table(bins);
  }
  return out;
}

std::string Csv(const std::string& field) {
  if (field.find_first_of(",\"\n\r") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string RenderText(const Comparison& c) {
  const Summary &a = c.champion, &b = c.challenger;
  std::string out = fmt::format("champion   {} {} ({})\nchallenger {} {} ({})\n", a.policy, a.version, a.path, b.policy,
                                b.version, b.path);
  for (const auto& note : c.notes) out += "note: " + note + "\n";
  Rows kpi = {{"", "champion", "challenger", "change"}};
  kpi.push_back({"records", std::to_string(a.records), std::to_string(b.records), ""});
  kpi.push_back({"rejected", std::to_string(a.rejected), std::to_string(b.rejected),
                 fmt::format("{:+}", int64_t(b.rejected) - int64_t(a.rejected))});
  kpi.push_back({"approved", std::to_string(a.approved), std::to_string(b.approved),
                 fmt::format("{:+}", int64_t(b.approved) - int64_t(a.approved))});
  kpi.push_back({"approval rate", Percent(a.approval_rate), Percent(b.approval_rate),
                 fmt::format("{:+.1f} pt", 100 * (b.approval_rate - a.approval_rate))});
  kpi.push_back({"approved amount", MoneyGrouped(a.approved_amount, a.amount_scale), MoneyGrouped(b.approved_amount, b.amount_scale),
                 MoneyGrouped(b.approved_amount - a.approved_amount, a.amount_scale)});
  if (!a.scores.empty() && !b.scores.empty())
    kpi.push_back({"mean score", fmt::format("{:.1f}", a.score_mean), fmt::format("{:.1f}", b.score_mean),
                   fmt::format("{:+.1f}", b.score_mean - a.score_mean)});
  kpi.push_back({"changed records", "", std::to_string(c.changes.size()), ""});
  out += Heading("Overview") + Table(kpi);
  out += Heading("Swap set: decisions (records, amount champion → challenger)") +
         MatrixText(c.swap, true, a.amount_scale);
  if (!c.migration.rows.empty()) out += Heading("Grade migration (records accepted by both)") + MatrixText(c.migration, false, 2);

  if (!a.limits.empty() || !b.limits.empty()) {
    Rows limits = {{"grade", "records", "", "approved", ""}};
    limits.push_back({"", "champion", "challenger", "champion", "challenger"});
    for (const auto& m : a.money_names) limits[0].insert(limits[0].end(), {m, ""}),
                                        limits[1].insert(limits[1].end(), {"champion", "challenger"});
    for (size_t g = 0; g < std::max(a.limits.size(), b.limits.size()); ++g) {
      const GradeLimits* l0 = g < a.limits.size() ? &a.limits[g] : nullptr;
      const GradeLimits* l1 = g < b.limits.size() ? &b.limits[g] : nullptr;
      std::vector<std::string> row = {l0 ? l0->grade : l1->grade, l0 ? std::to_string(l0->records) : "",
                                      l1 ? std::to_string(l1->records) : "", l0 ? std::to_string(l0->approved) : "",
                                      l1 ? std::to_string(l1->approved) : ""};
      for (size_t m = 0; m < a.money_names.size(); ++m) {
        row.push_back(l0 && m < l0->totals.size() ? MoneyGrouped(l0->totals[m], 2) : "");
        size_t m1 = size_t(std::find(b.money_names.begin(), b.money_names.end(), a.money_names[m]) - b.money_names.begin());
        row.push_back(l1 && m1 < l1->totals.size() ? MoneyGrouped(l1->totals[m1], 2) : "");
      }
      limits.push_back(row);
    }
    out += Heading("Limits by grade (totals)") + Table(limits);
  }
  out += Heading("Decision reasons") + ShiftText(c.decision_reason_shift, 20);
  if (!c.score_reason_shift.empty()) out += Heading("Scorecard reasons") + ShiftText(c.score_reason_shift, 20);
  if (!c.reject_shift.empty()) out += Heading("Rejects (records either policy rejected, by reason)") + ShiftText(c.reject_shift, 50);
  if (c.bins.count) {
    Rows hist = {{"score", "champion", "challenger"}};
    for (size_t k = 0; k < c.bins.count; ++k)
      hist.push_back({c.bins.Label(k), std::to_string(c.champion_scores[k]), std::to_string(c.challenger_scores[k])});
    out += Heading(fmt::format("Score distribution (PSI {:.4f}{})", c.psi,
                               c.psi < 0.1 ? ": stable" : c.psi < 0.25 ? ": some shift" : ": major shift")) +
           Table(hist);
  }
  return out;
}

std::string ChangedCsv(const Comparison& c) {
  std::string out =
      "line,id,champion_decision,challenger_decision,champion_grade,challenger_grade,champion_amount,"
      "challenger_amount,champion_reason,challenger_reason\n";
  for (const auto& ch : c.changes) {
    std::vector<std::string> cells = {ch.line,      ch.id,        ch.decision[0], ch.decision[1], ch.grade[0],
                                      ch.grade[1], ch.amount[0], ch.amount[1],   ch.reason[0],   ch.reason[1]};
    for (size_t k = 0; k < cells.size(); ++k) out += (k ? "," : "") + Csv(cells[k]);
    out += "\n";
  }
  return out;
}

std::string RenderText(const Report& report) {
  if (report.comparison) return RenderText(*report.comparison);
  std::string out = SummaryText(*report.summary);
  if (report.stability) {
    const Stability& s = *report.stability;
    Rows hist = {{"score", "baseline", "current"}};
    for (size_t k = 0; k < s.bins.count; ++k)
      hist.push_back({s.bins.Label(k), std::to_string(s.baseline[k]), std::to_string(s.current[k])});
    out += Heading(fmt::format("Stability against {} (score PSI {:.4f})", report.baseline_path, s.psi)) + Table(hist);
    Rows csi = {{"characteristic", "CSI"}};
    for (const auto& ch : s.characteristics)
      csi.push_back({fmt::format("{}.{} {}", ch.card, ch.code, ch.title), fmt::format("{:.4f}", ch.index)});
    out += Table(csi);
  }
  return out;
}

}  // namespace credo::portfolio
