#include "sim/scenario/behavior_registry.hpp"

#include "sim/scenario/registry_lookup.hpp"

namespace mt::sim {

const std::vector<BehaviorSpec>& behavior_registry() {
  using B = ByzantineBehavior;
  static const std::vector<BehaviorSpec> registry{
      {B::equivocate_vote, "equivocate_vote", "", "—",
       "each own vote goes to half the peers, a conflicting one to the other half; it bridges the halves' proposals"},
      {B::equivocate_proposal, "equivocate_proposal", "", "—",
       "its proposal goes to half the peers, a second block to the other half"},
      {B::withhold_votes, "withhold_votes", "", "—", "its own votes are dropped"},
      {B::delay_votes, "delay_votes", "by", "`by` (duration)", "its own votes go out `by` later"},
      {B::censor, "censor", "fraction", "`fraction`", "drops that fraction of the transactions it receives (by tx hash)"},
      {B::invalid_block, "invalid_block", "", "—", "its proposals carry a corrupted state root"},
      {B::amnesia, "amnesia", "", "—", "forgets its lock: a prevote in a later round follows that round's proposal"},
      {B::propose_out_of_turn, "propose_out_of_turn", "", "—", "re-signs every proposal it relays as its own"},
      {B::selective_gossip, "selective_gossip", "to", "`to` (selector)", "sends everything only to `to`"},
      {B::spam, "spam", "rate", "`rate` (per second)", "gossips undecodable transaction messages at `rate`"},
      {B::timestamp_skew, "timestamp_skew", "by", "`by` (±duration)",
       "its proposals' blocks are stamped `by` from its clock (ahead or behind), re-signed"},
      {B::forge_evidence, "forge_evidence", "", "—",
       "with each own precommit, gossips duplicate-vote evidence against the next validator (node order), which it cannot sign for"},
      {B::proposer_mismatch, "proposer_mismatch", "", "—",
       "its proposals' headers name the next validator (node order) as proposer; it signs the proposal"},
      {B::next_height_spam, "next_height_spam", "", "—",
       "with each own vote, gossips next-height votes with bad signatures, and from an address outside the set"},
      {B::unbond_then_equivocate, "unbond_then_equivocate", "", "—",
       "when its window opens, sends an unbond tx for all its stake; then equivocates its votes (no bridge)"},
      {B::double_evidence, "double_evidence", "", "—",
       "its proposals carry two pieces of duplicate-vote evidence against itself (two rounds of the parent height): "
       "the second would slash a validator already tombstoned"},
      {B::stale_evidence, "stale_evidence", "", "—",
       "once height 1 is older than `evidence_max_age_blocks`, its proposals carry duplicate-vote evidence against "
       "itself from height 1"},
      {B::propose_own_block, "propose_own_block", "", "—",
       "as soon as it commits a height, builds and signs its own block for the next height's round 0, out of turn"},
      {B::forge_sync, "forge_sync", "", "—",
       "a lying block-sync server: announces two heights more than it has, and answers block requests with a "
       "made-up fork block whose commit is forged (its own precommit alone, or every member's name with its "
       "signature)"},
      {B::future_rounds, "future_rounds", "", "—",
       "with each own vote and each proposal it sends on, gossips a validly signed nil prevote for the same "
       "height 32 rounds ahead (one "
       "validator's vote there must not pull anyone into that round)"},
  };
  return registry;
}

const BehaviorSpec* find_behavior(std::string_view name) { return find_named(behavior_registry(), &BehaviorSpec::name, name); }

const BehaviorSpec& behavior_spec(ByzantineBehavior kind) { return behavior_registry().at(static_cast<std::size_t>(kind)); }

std::vector<std::string> behavior_names() { return names_of(behavior_registry(), &BehaviorSpec::name); }

}  // namespace mt::sim
