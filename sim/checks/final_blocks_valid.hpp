// Safety (validity): every finalized block was proposed by a proposer of its height and carries a
// valid commit for its parent, judged against the validator sets the reference replica holds:
//  - the header's proposer is the proposer of the round the block was decided in, or of an
//    earlier round of that height (Tendermint re-proposes a locked, still valid block unchanged,
//    so its header keeps the proposer that built it, never a later one);
//  - the block's last_commit is for the parent the replica finalized, and each of its signatures
//    is a valid precommit from a member of the parent height's validator set, distinct, together
//    strictly above the quorum. Verified here, with the check's own verifier, not through
//    verify_commit, so a bug in the chain's commit verification does not blind the check;
//  - the header's time is after the parent's, and not ahead of the world time at which the first
//    honest node committed it by more than the chain's max_block_time_drift plus kClockAllowanceMs
//    (room for honest clocks that a clock_skew fault set ahead; a drawn honest skew stays under
//    3 s, a byzantine one is not trusted: honest validators judge by their own clocks).
// Block validity proper (transactions, state root) is NoInvalidTxCommitted's business; both ride
// the same replica.
#pragma once

#include <memory>

#include "sim/checks/check.hpp"
#include "sim/checks/reference_replica.hpp"

namespace mt::sim {

class FinalBlocksValid final : public Check {
 public:
  static constexpr std::uint64_t kClockAllowanceMs = 60'000;
  FinalBlocksValid(const RunView& view, std::shared_ptr<ReferenceReplica> replica, crypto::Backend backend);
  [[nodiscard]] std::string name() const override { return "final_blocks_valid"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::safety; }
  void on_event(std::size_t node, TimeUs t, const Event& e) override;
  [[nodiscard]] std::string measured() const override;

 private:
  // The state the block at `c.height` was built on, or null when the replica is elsewhere.
  [[nodiscard]] const state::State* parent_of(const BlockCommitted& c) const;
  void check_proposer(TimeUs t, const BlockCommitted& c, const state::State& parent);
  void check_last_commit(TimeUs t, const BlockCommitted& c, const state::State& parent);
  void check_time(TimeUs t, const BlockCommitted& c, const state::State& parent);

  std::shared_ptr<ReferenceReplica> replica_;
  crypto::Verifier verifier_;
  std::uint64_t checked_height_ = 0;
  std::uint64_t sigs_checked_ = 0;
};

}  // namespace mt::sim
