// Scenario (+ seed + run options) -> WorldConfig: keys derived from the seed, zones mapped to
// the latency model, the peer graph generated from its own stream, stake and load resolved.
#pragma once

#include "sim/runner/run.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/world/world_config.hpp"

namespace mt::sim {

Result<WorldConfig> build_world_config(const Scenario& scenario, std::uint64_t seed, bool share);

// The key of a validator or a named genesis account: a pure function of (seed, name).
crypto::KeyPair derive_key(std::uint64_t seed, std::string_view role, std::string_view name);

}  // namespace mt::sim
