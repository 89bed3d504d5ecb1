#include "reports/report_charts.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "reports/run_facts.hpp"
#include "reports/svg_chart.hpp"
#include "reports/text_format.hpp"

namespace mt::reports {
namespace {

constexpr std::size_t kMaxPolylinePoints = 1000;  // bound the page size for long runs
constexpr std::size_t kMaxNodeLines = 24;          // beyond this, draw min / median / max only
constexpr std::size_t kHistogramBins = 24;

double seconds(std::int64_t us) { return static_cast<double>(us) / 1e6; }

// Every k-th point so a polyline has at most kMaxPolylinePoints (the last point always kept).
std::vector<std::pair<double, double>> thin(std::vector<std::pair<double, double>> points) {
  if (points.size() <= kMaxPolylinePoints) return points;
  std::size_t step = (points.size() + kMaxPolylinePoints - 1) / kMaxPolylinePoints;
  std::vector<std::pair<double, double>> out;
  for (std::size_t i = 0; i < points.size(); i += step) out.push_back(points[i]);
  if ((points.size() - 1) % step != 0) out.push_back(points.back());
  return out;
}

void shade_faults(SvgChart& chart, const sim::RunResult& run) {
  for (const auto& f : run.faults) {
    std::int64_t end = f.end_us < 0 ? run.simulated_us : f.end_us;
    chart.band_x(seconds(f.start_us), seconds(end), "fault-window",
                 f.id + " (" + f.kind + ": " + f.targets + ") " + format_seconds_us(f.start_us) + " to " +
                     (f.end_us < 0 ? "end" : format_seconds_us(f.end_us)));
  }
}

}  // namespace

std::string tps_chart(const sim::RunResult& run) {
  double top = 1;
  for (const auto& p : run.series) top = std::max({top, p.offered_tps, p.included_tps, p.finalized_tps});
  SvgChart chart("chart-tps", "Transactions per second over time", {0, seconds(run.simulated_us), "time (s)"},
                 {0, top * 1.1, "tx/s"});
  shade_faults(chart, run);
  std::vector<std::pair<double, double>> offered, included, finalized;
  for (const auto& p : run.series) {
    offered.emplace_back(seconds(p.t_us), p.offered_tps);
    included.emplace_back(seconds(p.t_us), p.included_tps);
    finalized.emplace_back(seconds(p.t_us), p.finalized_tps);
  }
  chart.polyline(thin(offered), "line-offered", "offered tx/s");
  chart.polyline(thin(included), "line-included", "included tx/s");
  chart.polyline(thin(finalized), "line-finalized", "finalized tx/s");
  if (run.series.empty()) chart.note("no time series recorded");
  chart.legend({{"line-offered", "offered"}, {"line-included", "included"}, {"line-finalized", "finalized"},
                {"fault-window", "fault window"}});
  return chart.svg();
}

std::string finality_cdf_chart(const sim::RunResult& run) {
  const auto& samples = run.metrics.finality_latency_samples_ms;
  double top = samples.empty() ? 1 : std::max(1.0, samples.back());
  SvgChart chart("chart-finality-cdf", "Finality latency, cumulative distribution", {0, top * 1.05, "latency (ms)"},
                 {0, 100, "% of transactions"});
  std::vector<std::pair<double, double>> cdf;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    cdf.emplace_back(samples[i], 100.0 * static_cast<double>(i + 1) / static_cast<double>(samples.size()));
  }
  const auto& q = run.metrics.finality_latency_ms;
  chart.vline(q.p50, "pline", "p50");
  chart.vline(q.p99, "pline", "p99");
  chart.polyline(thin(cdf), "line-cdf", "cumulative share of transactions finalized within the latency");
  if (samples.empty()) chart.note("no finalized transactions");
  return chart.svg();
}

std::string block_interval_chart(const sim::RunResult& run) {
  auto intervals = block_intervals_ms(run);
  double top = 1;
  for (double v : intervals) top = std::max(top, v);
  double width = top / static_cast<double>(kHistogramBins);
  std::vector<std::size_t> bins(kHistogramBins, 0);
  for (double v : intervals) {
    auto bin = static_cast<std::size_t>(std::max(0.0, v) / width);
    ++bins[std::min(bin, kHistogramBins - 1)];
  }
  double most = 1;
  for (auto b : bins) most = std::max(most, static_cast<double>(b));
  SvgChart chart("chart-block-interval", "Block interval histogram", {0, top, "interval between finalized blocks (ms)"},
                 {0, most * 1.1, "blocks"});
  for (std::size_t i = 0; i < kHistogramBins; ++i) {
    if (bins[i] == 0) continue;
    double lo = width * static_cast<double>(i);
    chart.bar(lo, lo + width * 0.92, static_cast<double>(bins[i]), "bar-interval",
              fmt::format("{} blocks between {} and {} ms", bins[i], format_fixed(lo, 0), format_fixed(lo + width, 0)));
  }
  if (intervals.empty()) chart.note("fewer than two blocks");
  return chart.svg();
}

