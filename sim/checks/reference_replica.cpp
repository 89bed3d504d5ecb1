#include "sim/checks/reference_replica.hpp"

#include <fmt/format.h>

#include "core/state/transition.hpp"

namespace mt::sim {

namespace {
// The replica's own verification cache: private, so the shared one cannot influence it.
constexpr std::size_t kReplicaVerifierCapacity = 1u << 16;
}  // namespace

ReferenceReplica::ReferenceReplica(state::StatePtr genesis, crypto::Backend backend)
    : state_(genesis), parent_(std::move(genesis)), verifier_(backend, kReplicaVerifierCapacity) {
  MT_ASSERT(state_ != nullptr, "reference replica needs a genesis state");
}

void ReferenceReplica::on_event(std::size_t node, TimeUs t, const Event& e, const RunView& view) {
  const auto* c = std::get_if<BlockCommitted>(&e);
  if (c == nullptr || halted_ || node >= view.nodes.size() || !view.nodes[node].honest) return;
  if (c->height != state_->height() + 1 || c->block == nullptr) return;
  const std::string who = view.nodes[node].name;
  auto next = state::apply_block(state_, *c->block, verifier_);
  if (!next.ok()) {
    halted_ = true;
    invalid_ = Violation{t, fmt::format("height {}: block {} finalized by {} is invalid on an independent replica: {}",
                                        c->height, c->block_hash.short_hex(), who, next.error().message)};
    return;
  }
  if (next.value()->root() != c->state_root) {
    halted_ = true;
    invalid_ = Violation{t, fmt::format("height {}: {} reported state root {} but the independent replica computed {}",
                                        c->height, who, c->state_root.short_hex(), next.value()->root().short_hex())};
    return;
  }
  txs_checked_ += c->block->txs.size();
  parent_ = std::move(state_);
  state_ = std::move(next).value();
  if (!supply_) {
    if (auto st = state::check_supply(*state_); !st.ok()) {
      supply_ = Violation{t, fmt::format("after height {}: {}", c->height, st.error().message)};
    }
  }
}

void NoInvalidTxCommitted::on_event(std::size_t node, TimeUs t, const Event& e) {
  replica_->on_event(node, t, e, view());
  if (replica_->invalid_block()) fail(replica_->invalid_block()->at_us, replica_->invalid_block()->detail);
}

std::string NoInvalidTxCommitted::measured() const {
  return fmt::format("{} txs in {} blocks re-executed", replica_->txs_checked(), replica_->height());
}

void SupplyConserved::on_event(std::size_t node, TimeUs t, const Event& e) {
  replica_->on_event(node, t, e, view());  // idempotent per height: whichever check comes first applies it
  if (replica_->supply_violation()) fail(replica_->supply_violation()->at_us, replica_->supply_violation()->detail);
}

std::string SupplyConserved::measured() const {
  return replica_->supply_violation() ? "violated" : fmt::format("held over {} blocks", replica_->height());
}

}  // namespace mt::sim
