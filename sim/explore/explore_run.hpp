// One explored seed: run the drawn scenario (sim/runner run_scenario) with a coverage collector
// listening to the world's node events. Pure simulation: no files, no wall clock.
#pragma once

#include <cstdint>

#include "sim/explore/coverage.hpp"
#include "sim/runner/runner.hpp"
#include "sim/scenario/scenario.hpp"

namespace mt::sim::explore {

struct ExploredRun {
  RunOutput output;
  Coverage coverage;
};

ExploredRun run_explored(const Scenario& scenario, std::uint64_t seed);

}  // namespace mt::sim::explore