std::string node_heights_chart(const sim::RunResult& run) {
  std::uint64_t top = 1;
  std::size_t nodes = 0;
  for (const auto& p : run.node_heights) {
    nodes = std::max(nodes, p.heights.size());
    for (auto h : p.heights) top = std::max(top, h);
  }
  SvgChart chart("chart-node-heights", "Finalized height per node over time",
                 {0, seconds(run.simulated_us), "time (s)"}, {0, static_cast<double>(top) * 1.05, "height"});
  shade_faults(chart, run);
  auto name_of = [&](std::size_t i) {
    return i < run.node_names.size() ? run.node_names[i] : fmt::format("node {}", i);
  };
  if (nodes <= kMaxNodeLines) {
    for (std::size_t n = 0; n < nodes; ++n) {
      std::vector<std::pair<double, double>> line;
      for (const auto& p : run.node_heights) {
        if (n < p.heights.size()) line.emplace_back(seconds(p.t_us), static_cast<double>(p.heights[n]));
      }
      chart.polyline(thin(line), fmt::format("line-node node-{}", n % 8), name_of(n));
    }
  } else {
    std::vector<std::pair<double, double>> low, mid, high;
    for (const auto& p : run.node_heights) {
      if (p.heights.empty()) continue;
      auto sorted = p.heights;
      std::sort(sorted.begin(), sorted.end());
      low.emplace_back(seconds(p.t_us), static_cast<double>(sorted.front()));
      mid.emplace_back(seconds(p.t_us), static_cast<double>(sorted[sorted.size() / 2]));
      high.emplace_back(seconds(p.t_us), static_cast<double>(sorted.back()));
    }
    chart.polyline(thin(low), "line-node node-1", "lowest node");
    chart.polyline(thin(mid), "line-node node-0", "median node");
    chart.polyline(thin(high), "line-node node-2", "highest node");
    chart.legend({{"node-1", "lowest"}, {"node-0", "median"}, {"node-2", fmt::format("highest of {}", nodes)}});
  }
  if (run.node_heights.empty()) chart.note("no height samples");
  return chart.svg();
}

std::string rounds_chart(const sim::RunResult& run) {
  std::uint64_t first = UINT64_MAX, last = 0;
  std::uint32_t most = 1;
  for (const auto& b : run.blocks) {
    first = std::min(first, b.height);
    last = std::max(last, b.height);
    most = std::max(most, b.round + 1);
  }
  if (run.blocks.empty()) first = 0;
  SvgChart chart("chart-rounds", "Rounds needed per height", {static_cast<double>(first) - 0.5, static_cast<double>(last) + 0.5, "height"},
                 {0, static_cast<double>(most) + 0.5, "rounds (round index + 1)"});
  for (const auto& b : run.blocks) {
    auto h = static_cast<double>(b.height);
    chart.bar(h - 0.4, h + 0.4, static_cast<double>(b.round) + 1, b.round > 0 ? "bar-round-extra" : "bar-round",
              fmt::format("height {}: {} round(s), proposer {}", b.height, b.round + 1, b.proposer));
  }
  if (run.blocks.empty()) chart.note("no blocks");
  return chart.svg();
}

std::string message_bytes_chart(const sim::RunResult& run) {
  const auto& kinds = run.metrics.messages_by_kind;
  double top = 1;
  for (const auto& [kind, s] : kinds) top = std::max(top, static_cast<double>(s.bytes));
  SvgChart chart("chart-message-bytes", "Bytes sent per message type", {0, top * 1.05, "bytes"},
                 {0, 1, ""});
  chart.hide_y_ticks();
  std::size_t row = 0;
  for (const auto& [kind, s] : kinds) {
    chart.hbar(row++, kinds.size(), static_cast<double>(s.bytes), kind, "bar-bytes",
               fmt::format("{}: {} in {} messages", kind, format_bytes(s.bytes), s.sent));
  }
  if (kinds.empty()) chart.note("no messages recorded");
  return chart.svg();
}

}  // namespace mt::reports
