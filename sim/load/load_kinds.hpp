// The load's vocabulary, one enum each for the scenario's `load:` entries and the generator that
// runs them: how arrivals are spaced, and what transactions they carry.
#pragma once

#include <cstdint>

namespace mt::sim {

enum class LoadKind : std::uint8_t { constant, poisson, ramp, burst };
// `mix`: 80% transfers, 20% delegations; `stake`: accounts stake by delegating to validators.
enum class LoadTx : std::uint8_t { transfer, stake, delegate, set_weights, mix, register_neuron };

}  // namespace mt::sim
