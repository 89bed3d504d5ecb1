// Scenario (+ seed + run options) -> WorldConfig: the chain setup (keys, genesis, peer graph, load;
// sim/run/chain_setup.hpp) plus what only the simulator models: zones mapped to the latency
// model, link loss and bandwidth, byzantine wrappers.
#pragma once

#include "sim/run/chain_setup.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/world/world_config.hpp"

namespace mt::sim {

Result<WorldConfig> build_world_config(const Scenario& scenario, std::uint64_t seed, bool share);

}  // namespace mt::sim
