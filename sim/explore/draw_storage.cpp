// Storage faults (fault kind `storage`): a validator's machine crashes and its store comes back
// damaged (`crash: {who, storage: lose_unsynced | torn_write}`), then it restarts. A lost unsynced
// write only moves the node back a height or two, which it syncs again; a torn consensus record
// (the last write of a node that voted) leaves it unable to sign for good. So a torn write is
// drawn only on a validator whose stake, with every other silenced validator's and the byzantine
// stake, stays under 1/3 (with a margin): the chain must stay live without it.
#include <fmt/format.h>

#include "sim/explore/draft.hpp"
#include "sim/scenario/units.hpp"

namespace mt::sim::explore {

namespace {

std::string storage_body(Rng& rng, const Draft& d, std::size_t who, TimeUs len, std::vector<bool>& silenced) {
  std::string damage = rng.bernoulli(0.6) ? "lose_unsynced" : "torn_write";
  if (damage == "torn_write" && !silenced[who]) {
    Amount out = d.validators.byz_total() + d.validators.honest[who];
    for (std::size_t i = 0; i < silenced.size(); ++i) out += silenced[i] ? d.validators.honest[i] : 0;
    const Amount total = d.validators.honest_total() + d.validators.byz_total();
    if (d.over_third || out * 3 >= total - total / 20) {
      damage = "lose_unsynced";
    } else {
      silenced[who] = true;
    }
  }
  return fmt::format("crash: {{ who: \"v[{}]\", storage: {} }}, restart_after: {}", who, damage, format_duration(len));
}

}  // namespace

void draw_storage(Rng& rng, const Draft& d, FaultDraw& f, TimeUs len, std::vector<bool>& silenced) {
  // Half of the height-triggered ones right after the node's precommit, as restart-fork hunting.
  const std::size_t who = rng.uniform_u64(d.validators.honest.size());
  if (f.at_height > 0 && rng.bernoulli(0.5)) {
    f.at_step = fmt::format("round: {}, step: precommit, node: \"v[{}]\"", rng.uniform_int(0, 1), who);
  }
  f.body = storage_body(rng, d, who, len, silenced);
}

}  // namespace mt::sim::explore
