// A byzantine validator: the honest core/ Node, unchanged, behind a Context that tampers with what
// it sends (and, for a few behaviours, with what reaches it). core/ never learns it is byzantine:
// every behaviour is an interception of outputs at this seam (DESIGN.md §2). The wrapper holds the
// validator's key, so what it forges is validly signed: honest nodes must catch it by the rules of
// the chain (evidence, proposer checks, state roots), not by a bad signature.
//
// Behaviours (ByzantineSpec::behavior), each active only inside its window (from_height ..
// until_height of the height being worked on, or at .. at + duration of world time):
//   equivocate_vote      every own vote: the original to the first half of the peers, a second,
//                        conflicting vote (a made-up block hash) to the other half. It also acts
//                        as a bridge: it endorses (prevote + precommit) every proposal it receives
//                        back to the peer it came from, relays no other validator's proposal,
//                        and sends no status, blocks (so no side syncs the other's chain) or evidence.
//   withhold_votes       own votes are dropped.
//   delay_votes          own votes go out `delay_us` later (world time).
//   equivocate_proposal  own proposal to the first half; a second block (timestamp + 1 ms,
//                        re-signed) to the other half.
//   invalid_block        own proposals carry a block whose state root is corrupted (re-signed).
//   selective_gossip     everything it sends goes only to `targets`.
//   propose_out_of_turn  every proposal it relays is also re-signed as its own and gossiped.
//   spam                 gossips undecodable tx messages at `rate`.
//   censor               drops `fraction` of the txs it receives (clients and peers), chosen by
//                        tx hash, so the choice is deterministic.
//   amnesia              (approximation) forgets its lock: an own prevote in a round > 0 is
//                        replaced by a prevote for the proposal it saw in that round.
//   timestamp_skew       own proposals carry a block stamped `delay_us` (signed) from the
//                        original timestamp (its clock): far ahead or behind; rebuilt on its state
//                        so the state root matches, and re-signed.
//   proposer_mismatch    own proposals carry a block whose header names the next validator (node
//                        order) as proposer (rebuilt: the reward goes there); the proposal itself
//                        is signed by this one.
//   forge_evidence       with each own precommit, gossips duplicate-vote evidence framing the next
//                        validator (node order): two conflicting precommits it signs with its own
//                        key but in the victim's name, so the signatures must fail.
//   next_height_spam     with each own vote, gossips two votes for the next height: one in its
//                        own name with a broken signature, one from an address outside the set.
//   unbond_then_equivocate  when its window opens, submits an unbond tx for all its stake (to its
//                        own node's mempool); from then on equivocates its votes, no bridge.
//   double_evidence      own proposals carry two pieces of duplicate-vote evidence against itself
//                        (conflicting prevotes it signs for the parent height in two far rounds,
//                        never sent as votes), rebuilt: the second slashes a tombstoned validator.
//   stale_evidence       once height 1 is older than evidence_max_age_blocks, own proposals carry
//                        such evidence from height 1, rebuilt: evidence the chain must refuse as too old.
//   propose_own_block    when its node commits a height live, it builds its own block for round 0
//                        of the next height (empty, stamped now) and gossips it signed, before the
//                        rightful proposer's block time is up; skipped when it is that proposer.
//   forge_sync           a lying block-sync server: its status announces two heights more than it
//                        has; a block request from height f it answers itself, if it kept the
//                        state of f - 1, with a made-up block for f (on that state, stamped right
//                        after the parent) and a forged commit: alternately its own precommit alone
//                        (too little power) and every member's name with its own signature (bad
//                        signatures). Honest nodes must refuse both and sync from others.
//   future_rounds        with each own vote and each proposal it sends on (own or relayed),
//                        gossips a validly signed nil prevote for the same height,
//                        kMaxRoundsAhead / 2 rounds above that vote's or proposal's round.
// (byzantine_rounds.cpp holds future_rounds; byzantine_blocks.cpp holds double_evidence, stale_evidence, propose_own_block;
// byzantine_sync.cpp forge_sync.)
#pragma once

#include <cstdint>
#include <map>
#include <string_view>
#include <tuple>

#include "core/crypto/keys.hpp"
#include "core/node/message_codec.hpp"
#include "core/state/state.hpp"
#include "sim/world/sim_context.hpp"
#include "sim/world/world_config.hpp"

namespace mt::sim {

class ByzantineContext final : public SimContext {
 public:
  struct Stats {
    std::uint64_t votes_equivocated = 0;
    std::uint64_t votes_withheld = 0;
    std::uint64_t votes_delayed = 0;
    std::uint64_t votes_forgotten = 0;      // amnesia rewrites
    std::uint64_t proposals_endorsed = 0;   // equivocate_vote bridge
    std::uint64_t proposals_equivocated = 0;
    std::uint64_t blocks_corrupted = 0;
    std::uint64_t proposals_stolen = 0;     // propose_out_of_turn
    std::uint64_t spam_sent = 0;
    std::uint64_t txs_censored = 0;
    std::uint64_t messages_filtered = 0;    // selective_gossip / suppressed relays
    std::uint64_t blocks_restamped = 0;     // timestamp_skew
    std::uint64_t headers_misattributed = 0;  // proposer_mismatch
    std::uint64_t evidence_forged = 0;      // forge_evidence
    std::uint64_t votes_spammed = 0;        // next_height_spam
    std::uint64_t unbonds_sent = 0;         // unbond_then_equivocate
    std::uint64_t evidence_planted = 0;     // double_evidence, stale_evidence
    std::uint64_t blocks_out_of_turn = 0;   // propose_own_block
    std::uint64_t sync_answers_forged = 0;  // forge_sync
    std::uint64_t future_votes_sent = 0;    // future_rounds
  };

