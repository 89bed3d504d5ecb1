#include "sim/explore/explore_run.hpp"

namespace mt::sim::explore {

ExploredRun run_explored(const Scenario& scenario, std::uint64_t seed) {
  std::vector<bool> honest;
  for (const auto& v : scenario.validators) {
    bool byz = false;
    for (const auto& g : scenario.groups) byz = byz || (g.name == v.group && g.byzantine.has_value());
    honest.push_back(!byz);
  }
  CoverageCollector collector(std::move(honest));
  RunSettings settings;
  settings.seed = seed;
  settings.on_event = [&collector](std::size_t node, TimeUs t, const Event& e) { collector.on_event(node, t, e); };
  ExploredRun run;
  run.output = run_scenario(scenario, settings);
  if (run.output.error.empty()) run.coverage = collector.finish(run.output.result);
  return run;
}

}  // namespace mt::sim::explore
