// charts.cc — the SVG charts of charts.h. Sizes are fixed in user units and scaled by the
// viewBox, so a chart fits its column on screen and on paper.
#include "compiler/portfolio/charts.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "compiler/base/html.h"

namespace credo::portfolio {
namespace {

const char* kColors[] = {"#4a78b5", "#e08a2c", "#5aa469", "#b5495b"};

std::string Number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", int64_t(v));
  return fmt::format("{:.3g}", v);
}

double Max(const std::vector<Series>& series) {
  double top = 0;
  for (const auto& s : series)
    for (double v : s.values) top = std::max(top, v);
  return top > 0 ? top : 1;
}

// A round step (1, 2 or 5 × 10^n) giving at most four grid lines up to `peak`.
double TickStep(double peak) {
  double power = std::pow(10.0, std::floor(std::log10(peak / 4)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power * 4 >= peak) return m * power;
  return 10 * power;
}

std::string Open(const std::string& id, const std::string& title, double width, double height, size_t marks) {
  return fmt::format(
      "<svg class=\"chart\" data-chart=\"{}\" data-marks=\"{}\" viewBox=\"0 0 {} {}\" width=\"{}\" role=\"img\" "
      "xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>\n",
      HtmlEscape(id), marks, width, height, width, HtmlEscape(title));
}

std::string Legend(const std::vector<Series>& series, double x, double y) {
  if (series.size() < 2) return "";
  std::string out;
  for (size_t s = 0; s < series.size(); ++s)
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" "
                       "class=\"legend\">{}</text>\n",
                       x + double(s) * 120, y, kColors[s % 4], x + double(s) * 120 + 14, y + 9,
                       HtmlEscape(series[s].name));
  return out;
}

size_t Marks(const std::vector<Series>& series) {
  size_t n = 0;
  for (const auto& s : series) n += s.values.size();
  return n;
}

}  // namespace

std::string ColumnChart(const std::string& id, const std::string& title, const std::vector<std::string>& labels,
                        const std::vector<Series>& series) {
  const double left = 48, top = 24, plot_h = 180, bottom = 56;
  double group_w = std::max(24.0, std::min(64.0, 640.0 / double(std::max<size_t>(1, labels.size()))));
  double width = left + group_w * double(labels.size()) + 16, height = top + plot_h + bottom;
  double step = TickStep(Max(series)), bar_w = (group_w - 6) / double(std::max<size_t>(1, series.size()));
  double peak = step * std::ceil(Max(series) / step);  // the plot's top: a round number
  std::string out = Open(id, title, width, height, Marks(series));
  for (double tick = 0; tick <= peak + step / 2; tick += step) {
    double y = top + plot_h - plot_h * tick / peak;
    out += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid\"/><text x=\"{}\" "
                       "y=\"{:.1f}\" class=\"axis\" text-anchor=\"end\">{}</text>\n",
                       left, width - 8, y, y, left - 4, y + 4, Number(tick));
  }
  for (size_t k = 0; k < labels.size(); ++k) {
    double x0 = left + group_w * double(k) + 3;
    for (size_t s = 0; s < series.size(); ++s) {
      double v = k < series[s].values.size() ? series[s].values[k] : 0;
      double h = plot_h * v / peak;
      out += fmt::format("<rect class=\"mark\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                         "fill=\"{}\"><title>{} {}: {}</title></rect>\n",
                         x0 + bar_w * double(s), top + plot_h - h, bar_w - 1, h, kColors[s % 4],
                         HtmlEscape(series[s].name), HtmlEscape(labels[k]), Number(v));
    }
    out += fmt::format("<text class=\"axis\" transform=\"translate({:.1f},{}) rotate(-40)\" "
                       "text-anchor=\"end\">{}</text>\n",
                       x0 + group_w / 2, top + plot_h + 12, HtmlEscape(labels[k]));
  }
  out += Legend(series, left, 6);
  return out + "</svg>\n";
}

std::string BarChart(const std::string& id, const std::string& title, const std::vector<std::string>& labels,
                     const std::vector<Series>& series) {
  const double label_w = 120, plot_w = 290, row_h = 10.0 * double(std::max<size_t>(1, series.size())) + 8,
               top = series.size() > 1 ? 22 : 6;
  double width = label_w + plot_w + 60, height = top + row_h * double(labels.size()) + 6;
  double peak = Max(series);
  std::string out = Open(id, title, width, height, Marks(series));
  for (size_t k = 0; k < labels.size(); ++k) {
    double y0 = top + row_h * double(k);
    out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", label_w - 6,
                       y0 + row_h / 2 + 3, HtmlEscape(labels[k]));
    for (size_t s = 0; s < series.size(); ++s) {
      double v = k < series[s].values.size() ? series[s].values[k] : 0;
      double w = plot_w * v / peak, y = y0 + 4 + 10.0 * double(s);
      out += fmt::format("<rect class=\"mark\" x=\"{}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"9\" fill=\"{}\">"
                         "<title>{} {}: {}</title></rect><text class=\"value\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n",
                         label_w, y, w, kColors[s % 4], HtmlEscape(series[s].name), HtmlEscape(labels[k]), Number(v),
                         label_w + w + 4, y + 8, Number(v));
    }
  }
  out += Legend(series, label_w, 4);
  return out + "</svg>\n";
}

std::string HeatMap(const std::string& id, const std::string& title, const std::vector<std::string>& rows,
                    const std::vector<std::string>& columns, const std::vector<std::vector<double>>& values,
                    const std::vector<std::vector<std::string>>& texts) {
  const double label_w = 96, top = 40, cell_w = 92, cell_h = 30;
  double width = label_w + cell_w * double(columns.size()) + 8, height = top + cell_h * double(rows.size()) + 8;
  double peak = 0;
  for (const auto& row : values)
    for (double v : row) peak = std::max(peak, v);
  if (peak <= 0) peak = 1;
  std::string out = Open(id, title, width, height, rows.size() * columns.size());
  out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"12\">challenger →</text>\n", label_w);
  for (size_t c = 0; c < columns.size(); ++c)
    out += fmt::format("<text class=\"axis\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                       label_w + cell_w * (double(c) + 0.5), top - 8, HtmlEscape(columns[c]));
  for (size_t r = 0; r < rows.size(); ++r) {
    double y = top + cell_h * double(r);
    out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", label_w - 6,
                       y + cell_h / 2 + 4, HtmlEscape(rows[r]));
    for (size_t c = 0; c < columns.size(); ++c) {
      double v = values[r][c], t = std::sqrt(v / peak);  // sqrt: small off-diagonal cells stay visible
      int shade = int(std::lround(245 - 170 * t));
      bool same = rows[r] == columns[c];
      out += fmt::format("<rect class=\"mark{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" "
                         "fill=\"rgb({},{},{})\"><title>{} → {}: {}</title></rect>"
                         "<text class=\"cell{}\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n",
                         same ? " same" : "", label_w + cell_w * double(c), y, cell_w - 2, cell_h - 2, shade,
                         int(std::lround(shade * 0.8 + 40)), 255, HtmlEscape(rows[r]), HtmlEscape(columns[c]),
                         HtmlEscape(texts[r][c]), t > 0.6 ? " dark" : "", label_w + cell_w * (double(c) + 0.5) - 1,
                         y + cell_h / 2 + 3, HtmlEscape(texts[r][c]));
    }
  }
  return out + "</svg>\n";
}

}  // namespace credo::portfolio
