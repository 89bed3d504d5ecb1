// Tendermint BFT for one height at a time: Algorithm 1 of "The latest gossip on BFT consensus"
// (Buchman, Kwon, Milosevic, 2018), as a pure state machine without I/O. Inputs are method calls;
// outputs go through ConsensusHost (consensus_host.hpp). Deterministic: no clock but host.now(),
// ordered containers only.
//
// Map to the paper (h_p = height(), round_p = round(), step_p = step()):
//   line 10  StartRound          start_round(): the proposer signs and broadcasts PROPOSAL with
//                                validValue/validRound if it has one, else host.propose_block();
//                                everyone schedules OnTimeoutPropose (the proposer too, so a node
//                                that cannot build a block still moves on).
//   line 22  PROPOSAL(vr = -1)   prevote_on_proposal(): prevote id(v) if valid and unlocked or
//                                locked on v, else nil. Here only, valid(v) also asks that v's
//                                timestamp is at most max_block_time_drift_ms ahead of host.now()
//                                (block_timely): a proposer cannot push the chain's clock ahead, and
//                                no other rule (line 49 above all) depends on the local clock, so a
//                                node with a slow clock still decides what a quorum committed.
//   line 28  PROPOSAL(vr >= 0) + 2f+1 PREVOTE(vr, id(v)): prevote_on_proposal(), same with
//                                lockedRound <= vr.
//   line 34  2f+1 PREVOTE(*) in step prevote, first time: schedule_prevote_timeout().
//   line 36  PROPOSAL + 2f+1 PREVOTE(round_p, id(v)), step >= prevote, first time: lock_on_polka()
//                                (lock and precommit if in prevote; always set validValue/validRound).
//   line 44  2f+1 PREVOTE(nil) in step prevote: precommit_nil_on_nil_polka().
//   line 47  2f+1 PRECOMMIT(*), first time: schedule_precommit_timeout().
//   line 49  PROPOSAL(r) + 2f+1 PRECOMMIT(r, id(v)) in ANY round r, valid(v): try_decide();
//                                host.decide() gets the block and the Commit (sorted signatures).
//   line 55  f+1 (more than 1/3 of power) messages of a round > round_p: skip_to_higher_round().
//   lines 57/61/65 OnTimeoutPropose/Prevote/Precommit: on_timeout().
// "2f+1" is the configured quorum (strictly more than quorum_num/quorum_den of voting power);
// "f+1" is strictly more than 1/3 of voting power.
//
// Pacing (the commit step): after deciding height h at time t_d, round 0 of h+1 starts at
//   max(t_d, t_0(h) + block_time_ms)
// where t_0(h) is when round 0 of h started; for a height decided before its round 0 began
// (during the wait below), t_0(h) is the decision time t_d instead, so a clock that steps back
// cannot leave the planned start in the future for good. The node calls start_height(h + 1, ...) as soon as
// it has applied the block; Consensus waits in step `commit` (a scheduled timeout) until then.
// During the wait it already collects h+1 messages and may even decide h+1 (line 49).
//
// Signing safety and durability: every vote and proposal is checked against the SigningState,
// signed, and made durable through host.persist_consensus_record() together with everything a
// restart needs (consensus_record.hpp: the lock and the valid value with its polka, our own
// signed messages of the rounds that matter), in one synced write; only then is it broadcast. A
// restarted validator is built with the record it last wrote: start_height() of the record's
// height resumes at the round and step it had signed in, locked where it was locked, with its own
// votes and the polka behind its valid value back in its vote sets (retransmit_messages() then
// gives them to send again; the node does so at once). So it never
// double-signs, never forgets a lock, and never owes the others a vote it cannot send again. A
// refused signature does not stop the state machine: it moves on exactly as if it had voted,
// without releasing anything. A restored record that does not check out (a vote not ours, a bad
// signature, a polka that is none) blocks signing for good: a follower is safe, a guess is not.
//
// Bounds: messages for rounds above round() + kMaxRoundsAhead are dropped; messages for the next
// height are buffered and replayed by start_height, but only when signed by a member of the
// current validator set (the best knowledge of the next one) with a signature that verifies,
// at most kMaxNextHeightVotesPerSender / kMaxNextHeightProposalsPerSender of each sender and
// kMaxNextHeightVotes / kMaxNextHeightProposals in all (beyond that: InputResult::overflow);
// anything else not for the current height is dropped.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "core/chain/params.hpp"
#include "core/chain/validator_set.hpp"
#include "core/consensus/consensus_host.hpp"
#include "core/consensus/consensus_record.hpp"
#include "core/consensus/proposal.hpp"
#include "core/consensus/signing_state.hpp"
#include "core/consensus/vote_set.hpp"
#include "core/crypto/keys.hpp"
#include "core/crypto/verifier.hpp"

