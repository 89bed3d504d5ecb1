// A small hand-written SVG chart builder for report.html: linear axes with "nice" ticks and grid
// lines, polylines, bars, shaded x-bands and a legend. Output is deterministic text (fixed
// decimals, no locale). Every data element carries class "mark", which the page's self-check
// script counts to prove a chart was drawn. Coordinates are in a fixed viewBox; CSS scales it.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace mt::reports {

struct ChartAxis {
  double min = 0;
  double max = 1;
  std::string label;
};

class SvgChart {
 public:
  static constexpr double kWidth = 720;
  static constexpr double kHeight = 320;

  // `id` becomes the <svg> id; `title` its <title> (the accessible name).
  SvgChart(std::string id, std::string title, ChartAxis x, ChartAxis y);

  void hide_y_ticks() { y_ticks_ = false; }
  // A shaded vertical band over [x0, x1] (clamped to the axis), e.g. a fault window.
  void band_x(double x0, double x1, const std::string& css_class, const std::string& tooltip);
  void vline(double x, const std::string& css_class, const std::string& label);
  void polyline(const std::vector<std::pair<double, double>>& points, const std::string& css_class,
                const std::string& tooltip);
  // A bar from y = axis minimum up to `y` over [x0, x1].
  void bar(double x0, double x1, double y, const std::string& css_class, const std::string& tooltip);
  // A horizontal bar in row `row` of `rows` (top to bottom) from x = axis minimum to `x`.
  void hbar(std::size_t row, std::size_t rows, double x, const std::string& label, const std::string& css_class,
            const std::string& tooltip);
  void legend(const std::vector<std::pair<std::string, std::string>>& entries);  // (css class, label)
  void note(const std::string& text);  // centred text, e.g. "no data"

  [[nodiscard]] std::string svg() const;

  // Data to pixel coordinates inside the viewBox.
  [[nodiscard]] double px(double x) const;
  [[nodiscard]] double py(double y) const;

 private:
  [[nodiscard]] std::string axes() const;

  std::string id_, title_;
  ChartAxis x_, y_;
  bool y_ticks_ = true;
  std::string body_;
  std::string legend_;
};

// Tick positions covering [min, max] at a 1-2-5 step, about `count` of them.
std::vector<double> nice_ticks(double min, double max, int count);

// Short tick labels: "1.5k", "20", "0.25".
std::string tick_label(double value);

}  // namespace mt::reports
