// charts.h — plain inline SVG charts for the HTML report: deterministic text, no script, drawn
// by any browser and printer offline. Each chart is an <svg class="chart" data-chart=ID> whose
// data marks (bars, heat-map cells) carry class "mark"; data-marks says how many it has, so a
// test can check from the DOM that every chart was drawn whole.
#pragma once

#include <string>
#include <vector>

namespace credo::portfolio {

struct Series {
  std::string name;
  std::vector<double> values;
};

// Vertical bars, one group per label, one bar per series (two series: before / after).
std::string ColumnChart(const std::string& id, const std::string& title, const std::vector<std::string>& labels,
                        const std::vector<Series>& series);
// Horizontal bars, one row per label (a mix, the top reasons); `texts` are the values as shown.
std::string BarChart(const std::string& id, const std::string& title, const std::vector<std::string>& labels,
                     const std::vector<Series>& series);
// A matrix of cells shaded by value (swap set, grade migration); rows down, columns across.
// Cells on the diagonal (same label) are outlined: the records that did not move.
std::string HeatMap(const std::string& id, const std::string& title, const std::vector<std::string>& rows,
                    const std::vector<std::string>& columns, const std::vector<std::vector<double>>& values,
                    const std::vector<std::vector<std::string>>& texts);

}  // namespace credo::portfolio
