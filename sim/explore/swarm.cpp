#include "sim/explore/swarm.hpp"

#include <algorithm>

namespace mt::sim::explore {

std::uint32_t weight_of(const KindWeights& weights, const std::string& kind) {
  auto it = weights.find(kind);
  if (it == weights.end()) return 1;
  return std::clamp<std::uint32_t>(it->second, 1, kMaxKindWeight);
}

namespace {

// Draws one coin per kind, always (so the draw count, and every later draw of this stream, does
// not depend on which kinds came up).
std::vector<std::string> draw_on(Rng& rng, const std::vector<std::string>& kinds, const KindWeights& weights,
                                 std::uint32_t damp, bool none) {
  std::vector<std::string> on;
  for (const auto& k : kinds) {
    const std::uint32_t w = weight_of(weights, k);
    const bool coin = rng.uniform_u64(w + damp) < w;
    if (coin && !none) on.push_back(k);
  }
  return on;
}

}  // namespace

SwarmDraw draw_swarm(Rng& rng, const Envelope& envelope, const KindWeights& weights, bool honest_only) {
  SwarmDraw d;
  d.faults = draw_on(rng, envelope.faults, weights, 1, false);
  // A seed with every fault kind off would only rerun the healthy network: switch one on.
  if (d.faults.empty() && !envelope.faults.empty()) d.faults.push_back(envelope.faults[rng.uniform_u64(envelope.faults.size())]);
  d.behaviours = draw_on(rng, envelope.behaviours, weights, 3, honest_only);
  return d;
}

}  // namespace mt::sim::explore
