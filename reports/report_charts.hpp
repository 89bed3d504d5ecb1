// The six charts of report.html, each an <svg> with a stable id (kChartIds) and a <title>.
// Fault windows are drawn as rects of class "fault-window" (one per window) on the TPS chart.
#pragma once

#include <array>
#include <string>

#include "sim/run/run_result.hpp"

namespace mt::reports {

inline constexpr std::array<const char*, 6> kChartIds = {
    "chart-tps", "chart-finality-cdf", "chart-block-interval", "chart-node-heights", "chart-rounds",
    "chart-message-bytes"};

std::string tps_chart(const sim::RunResult& run);
std::string finality_cdf_chart(const sim::RunResult& run);
std::string block_interval_chart(const sim::RunResult& run);
std::string node_heights_chart(const sim::RunResult& run);
std::string rounds_chart(const sim::RunResult& run);
std::string message_bytes_chart(const sim::RunResult& run);

}  // namespace mt::reports
