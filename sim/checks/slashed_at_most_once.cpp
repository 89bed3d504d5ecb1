#include "sim/checks/slashed_at_most_once.hpp"

#include <fmt/format.h>

namespace mt::sim {

void SlashedAtMostOnce::on_event(std::size_t node, TimeUs t, const Event& e) {
  const auto* c = std::get_if<BlockCommitted>(&e);
  if (c == nullptr || c->block == nullptr || !honest(node) || !judged_heights_.insert(c->height).second) return;
  for (const Evidence& ev : c->block->evidence) {
    const auto [it, fresh] = accused_at_.try_emplace(ev.validator(), c->height);
    if (fresh) continue;
    const std::ptrdiff_t who = view().node_by_address(ev.validator());
    fail(t, fmt::format("height {}: block {} slashes {} for double signing at height {} round {}, already slashed "
                        "by the block at height {}",
                        c->height, c->block_hash.short_hex(),
                        who >= 0 ? node_name(static_cast<std::size_t>(who)) : ev.validator().short_hex(),
                        ev.height(), ev.a.round, it->second));
    return;
  }
}

std::string SlashedAtMostOnce::measured() const {
  return fmt::format("{} validators slashed for double signing", accused_at_.size());
}

}  // namespace mt::sim
