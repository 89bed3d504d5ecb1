// A one-screen, human summary of a resolved scenario (what `mtsim check` prints): run length,
// chain, network, validators per group with stake, load, faults, nemesis and expectations.
#pragma once

#include <string>

#include "sim/scenario/scenario.hpp"

namespace mt::sim {

std::string describe_scenario(const Scenario& s);

}  // namespace mt::sim
