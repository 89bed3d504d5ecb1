#include "reports/svg_chart.hpp"

#include <algorithm>
#include <cmath>

#include "core/util/assert.hpp"
#include "reports/text_format.hpp"

namespace mt::reports {
namespace {

constexpr double kLeft = 84, kRight = 16, kTop = 34, kBottom = 46;
constexpr int kMaxTicks = 50;  // bound: a degenerate range never loops long

std::string num(double v) { return format_fixed(v, 1); }

}  // namespace

std::vector<double> nice_ticks(double min, double max, int count) {
  MT_ASSERT(count > 0, "nice_ticks: count must be positive");
  if (!(max > min) || !std::isfinite(min) || !std::isfinite(max)) return {min};
  double raw = (max - min) / count;
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * magnitude;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  for (double t = std::ceil(min / step) * step; t <= max + step * 1e-9 && ticks.size() < kMaxTicks; t += step) {
    ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
  }
  return ticks;
}

std::string tick_label(double value) {
  double a = std::fabs(value);
  if (a >= 1e9) return format_shortest(std::round(value / 1e8) / 10) + "G";
  if (a >= 1e6) return format_shortest(std::round(value / 1e5) / 10) + "M";
  if (a >= 1e4) return format_shortest(std::round(value / 1e2) / 10) + "k";
  return format_shortest(std::round(value * 1000) / 1000);
}

SvgChart::SvgChart(std::string id, std::string title, ChartAxis x, ChartAxis y)
    : id_(std::move(id)), title_(std::move(title)), x_(std::move(x)), y_(std::move(y)) {
  if (!(x_.max > x_.min)) x_.max = x_.min + 1;
  if (!(y_.max > y_.min)) y_.max = y_.min + 1;
}

double SvgChart::px(double x) const {
  double f = std::clamp((x - x_.min) / (x_.max - x_.min), 0.0, 1.0);
  return kLeft + f * (kWidth - kLeft - kRight);
}

double SvgChart::py(double y) const {
  double f = std::clamp((y - y_.min) / (y_.max - y_.min), 0.0, 1.0);
  return kHeight - kBottom - f * (kHeight - kTop - kBottom);
}

void SvgChart::band_x(double x0, double x1, const std::string& css_class, const std::string& tooltip) {
  double a = px(x0), b = px(std::max(x0, x1));
  body_ += "<rect class=\"" + css_class + "\" x=\"" + num(a) + "\" y=\"" + num(kTop) + "\" width=\"" +
           num(std::max(b - a, 1.0)) + "\" height=\"" + num(kHeight - kTop - kBottom) + "\"><title>" +
           xml_escape(tooltip) + "</title></rect>";
}

void SvgChart::vline(double x, const std::string& css_class, const std::string& label) {
  body_ += "<line class=\"" + css_class + "\" x1=\"" + num(px(x)) + "\" x2=\"" + num(px(x)) + "\" y1=\"" +
           num(kTop) + "\" y2=\"" + num(kHeight - kBottom) + "\"/><text class=\"vline-label\" x=\"" +
           num(px(x) + 3) + "\" y=\"" + num(kTop + 10) + "\">" + xml_escape(label) + "</text>";
}

void SvgChart::polyline(const std::vector<std::pair<double, double>>& points, const std::string& css_class,
                        const std::string& tooltip) {
  if (points.empty()) return;
  std::string coords;
  for (const auto& [x, y] : points) coords += num(px(x)) + "," + num(py(y)) + " ";
  body_ += "<polyline class=\"mark " + css_class + "\" points=\"" + coords + "\"><title>" + xml_escape(tooltip) +
           "</title></polyline>";
}

void SvgChart::bar(double x0, double x1, double y, const std::string& css_class, const std::string& tooltip) {
  double left = px(x0), right = px(x1), top = py(y), base = py(y_.min);
  body_ += "<rect class=\"mark " + css_class + "\" x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" +
           num(std::max(right - left, 1.0)) + "\" height=\"" + num(std::max(base - top, 0.0)) + "\"><title>" +
           xml_escape(tooltip) + "</title></rect>";
}

void SvgChart::hbar(std::size_t row, std::size_t rows, double x, const std::string& label,
                    const std::string& css_class, const std::string& tooltip) {
  MT_ASSERT(row < rows, "hbar: row out of range");
  double band = (kHeight - kTop - kBottom) / static_cast<double>(rows);
  double top = kTop + band * static_cast<double>(row) + band * 0.15;
  double left = px(x_.min);
  body_ += "<rect class=\"mark " + css_class + "\" x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" +
           num(std::max(px(x) - left, 1.0)) + "\" height=\"" + num(band * 0.7) + "\"><title>" +
           xml_escape(tooltip) + "</title></rect><text class=\"bar-label\" x=\"" + num(left - 6) + "\" y=\"" +
           num(top + band * 0.35 + 4) + "\" text-anchor=\"end\">" + xml_escape(label) + "</text>";
}

void SvgChart::legend(const std::vector<std::pair<std::string, std::string>>& entries) {
  double x = kLeft;
  for (const auto& [css_class, label] : entries) {
    legend_ += "<rect class=\"legend-swatch " + css_class + "\" x=\"" + num(x) + "\" y=\"10\" width=\"14\" "
               "height=\"10\"/><text class=\"legend\" x=\"" + num(x + 19) + "\" y=\"19\">" + xml_escape(label) +
               "</text>";
    x += 30 + 7.0 * static_cast<double>(label.size());
  }
}

void SvgChart::note(const std::string& text) {
  body_ += "<text class=\"note\" x=\"" + num(kWidth / 2) + "\" y=\"" + num(kHeight / 2) +
           "\" text-anchor=\"middle\">" + xml_escape(text) + "</text>";
}

std::string SvgChart::axes() const {
  std::string out = "<g class=\"axes\">";
  for (double t : nice_ticks(x_.min, x_.max, 8)) {
    out += "<line class=\"grid\" x1=\"" + num(px(t)) + "\" x2=\"" + num(px(t)) + "\" y1=\"" + num(kTop) +
           "\" y2=\"" + num(kHeight - kBottom) + "\"/><text class=\"tick\" x=\"" + num(px(t)) + "\" y=\"" +
           num(kHeight - kBottom + 16) + "\" text-anchor=\"middle\">" + tick_label(t) + "</text>";
  }
  if (y_ticks_) {
    for (double t : nice_ticks(y_.min, y_.max, 5)) {
      out += "<line class=\"grid\" x1=\"" + num(kLeft) + "\" x2=\"" + num(kWidth - kRight) + "\" y1=\"" +
             num(py(t)) + "\" y2=\"" + num(py(t)) + "\"/><text class=\"tick\" x=\"" + num(kLeft - 6) + "\" y=\"" +
             num(py(t) + 4) + "\" text-anchor=\"end\">" + tick_label(t) + "</text>";
    }
  }
  out += "<line class=\"axis\" x1=\"" + num(kLeft) + "\" x2=\"" + num(kWidth - kRight) + "\" y1=\"" +
         num(kHeight - kBottom) + "\" y2=\"" + num(kHeight - kBottom) + "\"/>";
  out += "<text class=\"axis-label\" x=\"" + num((kLeft + kWidth - kRight) / 2) + "\" y=\"" + num(kHeight - 8) +
         "\" text-anchor=\"middle\">" + xml_escape(x_.label) + "</text>";
  out += "<text class=\"axis-label\" transform=\"translate(14," + num((kTop + kHeight - kBottom) / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">" + xml_escape(y_.label) + "</text></g>";
  return out;
}

std::string SvgChart::svg() const {
  return "<svg id=\"" + xml_escape(id_) + "\" class=\"chart\" viewBox=\"0 0 " + num(kWidth) + " " + num(kHeight) +
         "\" role=\"img\" aria-labelledby=\"" + xml_escape(id_) + "-title\"><title id=\"" + xml_escape(id_) +
         "-title\">" + xml_escape(title_) + "</title>" + axes() + "<g class=\"data\">" + body_ + "</g>" + legend_ +
         "</svg>";
}

}  // namespace mt::reports
