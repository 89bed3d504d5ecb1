// What the consensus state machine needs from its node: a clock, blocks to propose and to judge,
// a durable consensus record, a way out for its messages and timers, and somewhere to hand decisions
// and evidence. The node implements it over its Context; tests implement it with a recorder.
//
// Re-entrancy: no callback may call back into Consensus, with one exception: decide() may call
// Consensus::start_height(height + 1, ...) directly (it is the last thing the machine does).
#pragma once

#include <cstdint>

#include "core/chain/block.hpp"
#include "core/chain/vote.hpp"
#include "core/consensus/consensus_events.hpp"
#include "core/consensus/proposal.hpp"
#include "core/consensus/consensus_record.hpp"
#include "core/util/time.hpp"

namespace mt {

class ConsensusHost {
 public:
  virtual ~ConsensusHost() = default;

  // The node's clock, in microseconds since the chain's epoch (the scale of block timestamps, in
  // ms): paces heights and bounds how far ahead a fresh proposal may be stamped.
  [[nodiscard]] virtual TimeUs now() const = 0;

  // A new block for (height, round) built from the mempool and the node's state; nullptr if the
  // node cannot build one (then it simply does not propose and the others time out).
  virtual BlockPtr propose_block(std::uint64_t height, std::uint32_t round) = 0;
  // Runs the state transition (or a memoised verdict): true if the block may be decided at the
  // height consensus is running. Consensus memoises the answer per block hash and height too.
  virtual bool validate_block(const Block& block) = 0;

  // Must be durable when it returns (one synced write): called after every vote or proposal is
  // signed and before it is released, with the new signing state and everything a restart
  // needs (consensus_record.hpp). The node hands the last one back to its next incarnation.
  virtual void persist_consensus_record(const ConsensusRecord& record) = 0;

  virtual void broadcast_proposal(const Proposal& proposal) = 0;
  virtual void broadcast_vote(const Vote& vote) = 0;
  // Call Consensus::on_timeout(height, round, step) after `delay`. Timers are never cancelled:
  // a stale one is recognised and ignored.
  virtual void schedule_timeout(std::uint64_t height, std::uint32_t round, ConsensusStep step, TimeUs delay) = 0;

  // `block` is final at `height`, decided in `round`, with `commit` (a quorum of precommits).
  virtual void decide(std::uint64_t height, std::uint32_t round, BlockPtr block, const Commit& commit) = 0;
  // Two conflicting signed votes from one validator; reported once per (validator, height, round, type).
  virtual void evidence_found(const DuplicateVoteEvidence& evidence) = 0;
  // A step of the state machine, for observers; called only when ConsensusConfig::emit_events.
  virtual void consensus_event(const ConsensusEvent& /*event*/) {}
};

}  // namespace mt
