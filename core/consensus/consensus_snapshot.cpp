#include "core/consensus/consensus_snapshot.hpp"

namespace mt {

namespace {

VoteSetSnapshot snapshot_votes(const VoteSet& set) {
  VoteSetSnapshot out;
  out.round = set.round();
  out.type = set.type();
  out.total_power = set.validators().total_power();
  out.voted_power = set.power_any();
  const auto all = set.all_votes();
  out.votes.reserve(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Vote& v = *all[i];
    const ValidatorEntry* entry = set.validators().find(v.validator);
    // all_votes() lists the first votes, then the counted conflicting ones.
    out.votes.push_back(VoteSnapshot{v.validator, entry != nullptr ? entry->power : 0, v.block_hash, i >= set.size()});
  }
  return out;
}

ProposalSnapshot snapshot_proposal(const Proposal& p) {
  ProposalSnapshot out;
  out.round = p.round;
  out.pol_round = p.pol_round;
  out.proposer = p.proposer;
  out.block_hash = p.block_hash();
  if (p.block != nullptr) {
    out.block_height = p.block->header.height;
    out.timestamp_ms = p.block->header.timestamp_ms;
    out.txs = p.block->txs.size();
  }
  return out;
}

}  // namespace

ConsensusSnapshot snapshot_consensus(const Consensus& c) {
  ConsensusSnapshot out;
  out.height = c.height();
  out.round = c.round();
  out.step = c.step();
  out.round_started = c.round_started();
  out.decided = c.decided();
  out.signing_blocked = c.signing_blocked();
  out.locked_round = c.locked_round();
  if (c.locked_value() != nullptr) out.locked_hash = c.locked_value()->hash();
  out.valid_round = c.valid_round();
  if (c.valid_value() != nullptr) out.valid_hash = c.valid_value()->hash();
  if (c.validators() != nullptr) out.validators = c.validators()->entries();
  for (std::uint32_t round : c.rounds_held()) {
    if (const Proposal* p = c.proposal(round)) out.proposals.push_back(snapshot_proposal(*p));
    for (VoteType type : {VoteType::prevote, VoteType::precommit}) {
      const VoteSet* set = c.votes(round, type);
      if (set != nullptr && set->size() > 0) out.vote_sets.push_back(snapshot_votes(*set));
    }
  }
  return out;
}

}  // namespace mt
