// An independent replica of the chain, owned by the harness: it re-executes every finalized
// block (as first committed by an honest node) from genesis with its own verifier and no shared
// transition cache. That gives two checks an outside view of the nodes' work:
//  - NoInvalidTxCommitted (safety): every finalized block applies cleanly on the replica and
//    yields the state root the nodes reported (so a shared-cache shortcut that changed an
//    outcome, or an invalid transaction slipping into a final block, is caught);
//  - SupplyConserved (safety): genesis + minted - burned == balances + bonded + unbonding after
//    every finalized block.
#pragma once

#include <memory>
#include <optional>

#include "core/state/genesis.hpp"
#include "core/state/state.hpp"
#include "sim/checks/check.hpp"

namespace mt::sim {

class ReferenceReplica {
 public:
  ReferenceReplica(state::StatePtr genesis, crypto::Backend backend);

  // Applies the block of the first honest commit of the next height; ignores everything else.
  void on_event(std::size_t node, TimeUs t, const Event& e, const RunView& view);

  [[nodiscard]] std::uint64_t height() const { return state_->height(); }
  [[nodiscard]] const std::optional<Violation>& invalid_block() const { return invalid_; }
  [[nodiscard]] const std::optional<Violation>& supply_violation() const { return supply_; }
  [[nodiscard]] std::uint64_t txs_checked() const { return txs_checked_; }
  // The replica's state after the last block it applied.
  [[nodiscard]] const state::StatePtr& state() const { return state_; }
  // The state before the last block it applied (genesis before the first): who voted and who
  // proposed at height(), for checks that read the block after the replica took it.
  [[nodiscard]] const state::StatePtr& parent() const { return parent_; }
  [[nodiscard]] bool halted() const { return halted_; }

 private:
  state::StatePtr state_;
  state::StatePtr parent_;
  crypto::Verifier verifier_;
  std::optional<Violation> invalid_;
  std::optional<Violation> supply_;
  std::uint64_t txs_checked_ = 0;
  bool halted_ = false;  // after a rejected block the replica cannot follow the chain
};

class NoInvalidTxCommitted final : public Check {
 public:
  NoInvalidTxCommitted(const RunView& view, std::shared_ptr<ReferenceReplica> replica)
      : Check(view), replica_(std::move(replica)) {}
  [[nodiscard]] std::string name() const override { return "no_invalid_tx_committed"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::safety; }
  void on_event(std::size_t node, TimeUs t, const Event& e) override;
  [[nodiscard]] std::string measured() const override;

 private:
  std::shared_ptr<ReferenceReplica> replica_;
};

class SupplyConserved final : public Check {
 public:
  SupplyConserved(const RunView& view, std::shared_ptr<ReferenceReplica> replica)
      : Check(view), replica_(std::move(replica)) {}
  [[nodiscard]] std::string name() const override { return "supply_conserved"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::safety; }
  void on_event(std::size_t node, TimeUs t, const Event& e) override;
  [[nodiscard]] std::string measured() const override;

 private:
  std::shared_ptr<ReferenceReplica> replica_;
};

}  // namespace mt::sim
