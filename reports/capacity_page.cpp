// capacity.html: the two curves of a capacity search and its table, on one self-contained page.
#include <algorithm>

#include <fmt/format.h>

#include "reports/capacity_report.hpp"
#include "reports/svg_chart.hpp"
#include "reports/text_format.hpp"

namespace mt::reports {
namespace {

const char* kCapacityStyle = R"css(
body{margin:0;background:#f6f7f9;color:#1f2933;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
main{max-width:1240px;margin:0 auto;padding:24px 20px 40px}h1{font-size:1.6rem;margin:0 0 4px}
.sub{color:#616e7c;margin:0}.verdict{font-size:1.25rem;font-weight:650;margin:16px 0}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:16px}
figure{margin:0;background:#fff;border:1px solid #e4e7eb;border-radius:10px;padding:12px}
figcaption{font-weight:600;margin-bottom:4px}svg.chart{width:100%;height:auto;display:block}
.grid{stroke:#e4e7eb;stroke-width:1}.axis{stroke:#9aa5b1;stroke-width:1}
.tick,.legend,.vline-label{font-size:11px;fill:#616e7c}.axis-label{font-size:12px;fill:#1f2933}.note{font-size:14px;fill:#616e7c}
polyline{fill:none;stroke-width:2;stroke-linejoin:round}
.line-finalized{stroke:#16a34a;stroke-width:2.5}.line-offered{stroke:#9aa5b1;stroke-dasharray:5 4}
.line-p99{stroke:#2563eb;stroke-width:2.5}.line-bound{stroke:#b91c1c;stroke-dasharray:4 3}
.legend-swatch.line-finalized{fill:#16a34a}.legend-swatch.line-offered{fill:#9aa5b1}
.legend-swatch.line-p99{fill:#2563eb}.legend-swatch.line-bound{fill:#b91c1c}.pline{stroke:#d97706;stroke-dasharray:4 3}
pre{background:#111827;color:#f9fafb;padding:12px 14px;border-radius:8px;overflow-x:auto;font-size:.85rem}
)css";

struct Curves {
  std::vector<std::pair<double, double>> finalized, offered, p99;
  double x_max = 1, y_tps_max = 1, y_ms_max = 1;
};

Curves curves_of(const CapacityResult& r) {
  Curves c;
  for (const auto& p : r.points) {
    if (!p.ran) continue;
    const auto x = static_cast<double>(p.rate_per_s);
    c.finalized.emplace_back(x, p.finalized_tps);
    c.offered.emplace_back(x, p.offered_tps);
    c.p99.emplace_back(x, p.latency_p99_ms);
    c.x_max = std::max(c.x_max, x);
    c.y_tps_max = std::max({c.y_tps_max, p.finalized_tps, p.offered_tps});
    c.y_ms_max = std::max(c.y_ms_max, p.latency_p99_ms);
  }
  c.y_ms_max = std::max(c.y_ms_max, r.p99_bound_ms) * 1.1;
  c.y_tps_max *= 1.1;
  return c;
}

void mark_knee(SvgChart& chart, const CapacityResult& r) {
  if (r.saturation.rate_per_s && !r.saturation.beyond_max()) {
    chart.vline(static_cast<double>(*r.saturation.rate_per_s), "pline",
                fmt::format("knee {} tx/s", *r.saturation.rate_per_s));
  }
}

std::string throughput_chart(const CapacityResult& r, const Curves& c) {
  SvgChart chart("capacity-throughput", "finalized TPS against offered rate", {0, c.x_max, "offered rate (tx/s)"},
                 {0, c.y_tps_max, "tx/s"});
  if (c.finalized.empty()) chart.note("no data");
  chart.polyline(c.offered, "line-offered", "offered (measured)");
  chart.polyline(c.finalized, "line-finalized", "finalized");
  mark_knee(chart, r);
  chart.legend({{"line-offered", "offered"}, {"line-finalized", "finalized"}});
  return chart.svg();
}

std::string latency_chart(const CapacityResult& r, const Curves& c) {
  SvgChart chart("capacity-latency", "finality p99 against offered rate", {0, c.x_max, "offered rate (tx/s)"},
                 {0, c.y_ms_max, "ms"});
  if (c.p99.empty()) chart.note("no data");
  chart.polyline({{0, r.p99_bound_ms}, {c.x_max, r.p99_bound_ms}}, "line-bound", "p99 bound");
  chart.polyline(c.p99, "line-p99", "finality p99");
  mark_knee(chart, r);
  chart.legend({{"line-p99", "finality p99"}, {"line-bound", "bound"}});
  return chart.svg();
}

}  // namespace

std::string capacity_html(const CapacityResult& r) {
  const Curves c = curves_of(r);
  std::string page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>mtsim capacity: " +
                     xml_escape(r.scenario_name) + "</title><style>" + kCapacityStyle + "</style></head>\n<body><main>";
  page += "<h1>Capacity of " + xml_escape(r.scenario_name) + "</h1>";
  page += fmt::format(
      "<p class=\"sub\">{}, seed {}; a rate keeps up when finalized TPS &gt;= 95% of offered and finality p99 &lt;= {} "
      "ms</p>",
      xml_escape(r.scenario_file), r.seed, format_fixed(r.p99_bound_ms, 0));
  page += "<p class=\"verdict\">" + xml_escape(saturation_line(r)) + "</p><div class=\"charts\">";
  page += "<figure><figcaption>Finalized against offered</figcaption>" + throughput_chart(r, c) + "</figure>";
  page += "<figure><figcaption>Finality p99 against offered</figcaption>" + latency_chart(r, c) + "</figure></div>";
  page += "<h2>Points</h2><pre>" + xml_escape(capacity_table(r)) + "</pre></main></body></html>\n";
  return page;
}

}  // namespace mt::reports
