// collect_scoring.cc — the parts of a policy document that grade and look up: scorecards (as
// bin tables with their points), bands, lookup tables and decision tables.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "compiler/doc/collect.h"

namespace credo::doc {

namespace {

const char* RoundingText(check::Scaling::Rounding rounding) {
  switch (rounding) {
    case check::Scaling::PerBin: return "per bin: each bin's points are rounded to a whole number (ties away from zero)";
    case check::Scaling::Total: return "total: the score is the sum of the unrounded points, rounded to a whole number";
    case check::Scaling::None: return "none: points and score are not rounded";
  }
  return "";
}

std::string Decimals(double value) { return fmt::format("{:.3f}", value); }

}  // namespace

void Collector::Scorecard(int index) {
  const ast::Scorecard& card = ast_.scorecards[index];
  const check::Scaling& scaling = policy_.scalings[index];
  const std::vector<check::Characteristic>& infos = policy_.scorecards[index];
  Open(card.title.empty() ? "Scorecard" : card.title, card.name.text);
  DocNote(card.name.span.begin);
  // Per bin, the points that add up to the score (unrounded unless each bin is rounded).
  bool unrounded = scaling.scaled && scaling.rounding != check::Scaling::PerBin;
  auto points = [&](const check::Characteristic& info, size_t bin) {
    return unrounded ? info.points[bin] : double(info.rounded[bin]);
  };
  double low = card.baseline.value_or(0), high = low;
  for (const check::Characteristic& info : infos) {
    if (info.points.empty()) continue;
    double lo = points(info, 0), hi = lo;
    for (size_t b = 0; b < info.points.size(); ++b) lo = std::min(lo, points(info, b)), hi = std::max(hi, points(info, b));
    low += lo, high += hi;
  }
  auto score = [&](double s) {
    return scaling.scaled && scaling.rounding == check::Scaling::None ? Decimals(s) : fmt::format("{}", std::llround(s));
  };
  std::vector<Fact> facts;
  if (scaling.scaled) {
    facts.push_back({"Kind", Plain("scaled (weight of evidence): each bin holds a weight of evidence (WoE), each "
                                   "characteristic a weight; the points are computed from them")});
    facts.push_back({"Scaling", Plain(fmt::format("a score of {} stands for good:bad odds of {} to 1; every {} points "
                                                  "double the odds",
                                                  card.scaling->base.text, card.scaling->odds.text, card.scaling->pdo.text))});
    facts.push_back({"Intercept", doc::Code(card.intercept ? card.intercept->text : "0")});
    facts.push_back({"Points of a bin", Plain(fmt::format("(weight × WoE + intercept / {n}) × factor + offset / {n}, "
                                                          "factor = pdo / ln 2 = {f}, offset = score − factor × ln(odds) = {o}",
                                                          fmt::arg("n", card.characteristics.size()),
                                                          fmt::arg("f", Decimals(scaling.factor)),
                                                          fmt::arg("o", Decimals(scaling.offset))))});
    facts.push_back({"Rounding", Plain(RoundingText(scaling.rounding))});
  } else {
    facts.push_back({"Kind", Plain("points: the score is the baseline plus the points of every characteristic")});
    facts.push_back({"Baseline", doc::Code(std::to_string(card.baseline.value_or(0)))});
  }
  facts.push_back({"Score range", Plain(fmt::format("{} to {}", score(low), score(high)))});
  facts.push_back({"Reason codes",
                   Plain(card.reasons > 0 ? fmt::format("up to {}: the characteristics whose points fall short of their "
                                                        "best, largest shortfall first (equal ones in the order written)",
                                                        card.reasons)
                                          : "every characteristic whose points fall short of its best, largest "
                                            "shortfall first (equal ones in the order written)")});
  Facts(std::move(facts));
  Paragraph(Plain("A subject that is missing takes its missing bin. Each characteristic's best points are in bold; "
                  "its shortfall is best minus the points of its bin."));

  Table table{"bins", {"Code", "Characteristic", "Subject"}, {}};
  auto next_of = [](const std::vector<ast::Bin>& bins, size_t b) {
    return b + 1 < bins.size() ? bins[b + 1].span.begin : UINT32_MAX;
  };
  if (scaling.scaled) table.columns.push_back("Weight");
  table.columns.push_back("Bin");
  if (scaling.scaled) table.columns.insert(table.columns.end(), {"WoE", "Points"});
  if (!scaling.scaled || scaling.rounding == check::Scaling::PerBin) table.columns.push_back(scaling.scaled ? "Rounded" : "Points");
  table.columns.push_back("Notes");
  for (size_t c = 0; c < card.characteristics.size(); ++c) {
    const ast::Characteristic& ch = card.characteristics[c];
    const check::Characteristic& info = infos[c];
    for (size_t b = 0; b < ch.bins.size(); ++b) {
      const ast::Bin& bin = ch.bins[b];
      Row row;
      row.starts_group = b == 0;
      row.cells.push_back(b == 0 ? doc::Code(ch.code.text) : Plain(""));
      row.cells.push_back(Plain(b == 0 ? ch.title : ""));
      row.cells.push_back(b == 0 ? Code(*ch.subject) : Plain(""));
      if (scaling.scaled) row.cells.push_back(b == 0 && ch.weight ? doc::Code(ch.weight->text) : Plain(""));
      row.cells.push_back(bin.tests.empty() ? Plain("") : Code({bin.tests.front().span.begin, bin.tests.back().span.end}));
      bool best = b < info.points.size() && (unrounded ? info.points[b] == info.best : info.rounded[b] == info.max_points);
      auto shown = [best](std::string text) { return best ? Strong(std::move(text)) : Plain(std::move(text)); };
      if (scaling.scaled) {
        row.cells.push_back(Code(*bin.result));
        row.cells.push_back(shown(b < info.points.size() ? Decimals(info.points[b]) : ""));
      }
      if (!scaling.scaled || scaling.rounding == check::Scaling::PerBin)
        row.cells.push_back(shown(b < info.rounded.size() ? std::to_string(info.rounded[b]) : ""));
      std::string note = ItemNote(ch.code.span.begin, bin.span.begin, bin.span.end, next_of(ch.bins, b));
      if (b == 0) {  // the characteristic's own note first
        uint32_t header = ch.weight ? ch.weight->span.end : ch.subject->span.end;
        std::string own = ItemNote(card.name.span.begin, ch.code.span.begin, header, bin.span.begin);
        const SourceFile& file = source_.FileAt(ch.code.span.begin);
        if (file.Locate(ch.bins.back().span.end).line == file.Locate(ch.code.span.begin).line) {  // all on one line
          std::string after = CommentAfter(ch.bins.back().span.end);
          own += (own.empty() || after.empty() ? "" : " ") + after;
        }
        note = own + (own.empty() || note.empty() ? "" : " ") + note;
      }
      row.cells.push_back(Plain(note));
      table.rows.push_back(std::move(row));
    }
  }
  Grid(std::move(table));
}

void Collector::Band(int index) {
  const ast::Band& band = ast_.bands[index];
  const check::Symbol* symbol = SymbolOf(check::SymbolKind::Band, index);
  Open("Band", band.name.text);
  DocNote(band.name.span.begin);
  Paragraph({{Run::Code, band.name.text},
             {Run::Text, " ("},
             {Run::Code, symbol ? TypeName(symbol->type) : ""},
             {Run::Text, ") from "},
             {Run::Code, Source(band.subject->span)},
             {Run::Text, ": the ranges are tried in this order and the first that holds gives the value."}});
  Table table{"band", {"Range", "Value", "Notes"}, {}};
  for (size_t b = 0; b < band.bins.size(); ++b) {
    const ast::Bin& bin = band.bins[b];
    uint32_t next = b + 1 < band.bins.size() ? band.bins[b + 1].span.begin : UINT32_MAX;
    table.rows.push_back({{bin.tests.empty() ? Plain("") : Code({bin.tests.front().span.begin, bin.tests.back().span.end}),
                           Code(*bin.result), Plain(ItemNote(band.name.span.begin, bin.span.begin, bin.span.end, next))}});
  }
  Grid(std::move(table));
}

void Collector::LookupTable(const ast::Table& t) {
  Open("Table", t.name.text);
  DocNote(t.name.span.begin);
  Inline intro = Plain("Looked up as ");
  std::string keys;
  for (const ast::TypeRef& key : t.keys) keys += (keys.empty() ? "" : ", ") + key.name.text + (key.optional ? "?" : "");
  intro.push_back({Run::Code, fmt::format("{}[{}]", t.name.text, keys)});
  intro.push_back({Run::Text, ", giving "});
  intro.push_back({Run::Code, t.value.name.text});
  bool wildcards = false;  // a `_` or `-` key somewhere
  for (const ast::TableEntry& entry : t.entries)
    for (const auto& tuple : entry.keys)
      for (const ast::Name& key : tuple) wildcards |= key.text == "_" || key.text == "-";
  intro.push_back({Run::Text, wildcards ? ": the entries are tried in this order and the first that matches gives the "
                                          "value (- or _ matches any value)."
                                        : ": the entries are tried in this order and the first that matches gives the value."});
  Paragraph(std::move(intro));
  Table table{"lookup", {}, {}};
  for (const ast::TypeRef& key : t.keys) table.columns.push_back(key.name.text);
  table.columns.insert(table.columns.end(), {"Value", "Notes"});
  for (size_t e = 0; e < t.entries.size(); ++e) {
    const ast::TableEntry& entry = t.entries[e];
    uint32_t next = e + 1 < t.entries.size() ? t.entries[e + 1].span.begin : UINT32_MAX;
    std::string note = ItemNote(t.name.span.begin, entry.span.begin, entry.span.end, next);
    if (entry.keys.empty()) {
      Row row{{Strong("else")}};
      for (size_t k = 1; k < t.keys.size(); ++k) row.cells.push_back(Plain(""));
      row.cells.insert(row.cells.end(), {Code(*entry.value), Plain(note)});
      table.rows.push_back(std::move(row));
      continue;
    }
    // One key: the alternatives side by side; several: one row per tuple.
    std::vector<std::vector<std::string>> tuples;
    for (size_t i = 0; i < entry.keys.size(); ++i) {
      std::vector<std::string> texts;
      for (size_t k = 0; k < entry.keys[i].size(); ++k) {
        // The cell as written (`>= 50_000.00`, `-`); an enum grid's keys are names only.
        bool cell = i < entry.cells.size() && k < entry.cells[i].size() && entry.cells[i][k].span.end > entry.cells[i][k].span.begin;
        texts.push_back(cell ? Source(entry.cells[i][k].span) : entry.keys[i][k].text);
      }
      if (t.keys.size() == 1 && !tuples.empty()) tuples.back()[0] += ", " + texts[0];
      else tuples.push_back(std::move(texts));
    }
    for (const auto& tuple : tuples) {
      Row row;
      for (const std::string& text : tuple) row.cells.push_back(doc::Code(text));
      row.cells.insert(row.cells.end(), {Code(*entry.value), Plain(note)});
      table.rows.push_back(std::move(row));
    }
  }
  Grid(std::move(table));
}

void Collector::DecisionTable(const ast::DecisionTable& t) {
  using ast::HitPolicy;
  Open(t.title.empty() ? "Decision table" : t.title, t.name.text);
  DocNote(t.span.begin);
  const std::string& out = t.hit_output.text;
  Inline hit = Plain("Hit policy ");
  switch (t.hit) {
    case HitPolicy::First: hit.push_back({Run::Strong, "first"}), hit.push_back({Run::Text, ": the first matching row counts."}); break;
    case HitPolicy::Unique: hit.push_back({Run::Strong, "unique"}), hit.push_back({Run::Text, ": at most one row matches any record (the checker proves it)."}); break;
    case HitPolicy::Any: hit.push_back({Run::Strong, "any"}), hit.push_back({Run::Text, ": the first matching row counts; all matching rows agree."}); break;
    case HitPolicy::Priority:
      hit.push_back({Run::Strong, "priority by " + out});
      hit.push_back({Run::Text, ": of the matching rows, the one whose " + out +
                                    " comes first in its enumeration's order counts (on a tie, the earlier row)."});
      break;
    case HitPolicy::Collect: hit.push_back({Run::Strong, "collect"}), hit.push_back({Run::Text, ": every matching row counts, in row order."}); break;
    case HitPolicy::CollectSum: hit.push_back({Run::Strong, "collect sum(" + out + ")"}), hit.push_back({Run::Text, ": the sum of " + out + " over the matching rows."}); break;
    case HitPolicy::CollectMin: hit.push_back({Run::Strong, "collect min(" + out + ")"}), hit.push_back({Run::Text, ": the smallest " + out + " of the matching rows."}); break;
    case HitPolicy::CollectMax: hit.push_back({Run::Strong, "collect max(" + out + ")"}), hit.push_back({Run::Text, ": the largest " + out + " of the matching rows."}); break;
    case HitPolicy::CollectCount: hit.push_back({Run::Strong, "collect count"}), hit.push_back({Run::Text, ": the number of matching rows."}); break;
  }
  if (t.else_row) hit.push_back({Run::Text, " When no row matches, the else row applies."});
  Paragraph(std::move(hit));
  Paragraph(Plain("A cell - matches any value, missing too; only - and missing match a missing input."));
  // What each input column reads, unless every column is a value of the same name.
  Table inputs{"table-inputs", {"Column", "Value"}, {}};
  bool renamed = false;
  for (size_t i = 0; i < t.labels.size(); ++i) {
    std::string value = i < t.inputs.size() ? Source(t.inputs[i]->span) : "";
    renamed |= value != t.labels[i].text;
    inputs.rows.push_back({{doc::Code(t.labels[i].text), doc::Code(value)}});
  }
  if (renamed) Grid(std::move(inputs));

  Table rows{"decision-table", {"Code", "Description"}, {}};
  for (const ast::Name& label : t.labels) rows.columns.push_back(label.text);
  for (size_t o = 0; o < t.outputs.size(); ++o)
    rows.columns.push_back(fmt::format("{} ({})", t.outputs[o].text, o < t.output_types.size() ? t.output_types[o].name.text : ""));
  rows.columns.push_back("Notes");
  auto add = [&](const ast::DecisionRow& r, bool is_else) {
    Row row{{is_else ? Strong("else") : doc::Code(r.code.text), Plain(r.title)}};
    for (size_t i = 0; i < t.labels.size(); ++i)
      row.cells.push_back(is_else || i >= r.cells.size() ? Plain("") : Code(r.cells[i].span));
    for (const auto& value : r.values) row.cells.push_back(Code(*value));
    row.cells.push_back(Plain(ItemNote(t.span.begin, r.span.begin, r.span.end)));
    rows.rows.push_back(std::move(row));
  };
  for (const ast::DecisionRow& r : t.rows) add(r, false);
  if (t.else_row) add(*t.else_row, true);
  Grid(std::move(rows));
}

}  // namespace credo::doc
