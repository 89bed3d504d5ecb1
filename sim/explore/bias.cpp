#include "sim/explore/bias.hpp"

#include <algorithm>

#include "sim/explore/kinds.hpp"

namespace mt::sim::explore {

KindWeights bias_weights(const Aggregate& aggregate) {
  KindWeights w;
  if (aggregate.seeds < kBiasAfterSeeds) return w;
  for (const auto& event : aggregate.unreached()) {
    for (const auto& kind : kinds_reaching(event)) {
      auto& weight = w.try_emplace(kind, 1).first->second;
      weight = std::min(kMaxKindWeight, weight + kBiasPerUnreachedEvent);
    }
  }
  return w;
}

}  // namespace mt::sim::explore
