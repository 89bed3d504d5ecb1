#include "sim/run/run_assembly.hpp"

namespace mt::sim {

RunResult assemble_run_result(const Scenario& scenario, const RunView& view, ExpectationSet& expectations,
                              const MetricsCollector& metrics, RunEnd end) {
  RunResult r;
  r.scenario_name = scenario.name;
  r.scenario_file = scenario.file;
  r.seed = end.seed;
  r.simulated_us = end.end_us;
  r.validators = view.nodes.size();
  r.expectations = expectations.finish(end.end_us, metrics);
  metrics.fill(r, expectations.steady(end.end_us), end.end_us);
  r.node_heights = std::move(end.heights);
  for (const auto& n : view.nodes) r.node_names.push_back(n.name);
  r.faults = std::move(end.faults);
  r.exit_code = exit_code_of(r.expectations);
  return r;
}

}  // namespace mt::sim
