// Swarm testing (Groce et al., "Swarm Testing", ISSTA 2012): each seed switches on a random subset
// of the fault kinds and byzantine behaviours instead of all of them, so that rare combinations
// (and kinds that would otherwise be crowded out by others) get real weight. A kind's weight w
// (default 1; raised by the coverage bias) makes it more likely to be on: P(on) = w / (w + d).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/engine/random.hpp"
#include "sim/explore/envelope.hpp"

namespace mt::sim::explore {

// Weight per kind name (fault kind or behaviour); a kind not listed weighs 1.
using KindWeights = std::map<std::string, std::uint32_t>;

constexpr std::uint32_t kMaxKindWeight = 64;

struct SwarmDraw {
  std::vector<std::string> faults;      // fault kinds switched on, in envelope order
  std::vector<std::string> behaviours;  // behaviours switched on, in envelope order
  bool operator==(const SwarmDraw&) const = default;
};

// Fault kinds are on with w / (w + 1), behaviours with w / (w + 3) (there are ten of them, and a
// seed holds at most a few byzantine groups); `honest_only` switches every behaviour off. At least
// one fault kind is on whenever the envelope lists any.
SwarmDraw draw_swarm(Rng& rng, const Envelope& envelope, const KindWeights& weights, bool honest_only);

std::uint32_t weight_of(const KindWeights& weights, const std::string& kind);

}  // namespace mt::sim::explore
