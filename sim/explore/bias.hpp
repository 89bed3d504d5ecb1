// The coverage bias of a --budget search: kinds tied (kinds_reaching) to protocol events that no
// finished seed reached yet weigh more in later seeds' swarm draws. A pure function of the
// aggregate, so a search with --jobs 1 (where the aggregate before seed k is fixed) is
// deterministic; with more jobs it depends on which seeds happened to finish first.
#pragma once

#include <cstdint>

#include "sim/explore/coverage.hpp"
#include "sim/explore/swarm.hpp"

namespace mt::sim::explore {

// No bias before this many seeds finished: early silence says little.
constexpr std::uint64_t kBiasAfterSeeds = 8;
constexpr std::uint32_t kBiasPerUnreachedEvent = 2;

// Weight 1 + 2 x (unreached events the kind tends to reach), capped at kMaxKindWeight.
KindWeights bias_weights(const Aggregate& aggregate);

}  // namespace mt::sim::explore
