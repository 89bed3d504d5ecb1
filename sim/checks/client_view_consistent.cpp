#include "sim/checks/client_view_consistent.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace mt::sim {

void ClientViewConsistent::on_event(std::size_t node, TimeUs t, const Event& e) {
  if (!honest(node)) return;
  if (const auto* c = std::get_if<BlockCommitted>(&e)) {
    on_commit(node, t, *c);
  } else if (const auto* a = std::get_if<TxAdmitted>(&e)) {
    on_admitted(node, t, *a);
  } else if (const auto* d = std::get_if<TxDropped>(&e)) {
    on_dropped(node, *d);
  } else if (std::holds_alternative<NodeStarted>(e)) {
    on_restart(node);
  }
}

void ClientViewConsistent::on_commit(std::size_t node, TimeUs t, const BlockCommitted& c) {
  if (c.height != next_height_) return;
  ++next_height_;
  for (const Hash32& tx : c.tx_hashes) {
    auto [it, inserted] = finalized_at_.try_emplace(tx, c.height);
    if (!inserted) {
      fail(t, fmt::format("transaction {} finalized twice: at height {} and again at height {} (block {}, seen by {})",
                          tx.short_hex(), it->second, c.height, c.block_hash.short_hex(), node_name(node)));
      continue;
    }
    if (acknowledged_.erase(tx) > 0) ++outcomes_.finalized;
  }
  if (c.block == nullptr) return;
  for (const auto& tx : c.block->txs) {
    std::uint64_t& next = next_nonce_[tx->tx().sender];
    next = std::max(next, tx->tx().nonce + 1);
  }
}

void ClientViewConsistent::on_admitted(std::size_t node, TimeUs t, const TxAdmitted& a) {
  if (a.tx == nullptr) return;
  const Hash32 hash = a.tx->hash();
  if (acknowledged_.contains(hash)) return;  // sent to a second node: the first acknowledgement counts
  ++outcomes_.acknowledged;
  if (finalized_at_.contains(hash)) {
    ++outcomes_.finalized;
    return;
  }
  acknowledged_.emplace(hash, Acknowledged{a.tx, node, t, std::nullopt, false});
}

void ClientViewConsistent::on_dropped(std::size_t node, const TxDropped& d) {
  auto it = acknowledged_.find(d.tx_hash);
  if (it == acknowledged_.end() || it->second.node != node || it->second.dropped) return;
  it->second.dropped = d.reason;
}

// A restarted node's mempool starts empty: what it still held is gone with the old process.
void ClientViewConsistent::on_restart(std::size_t node) {
  for (auto& [hash, a] : acknowledged_) {
    if (a.node == node && !a.dropped) a.lost_at_restart = true;
  }
}

void ClientViewConsistent::finish(TimeUs end_us) {
  for (const auto& [hash, a] : acknowledged_) settle(hash, a, end_us);
}

void ClientViewConsistent::settle(const Hash32& hash, const Acknowledged& a, TimeUs end_us) {
  const Transaction& tx = a.tx->tx();
  if (a.dropped) {
    ++outcomes_.dropped.at(static_cast<std::size_t>(*a.dropped));
    const bool nonce_claim = *a.dropped == DropReason::nonce_used || *a.dropped == DropReason::stale_nonce;
    auto used = next_nonce_.find(tx.sender);
    if (nonce_claim && (used == next_nonce_.end() || used->second <= tx.nonce)) {
      fail(end_us, fmt::format("transaction {} acknowledged by {} at {} was dropped as {}, but nonce {} of its sender "
                               "was never used on the finalized chain",
                               hash.short_hex(), node_name(a.node), format_time(a.at_us),
                               drop_reason_name(*a.dropped), tx.nonce));
    }
    return;
  }
  if (a.lost_at_restart) {
    ++outcomes_.lost_at_restart;
    return;
  }
  if (!view().mempool_holds) {
    ++outcomes_.pending;
    return;
  }
  const std::optional<bool> held = view().mempool_holds(a.node, *a.tx);
  if (!held.has_value()) {
    ++outcomes_.lost_node_down;
  } else if (*held) {
    ++outcomes_.pending;
  } else {
    fail(end_us, fmt::format("transaction {} acknowledged by {} at {} was forgotten: not finalized, no drop reported, "
                             "and {}'s mempool no longer holds it",
                             hash.short_hex(), node_name(a.node), format_time(a.at_us), node_name(a.node)));
  }
}

std::string ClientViewConsistent::measured() const {
  const Outcomes& o = outcomes_;
  std::string text = fmt::format("{} transactions finalized once each over {} heights", finalized_at_.size(),
                                 next_height_ - 1);
  if (o.acknowledged == 0) return text;
  std::uint64_t dropped = 0;
  for (std::uint64_t n : o.dropped) dropped += n;
  return text + fmt::format("; {} acknowledged: {} finalized, {} dropped with a reason, {} lost at a restart, "
                            "{} lost with a node down at the end, {} pending",
                            o.acknowledged, o.finalized, dropped, o.lost_at_restart, o.lost_node_down, o.pending);
}

}  // namespace mt::sim
