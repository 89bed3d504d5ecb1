// The slow network (fault kind `slow`): from 1 s to the end of the run every link carries an
// extra delay above the propose timeout, the partial-synchrony case after GST with a large bound.
// Round timeouts grow (round r waits base + r x delta), so some round of each height outlasts the
// delay and the chain stays live, slowly; with constant timeouts no proposal ever arrives in time.
// The liveness bound (stall_bound) counts those rounds, each with the delay on every step. Drawn
// on a full mesh only: on a sparse graph the delay adds up over the relay hops.
#include <fmt/format.h>

#include <algorithm>

#include "sim/explore/draft.hpp"
#include "sim/scenario/units.hpp"

namespace mt::sim::explore {

void draw_slow(Rng& rng, Draft& d) {
  if (std::find(d.swarm.faults.begin(), d.swarm.faults.end(), "slow") == d.swarm.faults.end()) return;
  if (d.big || d.network.find("peers: full_mesh") == std::string::npos) return;
  // 1.2 to 2.5 propose timeouts: two to six rounds of growth before a proposal arrives in time.
  d.slow_us = draw_ms(rng, d.chain.propose_us * 6 / 5, d.chain.propose_us * 5 / 2);
  FaultDraw f{"slow", kUsPerSec, 0, {}, kUsPerSec,
              fmt::format("link: {{ from: all, to: all, delay: {} }}", format_duration(d.slow_us))};
  d.faults.push_back(std::move(f));
}

// The first round of a height whose propose timeout outlasts the slow delay and the network's
// own latency (its tail taken as 1 s, generously), or 0 on a network that is not slow.
std::int64_t slow_rounds(const Draft& d) {
  if (d.slow_us == 0) return 0;
  const ChainDraw& c = d.chain;
  std::int64_t r = 0;
  while (c.propose_us + r * c.propose_delta_us < d.slow_us + kUsPerSec) ++r;
  return r;
}

}  // namespace mt::sim::explore
