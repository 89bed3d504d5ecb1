#include "core/consensus/consensus.hpp"

#include <algorithm>
#include <utility>

#include "core/util/assert.hpp"

namespace mt {

namespace {
// Every pass of the rule loop changes the state monotonically (a step, a flag, a round); this
// bound is far above what one input can cause and only catches a rule that never settles.
constexpr int kMaxRulePasses = 1000;

ConsensusStep step_of(VoteType type) {
  return type == VoteType::prevote ? ConsensusStep::prevote : ConsensusStep::precommit;
}
}  // namespace

Consensus::Consensus(ConsensusConfig config, ConsensusHost& host, crypto::Verifier& verifier, ConsensusRecord restored)
    : config_(std::move(config)), host_(host), verifier_(verifier), signing_state_(restored.signing) {
  MT_ASSERT(config_.params.validate().ok(), "Consensus needs valid params");
  if (restored.height() > 0) restore_ = std::move(restored);
}

TimeUs Consensus::timeout_for(ConsensusStep step, std::uint32_t round) const {
  const Params& p = config_.params;
  std::uint64_t base = 0;
  std::uint64_t delta = 0;
  switch (step) {
    case ConsensusStep::propose: base = p.timeout_propose_ms; delta = p.timeout_propose_delta_ms; break;
    case ConsensusStep::prevote: base = p.timeout_prevote_ms; delta = p.timeout_prevote_delta_ms; break;
    case ConsensusStep::precommit: base = p.timeout_precommit_ms; delta = p.timeout_precommit_delta_ms; break;
    case ConsensusStep::commit: MT_ASSERT(false, "the commit wait is not a per-round timeout");
  }
  MT_ASSERT(round <= kMaxRound, "round out of range");
  return ms(static_cast<std::int64_t>(base + delta * round));
}

Address Consensus::proposer_for(std::uint32_t round) {
  MT_ASSERT(validators_ != nullptr, "proposer_for before start_height");
  auto it = proposer_cache_.find(round);
  if (it != proposer_cache_.end()) return it->second;
  Address a = validators_->proposer_for_round(round);
  proposer_cache_.emplace(round, a);
  return a;
}

const VoteSet* Consensus::votes(std::uint32_t round, VoteType type) const {
  auto it = rounds_.find(round);
  if (it == rounds_.end()) return nullptr;
  return type == VoteType::prevote ? &it->second.prevotes : &it->second.precommits;
}

const Proposal* Consensus::proposal(std::uint32_t round) const {
  auto it = rounds_.find(round);
  if (it == rounds_.end() || !it->second.proposal) return nullptr;
  return &*it->second.proposal;
}

std::vector<std::uint32_t> Consensus::rounds_held() const {
  std::vector<std::uint32_t> out;
  out.reserve(rounds_.size());
  for (const auto& [round, rs] : rounds_) out.push_back(round);
  return out;
}

Consensus::Retransmit Consensus::retransmit_messages() const {
  if (decided_ || validators_ == nullptr) return {};
  Retransmit out;
  out.proposals = own_messages().proposals;
  // This round's proposal, whoever made it: a peer without it cannot prevote.
  auto current = rounds_.find(round_);
  if (current != rounds_.end() && current->second.proposal.has_value()) {
    const Proposal& p = *current->second.proposal;
    if (std::find(out.proposals.begin(), out.proposals.end(), p) == out.proposals.end()) out.proposals.push_back(p);
  }
  // Every vote we hold of the rounds that matter, not only ours: a peer that missed a vote while
  // cut off gets it only from a neighbour, and a neighbour that already has it drops the
  // signer's own re-send as a duplicate without relaying it. This includes the polka behind our
  // valid value (its signers may be gone).
  for (std::uint32_t r : retransmit_rounds()) {
    auto it = rounds_.find(r);
    if (it == rounds_.end()) continue;
    for (const VoteSet* set : {&it->second.prevotes, &it->second.precommits}) {
      for (const Vote* v : set->all_votes()) out.votes.push_back(*v);
    }
  }
  return out;
}

std::set<std::uint32_t> Consensus::retransmit_rounds() const {
  std::set<std::uint32_t> rounds{round_};
  if (round_ > 0) rounds.insert(round_ - 1);
  if (locked_round_ >= 0) rounds.insert(static_cast<std::uint32_t>(locked_round_));
  if (valid_round_ >= 0) rounds.insert(static_cast<std::uint32_t>(valid_round_));
  return rounds;
}

std::vector<Vote> Consensus::polka_votes() const {
  std::vector<Vote> out;
  if (valid_round_ < 0) return out;
  const VoteSet* prevotes = votes(static_cast<std::uint32_t>(valid_round_), VoteType::prevote);
  MT_ASSERT(prevotes != nullptr, "a valid round without its prevotes");
  // A quorum is all it takes (and all a record or a peer needs): stop there.
  const Hash32 id = valid_value_->hash();
  const Params& p = config_.params;
  std::uint64_t power = 0;
  for (std::size_t i = 0; i < validators_->size() && !validators_->has_quorum(power, p.quorum_num, p.quorum_den); ++i) {
    const Vote* v = prevotes->vote_for(i, id);  // an equivocator's vote for id counts too
    if (v == nullptr) continue;
    out.push_back(*v);
    power += validators_->entries()[i].power;
  }
  return out;
}

Consensus::Retransmit Consensus::own_messages() const {
  Retransmit out;
  if (!config_.key.has_value() || validators_ == nullptr) return out;
  const Address& me = config_.key->public_key();
  for (std::uint32_t r : retransmit_rounds()) {
    auto it = rounds_.find(r);
    if (it == rounds_.end()) continue;
    const RoundState& rs = it->second;
    if (rs.proposal.has_value() && rs.proposal->proposer == me) out.proposals.push_back(*rs.proposal);
    for (const VoteSet* set : {&rs.prevotes, &rs.precommits}) {
      if (const Vote* v = set->vote_of(me); v != nullptr) out.votes.push_back(*v);
    }
  }
  return out;
}

// ---- Heights and rounds -------------------------------------------------------------------

void Consensus::start_height(std::uint64_t height, std::shared_ptr<const ValidatorSet> validators) {
  MT_ASSERT(height > height_, "start_height must move forward");
  MT_ASSERT(validators != nullptr && !validators->empty(), "start_height with an empty validator set");
  const bool paced = last_decided_height_ != 0 && last_decided_height_ + 1 == height;
  if (locked_round_ >= 0) note([&] { return LockChanged{height_, -1, Hash32{}}; });  // locks end with their height
  height_ = height;
  round_ = 0;
  step_ = ConsensusStep::commit;
  started_ = false;
  decided_ = false;
  validators_ = std::move(validators);
  proposer_cache_.clear();
  locked_value_.reset();
  locked_round_ = -1;
  valid_value_.reset();
  valid_round_ = -1;
  rounds_.clear();
  validity_.clear();

  const TimeUs now = host_.now();
  const TimeUs wait = paced ? next_height_not_before_ - now : 0;
  // The planned start of round 0; pacing of the next height counts from it even if this height
  // is decided during the wait (line 49 from the messages of faster peers).
  round0_start_ = now + std::max<TimeUs>(wait, 0);
  note([&] {
    return HeightStarted{height, static_cast<std::uint32_t>(validators_->size()), validators_->total_power(),
                         round0_start_};
  });
  if (restore_.has_value() && restore_->height() <= height) {
    const ConsensusRecord rec = std::move(*restore_);
    restore_.reset();
    // A restarted validator resumes the height it was deciding: at once, where it had signed.
    if (rec.height() == height && resume(rec)) {
      replay_buffered();
      if (!decided_ && height_ == height) process();
      return;
    }
  }
  replay_buffered();
  if (decided_ || height_ != height) return;  // the replay decided this height already
  if (wait > 0) {
    host_.schedule_timeout(height_, 0, ConsensusStep::commit, wait);
    return;
  }
  start_round(0, RoundReason::first);
  process();
}

InputResult Consensus::buffer_vote(const Vote& v, crypto::VerifyMemo* memo) {
  if (std::find(next_votes_.begin(), next_votes_.end(), v) != next_votes_.end()) return InputResult::duplicate;
  if (validators_ == nullptr || validators_->index_of(v.validator) < 0 ||
      !v.signature_valid_for(vote_signing_hash(v), verifier_, memo)) {
    ++stats_.votes_rejected;
    return InputResult::rejected;
  }
  std::uint32_t& mine = next_votes_by_sender_[v.validator];
  if (mine >= kMaxNextHeightVotesPerSender || next_votes_.size() >= kMaxNextHeightVotes) {
    ++stats_.next_height_dropped;
    return InputResult::overflow;
  }
  ++mine;
  next_votes_.push_back(v);
  return InputResult::buffered;
}

InputResult Consensus::buffer_proposal(const Proposal& p) {
  if (std::find(next_proposals_.begin(), next_proposals_.end(), p) != next_proposals_.end()) {
    return InputResult::duplicate;
  }
  if (validators_ == nullptr || validators_->find(p.proposer) == nullptr ||
      !p.signature_valid(config_.params.chain_id, verifier_)) {
    ++stats_.proposals_rejected;
    return InputResult::rejected;
  }
  std::uint32_t& mine = next_proposals_by_sender_[p.proposer];
  if (mine >= kMaxNextHeightProposalsPerSender || next_proposals_.size() >= kMaxNextHeightProposals) {
    ++stats_.next_height_dropped;
    return InputResult::overflow;
  }
  ++mine;
  next_proposals_.push_back(p);
  return InputResult::buffered;
}

void Consensus::replay_buffered() {
  std::vector<Proposal> proposals;
  std::vector<Vote> votes;
  proposals.swap(next_proposals_);
  votes.swap(next_votes_);
  next_votes_by_sender_.clear();
  next_proposals_by_sender_.clear();
  const std::uint64_t h = height_;
  for (const auto& p : proposals) {
    if (height_ != h || decided_) return;
    if (p.height == h) (void)on_proposal(p);
  }
  for (const auto& v : votes) {
    if (height_ != h || decided_) return;
    if (v.height == h) (void)on_vote(v);
  }
}

void Consensus::start_round(std::uint32_t round, RoundReason reason) {
  MT_ASSERT(round <= kMaxRound, "round limit reached");
  MT_ASSERT(!started_ || round > round_, "rounds only move forward");
  round_ = round;
  step_ = ConsensusStep::propose;
  started_ = true;
  prevote_timeout_scheduled_ = false;
  polka_handled_ = false;
  precommit_timeout_scheduled_ = false;
  if (round == 0) round0_start_ = host_.now();
  // Rounds we left behind stay (line 49 decides in any round); far-future ones are bounded by
  // kMaxRoundsAhead at insertion.
  (void)round_state(round);
  note([&] { return RoundStarted{height_, round, reason, proposer_for(round)}; });
  if (config_.key.has_value() && proposer_for(round) == config_.key->public_key()) propose(round);
  schedule(ConsensusStep::propose);
}

void Consensus::propose(std::uint32_t round) {
  BlockPtr block = valid_value_;
  std::int32_t pol_round = valid_round_;
  if (block == nullptr) {
    block = host_.propose_block(height_, round);
    pol_round = -1;
    if (block == nullptr) return;
  }
  Proposal p;
  p.height = height_;
  p.round = round;
  p.pol_round = pol_round;
  p.block = std::move(block);
  p.proposer = config_.key->public_key();
  RoundState& rs = round_state(round);
  // Already holding a proposal of ours for this round (gossiped back after a restart): never
  // sign a second one; the signing state would refuse a different block anyway.
  if (rs.proposal.has_value() && rs.proposal->block_hash() != p.block_hash()) return;
  if (!sign_guard(ConsensusStep::propose, p.block_hash())) return;
  p.sign(*config_.key, config_.params.chain_id, config_.backend);
  if (!rs.proposal.has_value()) set_proposal(rs, p);
  note_sender(rs, p.proposer);
  persist_record();  // durable before it leaves
  host_.broadcast_proposal(p);
}

// ---- Inputs -----------------------------------------------------------------------------------

InputResult Consensus::on_proposal(const Proposal& p) {
  if (p.block == nullptr || (p.pol_round >= 0 && static_cast<std::uint32_t>(p.pol_round) >= p.round) ||
      p.pol_round < -1) {
    ++stats_.proposals_rejected;
    if (p.height == height_) note_proposal(p, ProposalVerdict::malformed);
    return InputResult::rejected;
  }
  if (p.height == height_ + 1) return buffer_proposal(p);
  if (is_ahead(p.height, p.round)) {
    ++stats_.messages_stale;
    return InputResult::ahead;
  }
  if (p.height != height_ || decided_ || validators_ == nullptr) {
    ++stats_.messages_stale;
    return InputResult::stale;
  }
  if (p.proposer != proposer_for(p.round)) {
    ++stats_.proposals_rejected;
    note_proposal(p, ProposalVerdict::wrong_proposer);
    return InputResult::rejected;
  }
  RoundState& rs = round_state(p.round);
  if (rs.proposal.has_value()) {
    if (*rs.proposal == p) return InputResult::duplicate;
    // A second, different proposal of the proposer for this round: keep the first one.
    ++stats_.proposals_rejected;
    note_proposal(p, ProposalVerdict::conflicting);
    return InputResult::rejected;
  }
  if (!p.signature_valid(config_.params.chain_id, verifier_)) {
    ++stats_.proposals_rejected;
    note_proposal(p, ProposalVerdict::bad_signature);
    return InputResult::rejected;
  }
  note_proposal(p, ProposalVerdict::accepted);
  set_proposal(rs, p);
  note_sender(rs, p.proposer);
  ++stats_.proposals_accepted;
  process();
  return InputResult::accepted;
}

InputResult Consensus::on_vote(const Vote& v, crypto::VerifyMemo* memo) { return receive_vote(v, nullptr, memo); }

InputResult Consensus::on_vote(std::shared_ptr<const Vote> vote, crypto::VerifyMemo* memo) {
  MT_ASSERT(vote != nullptr, "null vote");
  const Vote& v = *vote;
  return receive_vote(v, std::move(vote), memo);
}

InputResult Consensus::receive_vote(const Vote& v, std::shared_ptr<const Vote> shared, crypto::VerifyMemo* memo) {
  if (auto late = take_late_precommit(v, memo); late.has_value()) return *late;
  if (v.height == height_ + 1) return buffer_vote(v, memo);
  if (is_ahead(v.height, v.round)) {
    ++stats_.messages_stale;
    return InputResult::ahead;
  }
  if (v.height != height_ || decided_ || validators_ == nullptr) {
    ++stats_.messages_stale;
    return InputResult::stale;
  }
  const std::ptrdiff_t index = validators_->index_of(v.validator);  // looked up once per vote
  if (index < 0) {
    ++stats_.votes_rejected;
    return InputResult::rejected;
  }
  if (const VoteSet* set = votes(v.round, v.type); set != nullptr) {
    const Vote* known = set->vote_for(static_cast<std::size_t>(index), v.block_hash);
    if (known != nullptr && *known == v) return InputResult::duplicate;
  }
  if (!v.signature_valid_for(vote_signing_hash(v), verifier_, memo)) {
    ++stats_.votes_rejected;
    return InputResult::rejected;
  }
  // Kept by the vote set from here on: the shared object itself, or a copy made now.
  return add_vote(shared != nullptr ? std::move(shared) : std::make_shared<const Vote>(v), false, index);
}

InputResult Consensus::add_vote(std::shared_ptr<const Vote> vote, bool own, std::ptrdiff_t index) {
  const Vote& v = *vote;
  RoundState& rs = round_state(v.round);
  VoteSet& set = v.type == VoteType::prevote ? rs.prevotes : rs.precommits;
  VoteAddOutcome out = set.add(std::move(vote), index);
  MT_ASSERT(out.result != VoteAddResult::wrong_slot && out.result != VoteAddResult::not_validator,
            "vote reached a vote set it does not belong to");
  if (out.evidence.has_value()) {
    ++stats_.equivocations;
    host_.evidence_found(*out.evidence);
  }
  if (out.result == VoteAddResult::duplicate) return InputResult::duplicate;
  if (out.result == VoteAddResult::conflicting) return InputResult::equivocation;
  if (out.result == VoteAddResult::added) note_sender(rs, static_cast<std::size_t>(index));  // index >= 0
  // Our own votes are added from inside the rule loop, which re-checks every rule itself.
  if (!own) {
    ++stats_.votes_accepted;
    process();
  }
  return InputResult::accepted;
}

void Consensus::on_timeout(std::uint64_t height, std::uint32_t round, ConsensusStep step) {
  if (height != height_ || decided_) return;
  switch (step) {
    case ConsensusStep::commit:  // end of the pacing wait
      if (started_ || round != 0) return;
      note([&] { return TimeoutFired{height, round, step}; });
      start_round(0, RoundReason::first);
      break;
    case ConsensusStep::propose:  // line 57
      if (!started_ || round != round_ || step_ != ConsensusStep::propose) return;
      note([&] { return TimeoutFired{height, round, step}; });
      sign_and_send_vote(VoteType::prevote, Hash32{});
      step_ = ConsensusStep::prevote;
      break;
    case ConsensusStep::prevote:  // line 61
      if (!started_ || round != round_ || step_ != ConsensusStep::prevote) return;
      note([&] { return TimeoutFired{height, round, step}; });
      sign_and_send_vote(VoteType::precommit, Hash32{});
      step_ = ConsensusStep::precommit;
      break;
    case ConsensusStep::precommit:  // line 65
      if (!started_ || round != round_) return;
      note([&] { return TimeoutFired{height, round, step}; });
      start_round(round_ + 1, RoundReason::timeout);
      break;
  }
  process();
}

// ---- The rule loop ----------------------------------------------------------------------------

void Consensus::process() {
  for (int pass = 0; pass < kMaxRulePasses; ++pass) {
    if (decided_) return;
    // try_decide hands control to host.decide(), which may start the next height: return at once.
    if (try_decide()) return;
    if (!started_ || !apply_round_rules()) return;
  }
  MT_ASSERT(false, "consensus rules did not settle");
}

bool Consensus::apply_round_rules() {
  return skip_to_higher_round() || prevote_on_proposal() || schedule_prevote_timeout() || lock_on_polka() ||
         precommit_nil_on_nil_polka() || schedule_precommit_timeout();
}

// Line 49: a proposal and a quorum of precommits for it, in any round, decide the height.
bool Consensus::try_decide() {
  for (auto& [r, rs] : rounds_) {
    if (!rs.proposal.has_value()) continue;
    const Hash32& id = rs.proposal_hash;
    if (!rs.precommits.has_quorum_for(id) || !block_valid(*rs.proposal, id)) continue;
    const std::uint32_t round = r;
    BlockPtr block = rs.proposal->block;
    Commit commit = rs.precommits.make_commit(id);
    last_precommits_ = std::make_shared<VoteSet>(rs.precommits);
    last_decided_hash_ = id;
    decided_ = true;
    step_ = ConsensusStep::commit;
    last_decided_height_ = height_;
    const TimeUs now = host_.now();
    // A height decided before its round 0 began (line 49, from faster peers) paces the next one
    // from the decision: its planned start lies in the future, and would stay there for good on
    // a clock that stepped back (the node would then propose late every time its turn came).
    const TimeUs anchor = started_ ? round0_start_ : std::min(round0_start_, now);
    const TimeUs paced = anchor + ms(static_cast<std::int64_t>(config_.params.block_time_ms));
    next_height_not_before_ = std::max(now, paced);
    note([&] { return Decided{height_, round, id}; });
    host_.decide(height_, round, std::move(block), commit);  // may re-enter start_height: touch nothing after
    return true;
  }
  return false;
}

// Line 55: more than 1/3 of the power is already in a higher round: go there.
bool Consensus::skip_to_higher_round() {
  std::optional<std::uint32_t> target;
  for (auto it = rounds_.upper_bound(round_); it != rounds_.end(); ++it) {
    if (validators_->exceeds_one_third(it->second.sender_power)) target = it->first;
  }
  if (!target.has_value()) return false;
  ++stats_.rounds_skipped;
  start_round(*target, RoundReason::skip);
  return true;
}

// Lines 22 and 28: prevote on the proposal of this round.
bool Consensus::prevote_on_proposal() {
  if (step_ != ConsensusStep::propose) return false;
  RoundState& rs = round_state(round_);
  if (!rs.proposal.has_value()) return false;
  const Proposal& p = *rs.proposal;
  const Hash32 id = rs.proposal_hash;
  const bool locked_on_it = locked_value_ != nullptr && locked_value_->hash() == id;
  PrevoteReason why = PrevoteReason::valid;
  if (p.pol_round < 0) {
    if (!block_valid(p, id)) {
      why = PrevoteReason::invalid;
    } else if (!block_timely(*p.block)) {
      why = PrevoteReason::untimely;
    } else if (locked_round_ != -1 && !locked_on_it) {
      why = PrevoteReason::locked_on_other;
    }
  } else {
    auto pol = rounds_.find(static_cast<std::uint32_t>(p.pol_round));
    if (pol == rounds_.end() || !pol->second.prevotes.has_quorum_for(id)) return false;  // wait for the POL
    if (!block_valid(p, id)) {
      why = PrevoteReason::invalid;
    } else if (locked_round_ > p.pol_round && !locked_on_it) {
      why = PrevoteReason::locked_on_other;
    }
  }
  const bool vote_for_it = why == PrevoteReason::valid;
  note([&] { return PrevoteJudged{height_, round_, id, why, locked_round_}; });
  sign_and_send_vote(VoteType::prevote, vote_for_it ? id : Hash32{});
  step_ = ConsensusStep::prevote;
  return true;
}

// Line 34.
bool Consensus::schedule_prevote_timeout() {
  if (step_ != ConsensusStep::prevote || prevote_timeout_scheduled_) return false;
  if (!round_state(round_).prevotes.has_quorum_any()) return false;
  prevote_timeout_scheduled_ = true;
  schedule(ConsensusStep::prevote);
  return true;
}

// Line 36: a polka (quorum of prevotes) for this round's valid proposal.
bool Consensus::lock_on_polka() {
  if (polka_handled_ || (step_ != ConsensusStep::prevote && step_ != ConsensusStep::precommit)) return false;
  RoundState& rs = round_state(round_);
  if (!rs.proposal.has_value()) return false;
  const Hash32 id = rs.proposal_hash;
  if (!rs.prevotes.has_quorum_for(id) || !block_valid(*rs.proposal, id)) return false;
  polka_handled_ = true;
  const auto r = static_cast<std::int32_t>(round_);
  note([&] { return PolkaSeen{height_, round_, id}; });
  // Valid value first, then the lock: the precommit's record holds both.
  valid_value_ = rs.proposal->block;
  valid_round_ = r;
  note([&] { return ValidValueSet{height_, r, id}; });
  if (step_ == ConsensusStep::prevote) {
    locked_value_ = rs.proposal->block;
    locked_round_ = r;
    note([&] { return LockChanged{height_, r, id}; });
    sign_and_send_vote(VoteType::precommit, id);
    step_ = ConsensusStep::precommit;
  } else if (is_my_turn_to_sign() && !signing_blocked_ && signing_state_.height == height_) {
    persist_record();  // a new valid value with nothing to sign: durable all the same
  }
  return true;
}

// Line 44.
bool Consensus::precommit_nil_on_nil_polka() {
  if (step_ != ConsensusStep::prevote) return false;
  if (!round_state(round_).prevotes.has_quorum_for(Hash32{})) return false;
  note([&] { return PolkaSeen{height_, round_, Hash32{}}; });
  sign_and_send_vote(VoteType::precommit, Hash32{});
  step_ = ConsensusStep::precommit;
  return true;
}

// Line 47.
bool Consensus::schedule_precommit_timeout() {
  if (precommit_timeout_scheduled_) return false;
  if (!round_state(round_).precommits.has_quorum_any()) return false;
  precommit_timeout_scheduled_ = true;
  schedule(ConsensusStep::precommit);
  return true;
}

// ---- Helpers ----------------------------------------------------------------------------------

void Consensus::schedule(ConsensusStep step) {
  const TimeUs delay = timeout_for(step, round_);
  note([&] { return TimeoutScheduled{height_, round_, step, delay}; });
  host_.schedule_timeout(height_, round_, step, delay);
}

Consensus::RoundState& Consensus::round_state(std::uint32_t round) {
  MT_ASSERT(validators_ != nullptr, "round state before start_height");
  auto it = rounds_.find(round);
  if (it != rounds_.end()) return it->second;
  MT_ASSERT(round <= round_ + kMaxRoundsAhead, "round state beyond the buffered window");
  const auto& p = config_.params;
  RoundState rs{VoteSet(height_, round, VoteType::prevote, validators_, p.quorum_num, p.quorum_den),
                VoteSet(height_, round, VoteType::precommit, validators_, p.quorum_num, p.quorum_den),
                std::nullopt, Hash32{}, std::vector<bool>(validators_->size(), false), 0};
  return rounds_.emplace(round, std::move(rs)).first->second;
}

const Hash32& Consensus::vote_signing_hash(const Vote& v) {
  // Every vote of one step for one block signs the same hash: a few recent ones answer almost
  // every vote of a height. The key is everything the hash covers but the (fixed) chain id.
  for (const auto& e : signing_hashes_) {
    if (e.filled && e.type == v.type && e.height == v.height && e.round == v.round && e.block_hash == v.block_hash) {
      return e.hash;
    }
  }
  SigningHashEntry& e = signing_hashes_[next_signing_hash_++ % signing_hashes_.size()];
  e = SigningHashEntry{true, v.type, v.height, v.round, v.block_hash, v.signing_hash(config_.params.chain_id)};
  return e.hash;
}

void Consensus::note_sender(RoundState& rs, const Address& who) {
  const std::ptrdiff_t i = validators_->index_of(who);
  if (i >= 0) note_sender(rs, static_cast<std::size_t>(i));
}

void Consensus::note_sender(RoundState& rs, std::size_t index) {
  MT_ASSERT(index < rs.senders.size(), "validator set changed within a height");
  if (rs.senders[index]) return;
  rs.senders[index] = true;
  rs.sender_power += validators_->entries()[index].power;
}

void Consensus::note_proposal(const Proposal& p, ProposalVerdict verdict) {
  note([&] {
    return ProposalReceived{p.height, p.round, p.pol_round, p.proposer,
                            p.block != nullptr ? p.block_hash() : Hash32{}, verdict};
  });
}

void Consensus::set_proposal(RoundState& rs, const Proposal& p) {
  rs.proposal = p;
  rs.proposal_hash = p.block_hash();
}

bool Consensus::block_valid(const Proposal& p, const Hash32& id) {
  auto it = validity_.find(id);
  if (it != validity_.end()) return it->second;
  const Block& b = *p.block;
  const bool ok = b.header.height == height_ && b.header.chain_id == config_.params.chain_id &&
                  host_.validate_block(b);
  validity_.emplace(id, ok);
  return ok;
}

bool Consensus::block_timely(const Block& b) const {
  // now_ms + drift cannot overflow: now is a signed 64-bit count of microseconds and the drift
  // is at most a day (Params::validate).
  const auto now_ms = static_cast<std::uint64_t>(std::max<TimeUs>(host_.now(), 0) / kUsPerMs);
  return b.header.timestamp_ms <= now_ms + config_.params.max_block_time_drift_ms;
}

std::optional<InputResult> Consensus::take_late_precommit(const Vote& v, crypto::VerifyMemo* memo) {
  if (last_precommits_ == nullptr || v.type != VoteType::precommit || v.height != last_precommits_->height() ||
      v.round != last_precommits_->round() || v.block_hash != last_decided_hash_) {
    return std::nullopt;
  }
  const std::ptrdiff_t index = last_precommits_->validators().index_of(v.validator);
  if (index < 0) {
    ++stats_.votes_rejected;
    return InputResult::rejected;
  }
  const Vote* known = last_precommits_->vote_for(static_cast<std::size_t>(index), v.block_hash);
  if (known != nullptr && *known == v) return InputResult::duplicate;
  if (!v.signature_valid_for(vote_signing_hash(v), verifier_, memo)) {
    ++stats_.votes_rejected;
    return InputResult::rejected;
  }
  const VoteAddOutcome out = last_precommits_->add(std::make_shared<const Vote>(v), index);
  if (out.result == VoteAddResult::added || out.result == VoteAddResult::conflicting_counted) {
    return InputResult::accepted;
  }
  return out.result == VoteAddResult::duplicate ? InputResult::duplicate : InputResult::equivocation;
}

std::optional<Commit> Consensus::last_commit() const {
  if (last_precommits_ == nullptr) return std::nullopt;
  return last_precommits_->make_commit(last_decided_hash_);
}

bool Consensus::is_ahead(std::uint64_t height, std::uint32_t round) const {
  if (height > height_ + 1) return true;
  return height == height_ && !decided_ && round > round_ + kMaxRoundsAhead;
}

bool Consensus::is_my_turn_to_sign() const {
  return config_.key.has_value() && validators_ != nullptr && validators_->find(config_.key->public_key()) != nullptr;
}

bool Consensus::sign_guard(ConsensusStep step, const Hash32& block_hash) {
  if (!is_my_turn_to_sign()) return false;
  const SigningState next{height_, round_, step, block_hash};
  if (signing_blocked_ || !signing_state_.allows(next)) {
    ++stats_.signing_refused;
    return false;
  }
  // The caller signs, records and persists (persist_record) before anything leaves the node.
  signing_state_ = next;
  return true;
}

void Consensus::sign_and_send_vote(VoteType type, const Hash32& block_hash) {
  if (!sign_guard(step_of(type), block_hash)) return;
  Vote v;
  v.type = type;
  v.height = height_;
  v.round = round_;
  v.block_hash = block_hash;
  v.validator = config_.key->public_key();
  v.sign(*config_.key, config_.params.chain_id, config_.backend);
  const std::ptrdiff_t index = validators_->index_of(v.validator);
  (void)add_vote(std::make_shared<const Vote>(v), true, index);  // our own vote counts like anyone's
  persist_record();  // with the vote in it: durable before it leaves
  host_.broadcast_vote(v);
}

}  // namespace mt