namespace mt {

struct ConsensusConfig {
  Params params;                         // chain id, quorum, timeouts, block time
  std::optional<crypto::KeyPair> key;    // nullopt: follow consensus without signing
  crypto::Backend backend = crypto::Backend::real;
  // Report each step through ConsensusHost::consensus_event (consensus_events.hpp). Off: no
  // event is built.
  bool emit_events = false;
};

// What happened to an input; the node relays `accepted` and `buffered`, counts `rejected`.
enum class InputResult : std::uint8_t {
  accepted,     // new and valid: counted (also an equivocator's second vote counted for its block)
  duplicate,    // already known
  equivocation, // a second, conflicting vote of a validator, not counted (evidence reported once)
  buffered,     // for the next height, signature checked: kept until start_height
  overflow,     // for the next height and valid, but its sender's share of the buffer is full: not
                // kept (the node neither relays it nor remembers it as seen: it may come again)
  ahead,        // a height above the next or a round too far ahead: not kept; the node forgets it
                // as seen, so it counts when it comes again (a node still syncing, or far behind in
                // rounds, needs these votes once it gets there: peers only re-send them)
  stale,        // an earlier height or a decided height: dropped
  rejected,     // bad signature, non-validator, wrong proposer, malformed: dropped
};

struct ConsensusStats {
  std::uint64_t votes_accepted = 0;
  std::uint64_t votes_rejected = 0;       // bad signature or non-validator
  std::uint64_t proposals_accepted = 0;
  std::uint64_t proposals_rejected = 0;   // bad signature, wrong proposer, malformed, conflicting
  std::uint64_t messages_stale = 0;
  std::uint64_t next_height_dropped = 0;  // buffer full
  std::uint64_t signing_refused = 0;      // the signing state forbade a vote or proposal
  std::uint64_t equivocations = 0;
  std::uint64_t rounds_skipped = 0;       // line 55 jumps
};

class Consensus {
 public:
  static constexpr std::uint32_t kMaxRoundsAhead = 64;      // rounds buffered beyond the current one
  static constexpr std::size_t kMaxNextHeightVotes = 4096;  // votes kept for height + 1
  static constexpr std::size_t kMaxNextHeightProposals = 16;
  static constexpr std::uint32_t kMaxNextHeightVotesPerSender = 8;      // a few rounds' prevote + precommit
  static constexpr std::uint32_t kMaxNextHeightProposalsPerSender = 2;
  static constexpr std::uint32_t kMaxRound = 1u << 20;      // far beyond any timeout schedule; keeps int32 rounds safe

  // `restored` is the record the node made durable before it last stopped (default: none).
  Consensus(ConsensusConfig config, ConsensusHost& host, crypto::Verifier& verifier, ConsensusRecord restored = {});

  // Begins `height` with the validator set the chain state gives for it (see the pacing rule
  // above). Precondition: height is above the current one (or this is the first call).
  void start_height(std::uint64_t height, std::shared_ptr<const ValidatorSet> validators);
  void start_height(std::uint64_t height, ValidatorSet validators) {
    start_height(height, std::make_shared<const ValidatorSet>(std::move(validators)));
  }
  // New parameters (from state) for the heights started after this call.
  void set_params(const Params& params) { config_.params = params; }

  InputResult on_proposal(const Proposal& proposal);
  // `memo`: the verification memo of the shared message the vote arrived in, if any (it keys on
  // the exact bytes checked, so it can only save work, never change the answer).
  InputResult on_vote(const Vote& vote, crypto::VerifyMemo* memo = nullptr);
  // The same for a shared vote object, which the vote set then keeps instead of a copy.
  InputResult on_vote(std::shared_ptr<const Vote> vote, crypto::VerifyMemo* memo = nullptr);
  void on_timeout(std::uint64_t height, std::uint32_t round, ConsensusStep step);

  // Timeout for `step` in `round`: base + delta * round (propose, prevote, precommit).
  [[nodiscard]] TimeUs timeout_for(ConsensusStep step, std::uint32_t round) const;
  [[nodiscard]] Address proposer_for(std::uint32_t round);

