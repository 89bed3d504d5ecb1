#include "sim/checks/client_view_consistent.hpp"

#include <fmt/format.h>

namespace mt::sim {

void ClientViewConsistent::on_event(std::size_t node, TimeUs t, const Event& e) {
  const auto* c = std::get_if<BlockCommitted>(&e);
  if (c == nullptr || !honest(node) || c->height != next_height_) return;
  ++next_height_;
  for (const Hash32& tx : c->tx_hashes) {
    auto [it, inserted] = finalized_at_.try_emplace(tx, c->height);
    if (inserted) continue;
    fail(t, fmt::format("transaction {} finalized twice: at height {} and again at height {} (block {}, seen by {})",
                        tx.short_hex(), it->second, c->height, c->block_hash.short_hex(), node_name(node)));
  }
}

std::string ClientViewConsistent::measured() const {
  return fmt::format("{} transactions finalized once each over {} heights", finalized_at_.size(), next_height_ - 1);
}

}  // namespace mt::sim
