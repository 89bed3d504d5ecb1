// The generator of `mtsim explore`: a pure function (envelope, seed, kind weights) -> Scenario.
// Every draw comes from a named stream of sim/engine Streams rooted at the seed ("explore.chain",
// "explore.validators", ...), so one seed always draws the same scenario, and drawing one more
// fault does not reshuffle the network. The draw is written in the scenario format and loaded by
// the ordinary strict loader (which resolves it: groups expanded, ids assigned), so a drawn
// scenario is exactly what `mtsim run` reads back from the file explore writes.
//
//   auto g = generate_scenario(default_envelope(), 17, {});
//   if (g.ok()) write(to_yaml(g.value().scenario));
#pragma once

#include <cstdint>
#include <string>

#include "core/util/result.hpp"
#include "sim/explore/envelope.hpp"
#include "sim/explore/swarm.hpp"
#include "sim/scenario/scenario.hpp"

namespace mt::sim::explore {

struct Generated {
  Scenario scenario;
  SwarmDraw swarm;          // the kinds this seed switched on
  bool over_third = false;  // byzantine stake at or above 1/3 on purpose: liveness not expected
  bool big = false;         // a rare 100+ validator seed
  TimeUs fault_phase_us = 0;
  TimeUs stall_bound_us = 0;  // the liveness bound after the last fault healed (0: none expected)
};

// Errors only on a generator bug (the drawn text did not load); the message names the seed.
Result<Generated> generate_scenario(const Envelope& envelope, std::uint64_t seed, const KindWeights& weights);

}  // namespace mt::sim::explore