  [[nodiscard]] std::uint64_t height() const { return height_; }
  [[nodiscard]] std::uint32_t round() const { return round_; }
  [[nodiscard]] ConsensusStep step() const { return step_; }
  [[nodiscard]] bool round_started() const { return started_; }
  [[nodiscard]] bool decided() const { return decided_; }
  [[nodiscard]] std::int32_t locked_round() const { return locked_round_; }
  [[nodiscard]] const BlockPtr& locked_value() const { return locked_value_; }
  [[nodiscard]] std::int32_t valid_round() const { return valid_round_; }
  [[nodiscard]] const BlockPtr& valid_value() const { return valid_value_; }
  [[nodiscard]] const SigningState& signing_state() const { return signing_state_; }
  // True when a restored record did not check out: this instance signs nothing.
  [[nodiscard]] bool signing_blocked() const { return signing_blocked_; }
  // What persist_consensus_record() would be given now (tests; the node writes what it is given).
  [[nodiscard]] ConsensusRecord record() const;
  [[nodiscard]] const ConsensusStats& stats() const { return stats_; }
  [[nodiscard]] const ValidatorSet* validators() const { return validators_.get(); }
  [[nodiscard]] const Params& params() const { return config_.params; }
  // The messages of the current height worth sending again: our own proposals, this round's
  // proposal, and every vote we hold of the current and previous round and of the locked and
  // valid rounds (ours, others', the polka behind our valid value). Algorithm 1 assumes gossip
  // eventually delivers every message; on a lossy network, to a peer that was down, or across a
  // healed partition of a sparse peer graph (where the signer's own re-send dies at neighbours
  // that already have it), the node keeps that promise by re-gossiping these on a timer while
  // the height makes no progress. Re-sent messages are duplicates to peers that have them.
  struct Retransmit {
    std::vector<Proposal> proposals;
    std::vector<Vote> votes;
  };
  [[nodiscard]] Retransmit retransmit_messages() const;
  // Also after deciding: our signed messages of the rounds above (what the record keeps).
  [[nodiscard]] Retransmit own_messages() const;
  // A quorum of the prevotes for the valid value in the valid round, by validator index (empty
  // without a valid value).
  [[nodiscard]] std::vector<Vote> polka_votes() const;
  // The commit for the last decided height to put in the next block: the precommits for the
  // decided block we had when deciding and every one that came after (CometBFT's proposer does
  // the same), so a validator whose precommit was merely slower than the quorum is not counted
  // as missing the block. Still a quorum of valid signatures, sorted by validator. nullopt before
  // the first decision.
  [[nodiscard]] std::optional<Commit> last_commit() const;
  // The votes of (round, type) at the current height, or nullptr if none arrived.
  [[nodiscard]] const VoteSet* votes(std::uint32_t round, VoteType type) const;
  // The proposal of `round` at the current height, or nullptr if none arrived.
  [[nodiscard]] const Proposal* proposal(std::uint32_t round) const;
  // The rounds of the current height that hold any message, ascending (inspection).
  [[nodiscard]] std::vector<std::uint32_t> rounds_held() const;

 private:
  struct RoundState {
    VoteSet prevotes;
    VoteSet precommits;
    std::optional<Proposal> proposal;
    Hash32 proposal_hash;           // proposal->block_hash(), computed once (set_proposal)
    std::vector<bool> senders;      // by validator index: anyone with a message in this round (line 55)
    std::uint64_t sender_power = 0;
  };

  // Inputs and round changes.
  void start_round(std::uint32_t round, RoundReason reason);
  // Hands `make()`'s event to the host when events are on; `make` is not called otherwise.
  template <class Make>
  void note(Make&& make) {
    if (config_.emit_events) host_.consensus_event(ConsensusEvent(make()));
  }
  // Resumes the current height from `rec` (same height): false, and signing blocked, when the
  // record does not check out.
  bool resume(const ConsensusRecord& rec);
  [[nodiscard]] bool record_checks_out(const ConsensusRecord& rec);
  void persist_record();
  void set_proposal(RoundState& rs, const Proposal& p);
  void note_proposal(const Proposal& p, ProposalVerdict verdict);
  // Schedules the timeout of `step` in the current round (and reports it).
  void schedule(ConsensusStep step);
  void propose(std::uint32_t round);
  void process();
  bool apply_round_rules();
  void replay_buffered();
  // on_vote(); `shared`: the vote object to keep, if the caller has one (else a copy is kept).
  InputResult receive_vote(const Vote& vote, std::shared_ptr<const Vote> shared, crypto::VerifyMemo* memo);
  // `index`: validators_->index_of(vote->validator), looked up once by the caller.
  InputResult add_vote(std::shared_ptr<const Vote> vote, bool own, std::ptrdiff_t index);
  // Keeps a message of height_ + 1 for replay (see Bounds above).
  InputResult buffer_vote(const Vote& vote, crypto::VerifyMemo* memo);
  InputResult buffer_proposal(const Proposal& proposal);

