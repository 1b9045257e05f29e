#include "cli/run_summary.h"

#include <fmt/format.h>

#include "runtime/io/jsonl.h"

namespace credo::cli {
namespace {

std::string Json(std::string_view text) {
  std::string out;
  io::AppendJsonString(out, text);
  return out;
}

}  // namespace

std::string SummaryText(const exec::RunStats& s) {
  std::string out = fmt::format("rows read: {}\naccepted:  {}\nrejected:  {}\n", s.rows, s.accepted, s.rejected);
  for (const auto& [column, counts] : s.by_value) {
    out += fmt::format("{}:", column);
    for (const auto& [value, n] : counts) out += fmt::format(" {}={}", value, n);
    out += "\n";
  }
  for (const auto& t : s.top_values) {
    out += fmt::format("{} (top {} of {} distinct, {} with a value):", t.column, t.top.size(), t.distinct, t.present);
    for (const auto& [value, n] : t.top) out += fmt::format(" {}={}", value, n);
    if (t.uncounted) out += fmt::format(" (and {} rows of values past the first {} distinct, not told apart)",
                                        t.uncounted, exec::OutputSummary::kMaxDistinct);
    out += "\n";
  }
  for (const auto& m : s.totals) out += fmt::format("{}: total {} over {} rows with a value\n", m.column, m.sum, m.present);
  if (s.groups_written) out += fmt::format("per-group rows written: {}\n", s.groups_written);
  if (s.spilled_bytes)
    out += fmt::format("spilled:   {:.1f} MiB to temporary files, {} partitions (largest about {:.1f} MiB)\n",
                       double(s.spilled_bytes) / (1 << 20), s.partitions, double(s.largest_partition_bytes) / (1 << 20));
  out += fmt::format("time:      {:.3f} s ({:.0f} rows/s)\n", s.seconds, s.seconds > 0 ? s.rows / s.seconds : 0.0);
  return out;
}

std::string SummaryJson(const exec::RunStats& s) {
  std::string out = fmt::format("{{\"rows\":{},\"accepted\":{},\"rejected\":{},\"counts\":{{", s.rows, s.accepted, s.rejected);
  for (size_t i = 0; i < s.by_value.size(); ++i) {
    out += (i ? "," : "") + Json(s.by_value[i].first) + ":{";
    const auto& counts = s.by_value[i].second;
    for (size_t k = 0; k < counts.size(); ++k) out += fmt::format("{}{}:{}", k ? "," : "", Json(counts[k].first), counts[k].second);
    out += "}";
  }
  out += "},\"top\":{";
  for (size_t i = 0; i < s.top_values.size(); ++i) {
    const auto& t = s.top_values[i];
    out += fmt::format("{}{}:{{\"present\":{},\"distinct\":{},\"uncounted\":{},\"values\":[", i ? "," : "", Json(t.column),
                       t.present, t.distinct, t.uncounted);
    for (size_t k = 0; k < t.top.size(); ++k)
      out += fmt::format("{}{{\"value\":{},\"count\":{}}}", k ? "," : "", Json(t.top[k].first), t.top[k].second);
    out += "]}";
  }
  out += "},\"totals\":{";
  // A total is a JSON number written from its exact decimal text, as the output's money cells.
  for (size_t i = 0; i < s.totals.size(); ++i)
    out += fmt::format("{}{}:{{\"sum\":{},\"present\":{}}}", i ? "," : "", Json(s.totals[i].column), s.totals[i].sum,
                       s.totals[i].present);
  out += fmt::format("}},\"groups_written\":{},\"spilled_bytes\":{},\"partitions\":{},\"seconds\":{:.3f}}}\n",
                     s.groups_written, s.spilled_bytes, s.partitions, s.seconds);
  return out;
}

}  // namespace credo::cli
