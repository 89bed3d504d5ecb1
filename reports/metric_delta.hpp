// Metric deltas between two runs (`--baseline OLD`): one row per key metric with both values
// and the relative change, plus whether a bigger number is better, so a printer can call the
// change a regression or an improvement without knowing the metric.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sim/run/run_result.hpp"

namespace mt::reports {

struct MetricDelta {
  std::string metric;                 // e.g. "finality_latency_ms.p99"
  std::string unit;                   // "tx/s", "ms", "", ...
  double old_value = 0;
  double new_value = 0;
  std::optional<double> delta_percent;  // empty when the old value is 0 (no meaningful ratio)
  bool higher_is_better = false;
  bool provenance = false;            // harness speed: depends on the host, not the code alone
};

// Rows in a fixed order: throughput, finality, blocks, rounds, stalls, messages, harness speed.
std::vector<MetricDelta> compare_reports(const sim::RunResult& old_run, const sim::RunResult& new_run);

// A change is a regression when it moves the wrong way by more than `tolerance_percent`.
bool is_regression(const MetricDelta& row, double tolerance_percent);

// An aligned table: metric, old, new, delta%, with "worse"/"better" beyond the tolerance.
void print_metric_deltas(std::ostream& out, const std::vector<MetricDelta>& rows,
                         double tolerance_percent = 5.0);

}  // namespace mt::reports