  // Upon-rules; each returns true when it changed the state.
  bool try_decide();
  bool skip_to_higher_round();
  bool prevote_on_proposal();
  bool schedule_prevote_timeout();
  bool lock_on_polka();
  bool precommit_nil_on_nil_polka();
  bool schedule_precommit_timeout();

  // Helpers.
  RoundState& round_state(std::uint32_t round);
  void note_sender(RoundState& rs, const Address& who);
  void note_sender(RoundState& rs, std::size_t index);  // by index in validators_
  // v.signing_hash(chain id), from a small memo of recent (type, height, round, block hash).
  const Hash32& vote_signing_hash(const Vote& v);
  struct SigningHashEntry {
    bool filled = false;
    VoteType type = VoteType::prevote;
    std::uint64_t height = 0;
    std::uint32_t round = 0;
    Hash32 block_hash;
    Hash32 hash;
  };
  std::array<SigningHashEntry, 4> signing_hashes_{};
  std::size_t next_signing_hash_ = 0;
  // `id` is proposal.block_hash(), which the caller has at hand.
  bool block_valid(const Proposal& proposal, const Hash32& id);
  [[nodiscard]] bool block_timely(const Block& block) const;
  // The rounds retransmit_messages() and own_messages() cover.
  [[nodiscard]] std::set<std::uint32_t> retransmit_rounds() const;
  // A precommit for the block we decided last, in the round we decided it, that our commit lacks:
  // verified and kept for last_commit(); nullopt if `v` is not one.
  std::optional<InputResult> take_late_precommit(const Vote& v, crypto::VerifyMemo* memo);
  // A message for a height above the next, or for a round beyond kMaxRoundsAhead of this height.
  [[nodiscard]] bool is_ahead(std::uint64_t height, std::uint32_t round) const;
  bool is_my_turn_to_sign() const;
  void sign_and_send_vote(VoteType type, const Hash32& block_hash);
  bool sign_guard(ConsensusStep step, const Hash32& block_hash);

  ConsensusConfig config_;
  ConsensusHost& host_;
  crypto::Verifier& verifier_;
  SigningState signing_state_;
  std::optional<ConsensusRecord> restore_;  // applied by start_height of its height
  bool signing_blocked_ = false;
  ConsensusStats stats_;

  std::uint64_t height_ = 0;
  std::uint32_t round_ = 0;
  ConsensusStep step_ = ConsensusStep::commit;
  bool started_ = false;   // round 0 began (false during the commit wait)
  bool decided_ = false;
  std::shared_ptr<const ValidatorSet> validators_;
  std::map<std::uint32_t, Address> proposer_cache_;

  BlockPtr locked_value_;
  std::int32_t locked_round_ = -1;
  BlockPtr valid_value_;
  std::int32_t valid_round_ = -1;

  // "For the first time" flags of the current round (lines 34, 36, 47).
  bool prevote_timeout_scheduled_ = false;
  bool polka_handled_ = false;
  bool precommit_timeout_scheduled_ = false;

  std::map<std::uint32_t, RoundState> rounds_;
  std::map<Hash32, bool> validity_;  // memoised valid(v) for this height

  // Pacing.
  TimeUs round0_start_ = 0;
  std::uint64_t last_decided_height_ = 0;
  // The precommits of the round we decided the last height in, still growing with late
  // precommits for the decided block (take_late_precommit); last_commit() reads it.
  std::shared_ptr<VoteSet> last_precommits_;
  Hash32 last_decided_hash_;
  TimeUs next_height_not_before_ = 0;

  // Messages for height_ + 1, replayed by start_height, with how many each sender has there.
  std::vector<Vote> next_votes_;
  std::vector<Proposal> next_proposals_;
  std::map<Address, std::uint32_t> next_votes_by_sender_;
  std::map<Address, std::uint32_t> next_proposals_by_sender_;
};

}  // namespace mt