  ByzantineContext(World& world, std::size_t node, ByzantineSpec spec, crypto::KeyPair key);
  ~ByzantineContext() override;

  void send(PeerId to, WirePtr message) override;
  void gossip(WirePtr message, std::optional<PeerId> except) override;
  // The node's mesh relay: intercepted exactly like gossip(), then sent to `to` only.
  void gossip_to(WirePtr message, std::span<const PeerId> to) override;

  // Inputs, called by the world before they are queued for the node: false drops them.
  [[nodiscard]] bool accept_message(PeerId from, const WirePtr& message) override;
  [[nodiscard]] bool accept_tx(const TxPtr& tx) override;
  [[nodiscard]] bool inspects_inputs() const override { return true; }

  // True inside the behaviour's window for work on `height` (0: the height the node is on).
  [[nodiscard]] bool active(std::uint64_t height = 0) const;
  [[nodiscard]] const Stats& stats() const { return stats_; }
  [[nodiscard]] const ByzantineSpec& spec() const { return spec_; }

 private:
  void own_vote(Vote vote, const WirePtr& wire);
  void own_proposal(const Proposal& proposal, const WirePtr& wire);
  // The behaviours that send something besides the own vote; true when the vote was handled.
  bool extra_vote_output(const Vote& vote, const WirePtr& wire);
  // The behaviours that re-sign an altered block; nullopt for the others.
  std::optional<Proposal> altered_proposal(const Proposal& proposal);
  void equivocate(const Vote& vote, const WirePtr& wire);
  void forge_evidence(const Vote& vote);
  void spam_next_height(const Vote& vote);
  void send_unbond();
  // byzantine_rounds.cpp: a signed vote for a round far ahead of `round` at `height`.
  void vote_far_ahead(std::uint64_t height, std::uint32_t round);
  // byzantine_blocks.cpp: evidence against itself in own blocks; own blocks out of turn.
  bool plant_evidence(Block& block);
  [[nodiscard]] Evidence self_evidence(std::uint64_t height, std::uint32_t round);
  void propose_own_block();
  // byzantine_sync.cpp: a block-sync server that lies.
  void remember_state();
  [[nodiscard]] WirePtr inflated_status(const WirePtr& status) const;
  bool answer_forged(PeerId from, const WirePtr& request);
  [[nodiscard]] Commit forged_commit(const ValidatorSet& set, std::uint64_t height, const Hash32& block_hash);
  void rebuild(std::shared_ptr<Block>& block);
  [[nodiscard]] const Address& next_validator() const;
  void relayed(const Message& m, const WirePtr& wire, std::optional<PeerId> except);
  void endorse(PeerId from, const Proposal& proposal);
  [[nodiscard]] bool censored(const Hash32& tx_hash) const;
  [[nodiscard]] bool hides(const WireMessage& message) const;
  // Peers split in two halves by position in the (sorted) neighbour list.
  [[nodiscard]] bool in_first_half(PeerId peer) const;
  void to_half(const WirePtr& message, bool first_half);
  void raw_gossip(const WirePtr& message, std::optional<PeerId> except);
  void raw_send(PeerId to, const WirePtr& message);
  [[nodiscard]] WirePtr sign_vote(Vote v);
  [[nodiscard]] WirePtr sign_proposal(Proposal p);
  void schedule_spam();
  void forget_old();

  // Reports an action for events.jsonl (only when events are on).
  void took(std::string_view action, std::uint64_t height, std::int64_t round);

  World& world_;
  std::optional<std::span<const PeerId>> relay_to_;  // set during gossip_to: where raw_gossip goes
  ByzantineSpec spec_;
  crypto::KeyPair key_;
  Address self_;
  std::string chain_id_;
  crypto::Backend backend_;
  crypto::Verifier verifier_;  // rebuild's
  Stats stats_;
  // Pending scheduler events (delayed votes, spam ticks), cancelled when the process dies.
  std::map<std::uint64_t, EventId> pending_;
  std::uint64_t next_pending_ = 0;
  std::uint64_t spam_counter_ = 0;
  bool unbond_sent_ = false;
  std::uint64_t own_block_height_ = 0;  // propose_own_block: the last height it built for
  // forge_sync: states it committed live, with their commits, by height (the newest few).
  std::map<std::uint64_t, std::pair<state::StatePtr, Commit>> history_;
  // Proposals endorsed (with the peer that showed each); (height, round) -> block of proposals seen.
  std::map<std::tuple<std::uint64_t, std::uint32_t, Hash32>, PeerId> endorsed_;  // -> who showed it
  std::map<std::pair<std::uint64_t, std::uint32_t>, Hash32> seen_proposals_;
};

}  // namespace mt::sim
