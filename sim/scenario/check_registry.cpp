#include "sim/scenario/check_registry.hpp"

#include "sim/scenario/registry_lookup.hpp"

namespace mt::sim {

const std::vector<CheckSpec>& check_registry() {
  using K = CheckKind;
  static const std::vector<CheckSpec> registry{
      {K::no_conflicting_finality, "no_conflicting_finality", {}, "—",
       "no two different blocks are finalized at one height"},
      {K::state_root_agreement, "state_root_agreement", {}, "—",
       "every node computes the same state root at each height"},
      {K::supply_conserved, "supply_conserved", {}, "—", "total supply changes only by rewards, burns and slashes"},
      {K::honest_never_slashed, "honest_never_slashed", {}, "—", "no non-byzantine validator is slashed"},
      {K::no_invalid_tx_committed, "no_invalid_tx_committed", {}, "—", "every committed transaction is valid"},
      {K::equivocators_slashed, "equivocators_slashed", {"who", "within"},
       "`who` (selector, default: every equivocating validator), `within` (duration or `10 blocks`)",
       "equivocators are slashed in time"},
      {K::recovers, "recovers", {"after", "within"}, "`after` (fault id), `within` (duration)",
       "finality resumes within the bound once the fault ends"},
      {K::finality_progress, "finality_progress", {"max_stall"}, "`max_stall` (duration)",
       "no stall longer than the bound"},
      {K::chain_height, "chain_height", {"min"}, "`min` (height)", "the chain reaches the height"},
      {K::emission_conserved, "emission_conserved", {}, "—",
       "every subnet epoch step mints exactly `emission_per_block` per block since the last step and every unit "
       "is accounted for (neurons, owner, infrastructure, burn, treasury), and supply is conserved. Needs "
       "`subnets:`",
       true},
      {K::weights_consensus_resists_collusion, "weights_consensus_resists_collusion", {"max_share"},
       "`max_share` (fraction)",
       "in every subnet whose colluding validators hold less than `yuma_kappa` of the validator stake, the "
       "favoured miner's incentive never exceeds `max_share` at any epoch step (liveness class: exit 2). Needs "
       "`subnets:`",
       true},
      {K::honest_signs_once, "honest_signs_once", {}, "—",
       "no honest validator signs two different proposals, prevotes or precommits at one (height, round), "
       "restarts included"},
      {K::final_blocks_valid, "final_blocks_valid", {}, "—",
       "every finalized block was built by the proposer of its decision round (or of an earlier round of its "
       "height, for a re-proposal), is stamped after its parent and not beyond the drift (plus 60 s for skewed "
       "clocks) ahead of when it was committed, and its commit for the parent is valid precommit signatures from "
       "that height's validator set, above the quorum"},
      {K::only_double_signers_slashed, "only_double_signers_slashed", {}, "—",
       "every double-sign slash rests on two conflicting, validly signed votes, and an honest node is only "
       "accused of votes it cast"},
      {K::client_view_consistent, "client_view_consistent", {}, "—",
       "every transaction an honest node acknowledged (its mempool accepted it from a client) ends the run "
       "finalized exactly once, dropped with a true reason (replaced, evicted, its nonce used or stale), "
       "lost with the node's mempool at a restart, or still held by that node (reported, not failed); none "
       "is finalized twice along the finalized chain"},
      {K::slashed_at_most_once, "slashed_at_most_once", {}, "—",
       "a double signer is slashed once: no validator is named by two pieces of committed evidence along the "
       "finalized chain"},
      {K::evidence_within_age, "evidence_within_age", {}, "—",
       "every piece of committed evidence is about an earlier height at most `evidence_max_age_blocks` before "
       "its block"},
  };
  return registry;
}

const CheckSpec* find_check(std::string_view name) { return find_named(check_registry(), &CheckSpec::name, name); }

const CheckSpec& check_spec(CheckKind kind) { return check_registry().at(static_cast<std::size_t>(kind)); }

std::vector<std::string> check_names() { return names_of(check_registry(), &CheckSpec::name); }

}  // namespace mt::sim
