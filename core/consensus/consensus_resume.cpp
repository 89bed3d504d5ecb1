// Consensus: the durable record and resuming from it after a restart (consensus.hpp, "Signing
// safety and durability").
#include <set>
#include <string>
#include <utility>

#include "core/consensus/consensus.hpp"
#include "core/util/assert.hpp"

namespace mt {

ConsensusRecord Consensus::record() const {
  ConsensusRecord rec;
  rec.signing = signing_state_;
  rec.locked_round = locked_round_;
  rec.locked_value = locked_value_;
  rec.valid_round = valid_round_;
  rec.valid_value = valid_value_;
  rec.polka = polka_votes();
  Retransmit own = own_messages();
  rec.own_votes = std::move(own.votes);
  rec.own_proposals = std::move(own.proposals);
  return rec;
}

void Consensus::persist_record() {
  MT_ASSERT(signing_state_.height == height_, "persisting a record of another height");
  host_.persist_consensus_record(record());
}

bool Consensus::record_checks_out(const ConsensusRecord& rec) {
  const std::string& chain = config_.params.chain_id;
  const Address& me = config_.key->public_key();
  const std::uint32_t top = rec.signing.round;
  if (top > kMaxRound || rec.locked_round > static_cast<std::int64_t>(top) ||
      rec.valid_round > static_cast<std::int64_t>(top)) {
    return false;
  }
  for (const BlockPtr& b : {rec.locked_value, rec.valid_value}) {
    if (b != nullptr && (b->header.height != height_ || b->header.chain_id != chain)) return false;
  }
  auto vote_ok = [&](const Vote& v) {
    return v.height == height_ && v.round <= top && validators_->index_of(v.validator) >= 0 &&
           v.signature_valid(chain, verifier_);
  };
  for (const Vote& v : rec.own_votes) {
    if (v.validator != me || !vote_ok(v)) return false;
  }
  std::uint64_t polka_power = 0;
  std::set<Address> voters;
  for (const Vote& v : rec.polka) {
    if (!vote_ok(v) || v.type != VoteType::prevote || rec.valid_round < 0 ||
        v.round != static_cast<std::uint32_t>(rec.valid_round) || v.block_hash != rec.valid_value->hash() ||
        !voters.insert(v.validator).second) {
      return false;
    }
    polka_power += validators_->find(v.validator)->power;
  }
  const Params& p = config_.params;
  if (rec.valid_round >= 0 && !validators_->has_quorum(polka_power, p.quorum_num, p.quorum_den)) return false;
  for (const Proposal& q : rec.own_proposals) {
    if (q.proposer != me || q.height != height_ || q.round > top || q.block->header.height != height_ ||
        !q.signature_valid(chain, verifier_)) {
      return false;
    }
  }
  return true;
}

bool Consensus::resume(const ConsensusRecord& rec) {
  MT_ASSERT(rec.height() == height_ && !started_, "resume: record of another height");
  if (!is_my_turn_to_sign()) return false;  // not a validator at this height: nothing to resume
  if (!record_checks_out(rec)) {
    signing_blocked_ = true;
    return false;
  }
  round_ = rec.signing.round;
  // Signed a proposal: still in propose (the rules prevote it); signed a vote: in its step.
  step_ = rec.signing.step;
  started_ = true;
  prevote_timeout_scheduled_ = false;
  polka_handled_ = false;
  precommit_timeout_scheduled_ = false;
  locked_round_ = rec.locked_round;
  locked_value_ = rec.locked_value;
  valid_round_ = rec.valid_round;
  valid_value_ = rec.valid_value;
  note([&] { return RoundStarted{height_, round_, RoundReason::restored, proposer_for(round_)}; });
  if (locked_round_ >= 0) note([&] { return LockChanged{height_, locked_round_, locked_value_->hash()}; });
  if (valid_round_ >= 0) note([&] { return ValidValueSet{height_, valid_round_, valid_value_->hash()}; });
  for (const Proposal& p : rec.own_proposals) {
    RoundState& rs = round_state(p.round);
    if (!rs.proposal.has_value()) set_proposal(rs, p);
    note_sender(rs, p.proposer);
  }
  for (const std::vector<Vote>* list : {&rec.own_votes, &rec.polka}) {
    for (const Vote& v : *list) {
      (void)add_vote(std::make_shared<const Vote>(v), true, validators_->index_of(v.validator));
    }
  }
  if (step_ == ConsensusStep::propose) {
    schedule(ConsensusStep::propose);
  }
  return true;
}

}  // namespace mt
