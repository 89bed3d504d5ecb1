// A run's result, assembled the same way by both runtimes from what they collected: the
// expectations settled at the end, the metrics over the steady window, the nodes, the fault
// windows and the exit code. The caller adds what only it knows (the digest, message counts,
// height samples, provenance).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/metrics/metrics_collector.hpp"
#include "sim/run/expectations.hpp"
#include "sim/run/run_result.hpp"

namespace mt::sim {

struct RunEnd {
  std::uint64_t seed = 1;
  TimeUs end_us = 0;                      // the run's last instant
  std::vector<FaultWindow> faults;        // as the runtime applied them
  std::vector<NodeHeightPoint> heights;   // sampled height of every node
};

RunResult assemble_run_result(const Scenario& scenario, const RunView& view, ExpectationSet& expectations,
                              const MetricsCollector& metrics, RunEnd end);

}  // namespace mt::sim
