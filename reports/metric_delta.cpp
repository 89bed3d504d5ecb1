#include "reports/metric_delta.hpp"

#include <cmath>
#include <iomanip>

#include "reports/text_format.hpp"

namespace mt::reports {
namespace {

struct MetricSpec {
  const char* name;
  const char* unit;
  bool higher_is_better;
  bool provenance;
  double (*read)(const sim::RunResult&);
};

double total_bytes(const sim::RunResult& r) {
  double sum = 0;
  for (const auto& [kind, s] : r.metrics.messages_by_kind) sum += static_cast<double>(s.bytes);
  return sum;
}

double total_messages(const sim::RunResult& r) {
  double sum = 0;
  for (const auto& [kind, s] : r.metrics.messages_by_kind) sum += static_cast<double>(s.sent);
  return sum;
}

// One table so the order of rows is fixed and adding a metric is one line.
const MetricSpec kSpecs[] = {
    {"tps_finalized_mean", "tx/s", true, false, [](const sim::RunResult& r) { return r.metrics.tps_finalized_mean; }},
    {"tps_included_mean", "tx/s", true, false, [](const sim::RunResult& r) { return r.metrics.tps_included_mean; }},
    {"tps_offered_mean", "tx/s", true, false, [](const sim::RunResult& r) { return r.metrics.tps_offered_mean; }},
    {"finality_latency_ms.p50", "ms", false, false, [](const sim::RunResult& r) { return r.metrics.finality_latency_ms.p50; }},
    {"finality_latency_ms.p90", "ms", false, false, [](const sim::RunResult& r) { return r.metrics.finality_latency_ms.p90; }},
    {"finality_latency_ms.p99", "ms", false, false, [](const sim::RunResult& r) { return r.metrics.finality_latency_ms.p99; }},
    {"finality_latency_ms.max", "ms", false, false, [](const sim::RunResult& r) { return r.metrics.finality_latency_ms.max; }},
    {"block_interval_ms.mean", "ms", false, false, [](const sim::RunResult& r) { return r.metrics.block_interval_ms.mean; }},
    {"block_interval_ms.p99", "ms", false, false, [](const sim::RunResult& r) { return r.metrics.block_interval_ms.p99; }},
    {"rounds_per_height.mean", "", false, false, [](const sim::RunResult& r) { return r.metrics.rounds_per_height.mean; }},
    {"final_height", "", true, false, [](const sim::RunResult& r) { return static_cast<double>(r.metrics.final_height); }},
    {"txs_finalized", "", true, false, [](const sim::RunResult& r) { return static_cast<double>(r.metrics.txs_finalized); }},
    {"longest_stall_ms", "ms", false, false, [](const sim::RunResult& r) { return static_cast<double>(r.metrics.longest_stall_us) / 1000.0; }},
    {"messages_sent", "", false, false, total_messages},
    {"message_bytes", "B", false, false, total_bytes},
    {"events_per_second", "ev/s", true, true, [](const sim::RunResult& r) { return r.speed.events_per_second; }},
    {"sim_seconds_per_wall_second", "x", true, true, [](const sim::RunResult& r) { return r.speed.sim_seconds_per_wall_second; }},
    {"wall_seconds", "s", false, true, [](const sim::RunResult& r) { return r.speed.wall_seconds; }},
    {"peak_rss_mib", "MiB", false, true, [](const sim::RunResult& r) { return static_cast<double>(r.speed.peak_rss_bytes) / (1024.0 * 1024.0); }},
};

}  // namespace

std::vector<MetricDelta> compare_reports(const sim::RunResult& old_run, const sim::RunResult& new_run) {
  std::vector<MetricDelta> rows;
  for (const auto& spec : kSpecs) {
    MetricDelta row;
    row.metric = spec.name;
    row.unit = spec.unit;
    row.old_value = spec.read(old_run);
    row.new_value = spec.read(new_run);
    row.higher_is_better = spec.higher_is_better;
    row.provenance = spec.provenance;
    if (row.old_value != 0 && std::isfinite(row.old_value) && std::isfinite(row.new_value)) {
      row.delta_percent = (row.new_value - row.old_value) / std::fabs(row.old_value) * 100.0;
    }
    rows.push_back(row);
  }
  return rows;
}

bool is_regression(const MetricDelta& row, double tolerance_percent) {
  if (!row.delta_percent) return false;
  double d = *row.delta_percent;
  return row.higher_is_better ? d < -tolerance_percent : d > tolerance_percent;
}

void print_metric_deltas(std::ostream& out, const std::vector<MetricDelta>& rows, double tolerance_percent) {
  out << std::left << std::setw(30) << "metric" << std::right << std::setw(14) << "old"
      << std::setw(14) << "new" << std::setw(10) << "delta" << "\n";
  for (const auto& row : rows) {
    std::string delta = row.delta_percent ? format_fixed(*row.delta_percent, 1) + "%" : "n/a";
    if (row.delta_percent && !delta.starts_with("-")) delta = "+" + delta;
    std::string label = row.metric + (row.unit.empty() ? "" : " (" + row.unit + ")");
    out << std::left << std::setw(30) << label << std::right << std::setw(14) << format_fixed(row.old_value, 2)
        << std::setw(14) << format_fixed(row.new_value, 2) << std::setw(10) << delta;
    if (is_regression(row, tolerance_percent)) {
      out << "  worse";
    } else if (row.delta_percent && std::fabs(*row.delta_percent) > tolerance_percent) {
      out << "  better";
    }
    if (row.provenance) out << "  (host-dependent)";
    out << "\n";
  }
}

}  // namespace mt::reports
