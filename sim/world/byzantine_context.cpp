#include "sim/world/byzantine_context.hpp"

#include <algorithm>

#include "core/crypto/hash.hpp"
#include "core/state/transition.hpp"
#include "sim/scenario/behavior_registry.hpp"
#include "sim/world/world.hpp"

namespace mt::sim {

namespace {
constexpr std::size_t kSpamPayloadBytes = 96;
constexpr std::uint32_t kBasisPoints = 10'000;
// Bounds on what the wrapper remembers: entries for committed heights are dropped as it goes.
constexpr std::size_t kMaxRemembered = 4096;
constexpr std::uint64_t kEndorseKeepHeights = 64;

using B = ByzantineBehavior;
bool is(const ByzantineSpec& s, ByzantineBehavior b) { return s.behavior == b; }
}  // namespace

ByzantineContext::ByzantineContext(World& world, std::size_t node, ByzantineSpec spec, crypto::KeyPair key)
    : SimContext(world, node),
      world_(world),
      spec_(std::move(spec)),
      key_(std::move(key)),
      self_(key_.public_key()),
      chain_id_(world.config().genesis.params.chain_id),
      backend_(world.config().backend),
      verifier_(backend_) {
  if (is(spec_, B::spam) && spec_.rate_milli_per_s > 0) schedule_spam();
}

ByzantineContext::~ByzantineContext() {
  for (const auto& [seq, ev] : pending_) world_.scheduler().cancel(ev);
  pending_.clear();
}

bool ByzantineContext::active(std::uint64_t height) const {
  const World& w = world_;
  if (spec_.at_us >= 0) {
    const TimeUs now = world_.scheduler().now();
    if (now < spec_.at_us) return false;
    return spec_.duration_us < 0 || now < spec_.at_us + spec_.duration_us;
  }
  const std::uint64_t h = height != 0 ? height : w.height_of(index()) + 1;
  if (h < spec_.from_height) return false;
  return spec_.until_height == 0 || h <= spec_.until_height;
}

// ---- outputs -------------------------------------------------------------------------------

bool ByzantineContext::hides(const WireMessage& message) const {
  // The equivocating bridge shows each side nothing of the other's chain (no status, no blocks)
  // and never reports evidence, even against itself.
  return is(spec_, B::equivocate_vote) && active() &&
         (message.kind == MsgKind::status || message.kind == MsgKind::block_response ||
          message.kind == MsgKind::evidence);
}

void ByzantineContext::send(PeerId to, WirePtr message) {
  if (hides(*message)) {
    ++stats_.messages_filtered;
    return;
  }
  if (message->kind == MsgKind::status && is(spec_, B::forge_sync) && active()) message = inflated_status(message);
  raw_send(to, message);  // selective_gossip filters there
}

void ByzantineContext::gossip(WirePtr message, std::optional<PeerId> except) {
  if (hides(*message)) {
    ++stats_.messages_filtered;
    return;
  }
  if (message->kind == MsgKind::status && is(spec_, B::propose_own_block)) propose_own_block();
  if (message->kind == MsgKind::status && is(spec_, B::forge_sync)) {
    remember_state();
    if (active()) message = inflated_status(message);
  }
  const bool consensus = message->kind == MsgKind::vote || message->kind == MsgKind::proposal;
  if (!consensus) {
    raw_gossip(message, except);
    return;
  }
  auto decoded = decode_message(*message);
  MT_ASSERT(decoded.ok() || except.has_value(), "the node sent a message it cannot decode");
  if (!decoded.ok()) {
    raw_gossip(message, except);
    return;
  }
  const Message& m = decoded.value();
  if (const auto* v = std::get_if<Vote>(&m); v != nullptr && v->validator == self_) {
    own_vote(*v, message);
  } else if (const auto* p = std::get_if<Proposal>(&m); p != nullptr && p->proposer == self_) {
    own_proposal(*p, message);
  } else {
    relayed(m, message, except);
  }
  // future_rounds: each proposal it sends on (its own or a peer's) is followed by a vote far ahead,
  // which reaches the others about when the proposal does: before their prevotes can gather.
  if (const auto* p = std::get_if<Proposal>(&m); p != nullptr && is(spec_, B::future_rounds) && active(p->height)) {
    vote_far_ahead(p->height, p->round);
  }
}

void ByzantineContext::gossip_to(WirePtr message, std::span<const PeerId> to) {
  relay_to_ = to;
  gossip(std::move(message), std::nullopt);
  relay_to_.reset();
}

void ByzantineContext::own_vote(Vote vote, const WirePtr& wire) {
  if (!active(vote.height)) {
    raw_gossip(wire, std::nullopt);
    return;
  }
  if (is(spec_, B::withhold_votes)) {
    ++stats_.votes_withheld;
    took("vote_withheld", vote.height, vote.round);
    return;
  }
  if (is(spec_, B::delay_votes)) {
    ++stats_.votes_delayed;
    took("vote_delayed", vote.height, vote.round);
    const std::uint64_t seq = next_pending_++;
    pending_[seq] = world_.scheduler().schedule_after(spec_.delay_us, [this, seq, wire] {
      pending_.erase(seq);
      raw_gossip(wire, std::nullopt);
    });
    return;
  }
  if (extra_vote_output(vote, wire)) return;
  if (is(spec_, B::equivocate_vote)) {
    ++stats_.votes_equivocated;
    took("vote_equivocated", vote.height, vote.round);
    Vote other = vote;
    other.block_hash = crypto::tagged_hash("mtsim/equivocate", vote.block_hash.view());
    // Where it already endorsed a peer's proposal at this (height, round), that endorsement is
    // its vote on the proposer's side: the conflicting vote goes to the other half only.
    auto it = endorsed_.lower_bound({vote.height, vote.round, Hash32{}});
    if (it != endorsed_.end() && std::get<0>(it->first) == vote.height && std::get<1>(it->first) == vote.round) {
      to_half(sign_vote(other), !in_first_half(it->second));
      return;
    }
    to_half(wire, true);
    to_half(sign_vote(other), false);
    return;
  }
  if (is(spec_, B::amnesia) && vote.type == VoteType::prevote && vote.round > 0) {
    auto it = seen_proposals_.find({vote.height, vote.round});
    if (it != seen_proposals_.end() && it->second != vote.block_hash) {
      ++stats_.votes_forgotten;
      took("lock_forgotten", vote.height, vote.round);
      vote.block_hash = it->second;
      raw_gossip(sign_vote(vote), std::nullopt);
      return;
    }
  }
  raw_gossip(wire, std::nullopt);
}

void ByzantineContext::own_proposal(const Proposal& proposal, const WirePtr& wire) {
  if (!active(proposal.height)) {
    raw_gossip(wire, std::nullopt);
    return;
  }
  if (is(spec_, B::equivocate_proposal)) {
    ++stats_.proposals_equivocated;
    took("proposal_equivocated", proposal.height, proposal.round);
    auto block = std::make_shared<Block>(*proposal.block);
    block->header.timestamp_ms += 1;
    Proposal other = proposal;
    other.block = std::move(block);
    to_half(wire, true);
    to_half(sign_proposal(std::move(other)), false);
    return;
  }
  if (auto bad = altered_proposal(proposal)) {
    took("proposal_altered", proposal.height, proposal.round);
    raw_gossip(sign_proposal(std::move(*bad)), std::nullopt);
    return;
  }
  raw_gossip(wire, std::nullopt);
}

std::optional<Proposal> ByzantineContext::altered_proposal(const Proposal& proposal) {
  auto block = std::make_shared<Block>(*proposal.block);
  if (is(spec_, B::invalid_block)) {
    ++stats_.blocks_corrupted;
    block->header.state_root.data[0] ^= 0xFFu;  // any other root: the transition disagrees
  } else if (is(spec_, B::timestamp_skew)) {
    ++stats_.blocks_restamped;
    const auto ms = static_cast<std::int64_t>(block->header.timestamp_ms) + spec_.delay_us / 1000;
    block->header.timestamp_ms = static_cast<std::uint64_t>(std::max<std::int64_t>(0, ms));
    rebuild(block);
  } else if (is(spec_, B::proposer_mismatch)) {
    ++stats_.headers_misattributed;
    block->header.proposer = next_validator();
    rebuild(block);
  } else if (plant_evidence(*block)) {
    rebuild(block);
  } else {
    return std::nullopt;
  }
  Proposal bad = proposal;
  bad.block = std::move(block);
  return bad;
}

// Rebuilds the block from its (altered) header on the node's committed state, so its state root
// is right for the new header: only the alteration itself can make honest nodes refuse it. Where
// the state refuses the header (a stamp not after the parent's), the block keeps its old root.
void ByzantineContext::rebuild(std::shared_ptr<Block>& block) {
  const Node* node = world_.node(index());
  if (node == nullptr || node->state() == nullptr) return;
  BlockHeader header;
  header.version = block->header.version;
  header.chain_id = block->header.chain_id;
  header.height = block->header.height;
  header.parent_hash = block->header.parent_hash;
  header.timestamp_ms = block->header.timestamp_ms;
  header.proposer = block->header.proposer;
  auto built = state::build_block(node->state(), std::move(header), block->txs, block->evidence, block->last_commit,
                                  verifier_);
  if (built.ok() && built.value().block->txs.size() == block->txs.size()) {
    block = std::make_shared<Block>(*built.value().block);
  }
}

bool ByzantineContext::extra_vote_output(const Vote& vote, const WirePtr& wire) {
  if (is(spec_, B::forge_evidence)) {
    raw_gossip(wire, std::nullopt);
    if (vote.type == VoteType::precommit) forge_evidence(vote);
    return true;
  }
  if (is(spec_, B::next_height_spam)) {
    raw_gossip(wire, std::nullopt);
    spam_next_height(vote);
    return true;
  }
  if (is(spec_, B::future_rounds)) {
    raw_gossip(wire, std::nullopt);
    vote_far_ahead(vote.height, vote.round);
    return true;
  }
  if (is(spec_, B::unbond_then_equivocate)) {
    if (!unbond_sent_) send_unbond();
    equivocate(vote, wire);
    return true;
  }
  return false;
}

void ByzantineContext::equivocate(const Vote& vote, const WirePtr& wire) {
  ++stats_.votes_equivocated;
  took("vote_equivocated", vote.height, vote.round);
  Vote other = vote;
  other.block_hash = crypto::tagged_hash("mtsim/equivocate", vote.block_hash.view());
  to_half(wire, true);
  to_half(sign_vote(other), false);
}

void ByzantineContext::took(std::string_view action, std::uint64_t height, std::int64_t round) {
  if (!world_.events_on()) return;
  world_.note_world(WorldEvent{"byzantine", "", std::string(behavior_spec(spec_.behavior).name), "", {index()},
                               std::string(action), height, round});
}

const Address& ByzantineContext::next_validator() const {
  const auto& vs = world_.config().validators;
  return vs[(index() + 1) % vs.size()].key.public_key();
}

// Two conflicting precommits in the victim's name, signed with this node's key: evidence whose
// signatures cannot verify. Honest nodes must reject it and never slash the victim.
void ByzantineContext::forge_evidence(const Vote& vote) {
  Vote a = vote;
  Vote b = vote;
  b.block_hash = crypto::tagged_hash("mtsim/forged", vote.block_hash.view());
  for (Vote* v : {&a, &b}) {
    v->sign(key_, chain_id_, backend_);
    v->validator = next_validator();
  }
  auto evidence = DuplicateVoteEvidence::from_votes(a, b);
  if (!evidence) return;
  ++stats_.evidence_forged;
  took("evidence_forged", vote.height, vote.round);
  raw_gossip(encode_message(Message(std::move(*evidence))), std::nullopt);
}

// A vote for the next height in its own name with a broken signature, and one from an address no
// validator holds (a hash, not a key anyone has).
void ByzantineContext::spam_next_height(const Vote& vote) {
  Vote own;
  own.type = VoteType::prevote;
  own.height = vote.height + 1;
  own.round = vote.round;
  own.block_hash = crypto::tagged_hash("mtsim/next-height", vote.block_hash.view());
  own.validator = self_;
  own.sign(key_, chain_id_, backend_);
  own.signature.data[0] ^= 0x01u;
  Vote outsider = own;
  outsider.validator = crypto::tagged_hash("mtsim/outsider", self_.view());
  stats_.votes_spammed += 2;
  raw_gossip(encode_message(Message(own)), std::nullopt);
  raw_gossip(encode_message(Message(outsider)), std::nullopt);
}

void ByzantineContext::send_unbond() {
  unbond_sent_ = true;
  const Node* node = world_.node(index());
  if (node == nullptr) return;
  Transaction tx;
  tx.chain_id = chain_id_;
  tx.sender = self_;
  tx.nonce = node->state()->account(self_).nonce;
  tx.fee = std::max<Amount>(1, world_.config().genesis.params.min_fee);
  tx.payload = Unbond{world_.config().validators[index()].stake};
  tx.sign(key_, backend_);
  ++stats_.unbonds_sent;
  world_.submit_tx(index(), SignedTx::make(std::move(tx)));
}

void ByzantineContext::relayed(const Message& m, const WirePtr& wire, std::optional<PeerId> except) {
  const auto* p = std::get_if<Proposal>(&m);
  if (p != nullptr && active(p->height)) {
    if (is(spec_, B::equivocate_vote)) {  // the bridge keeps each side's proposals to that side
      ++stats_.messages_filtered;
      return;
    }
    if (is(spec_, B::propose_out_of_turn)) {
      ++stats_.proposals_stolen;
      took("proposal_stolen", p->height, p->round);
      Proposal mine = *p;
      mine.proposer = self_;
      raw_gossip(sign_proposal(std::move(mine)), std::nullopt);
    }
  }
  raw_gossip(wire, except);
}

bool ByzantineContext::in_first_half(PeerId peer) const {
  const auto ps = SimContext::peers();
  const auto it = std::find(ps.begin(), ps.end(), peer);
  return static_cast<std::size_t>(it - ps.begin()) < ps.size() / 2;
}

void ByzantineContext::to_half(const WirePtr& message, bool first_half) {
  const auto ps = SimContext::peers();
  const std::size_t mid = ps.size() / 2;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    if ((i < mid) == first_half) raw_send(ps[i], message);
  }
}

void ByzantineContext::raw_gossip(const WirePtr& message, std::optional<PeerId> except) {
  if (relay_to_.has_value()) {  // a mesh relay (gossip_to): to those peers only
    for (PeerId p : *relay_to_) raw_send(p, message);
    return;
  }
  if (!is(spec_, B::selective_gossip) || !active()) {
    SimContext::gossip(message, except);
    return;
  }
  for (PeerId p : SimContext::peers()) {
    if (except && *except == p) continue;
    raw_send(p, message);
  }
}

void ByzantineContext::raw_send(PeerId to, const WirePtr& message) {
  if (is(spec_, B::selective_gossip) && active() &&
      std::find(spec_.targets.begin(), spec_.targets.end(), to) == spec_.targets.end()) {
    ++stats_.messages_filtered;
    return;
  }
  SimContext::send(to, message);
}

WirePtr ByzantineContext::sign_vote(Vote v) {
  v.validator = self_;
  v.sign(key_, chain_id_, backend_);
  return encode_message(Message(std::move(v)));
}

WirePtr ByzantineContext::sign_proposal(Proposal p) {
  p.sign(key_, chain_id_, backend_);
  return encode_message(Message(std::move(p)));
}

// ---- inputs --------------------------------------------------------------------------------

bool ByzantineContext::accept_message(PeerId from, const WirePtr& message) {
  if (message->kind == MsgKind::block_request && is(spec_, B::forge_sync) && active()) {
    return !answer_forged(from, message);
  }
  if (message->kind == MsgKind::tx && is(spec_, B::censor) && active()) {
    auto decoded = decode_message(*message);
    if (decoded.ok() && censored(std::get<TxPtr>(decoded.value())->hash())) {
      ++stats_.txs_censored;
      return false;
    }
    return true;
  }
  const bool watches = is(spec_, B::equivocate_vote) || is(spec_, B::amnesia);
  if (message->kind != MsgKind::proposal || !watches) return true;
  auto decoded = decode_message(*message);
  if (!decoded.ok()) return true;  // the node rejects and counts it
  const auto& p = std::get<Proposal>(decoded.value());
  if (p.proposer == self_ || !active(p.height)) return true;
  forget_old();
  if (is(spec_, B::equivocate_vote)) {
    endorse(from, p);  // at any height: a side that fell behind is shown votes for its own block
  } else if (p.height > world_.height_of(index()) && seen_proposals_.size() < kMaxRemembered) {
    seen_proposals_.emplace(std::make_pair(p.height, p.round), p.block_hash());
  }
  return true;
}

bool ByzantineContext::accept_tx(const TxPtr& tx) {
  if (!is(spec_, B::censor) || !active() || !censored(tx->hash())) return true;
  ++stats_.txs_censored;
  return false;
}

void ByzantineContext::endorse(PeerId from, const Proposal& proposal) {
  // Votes for every block it is shown, whatever it voted before: with a partition between the
  // peers that show it different blocks, this is the bridge that lets a weak quorum fork.
  const Hash32 h = proposal.block_hash();
  if (endorsed_.size() >= kMaxRemembered || !endorsed_.emplace(std::make_tuple(proposal.height, proposal.round, h), from).second) {
    return;
  }
  ++stats_.proposals_endorsed;
  for (VoteType t : {VoteType::prevote, VoteType::precommit}) {
    Vote v;
    v.type = t;
    v.height = proposal.height;
    v.round = proposal.round;
    v.block_hash = h;
    raw_send(from, sign_vote(v));
  }
}

bool ByzantineContext::censored(const Hash32& tx_hash) const {
  return tx_hash.prefix64() % kBasisPoints < spec_.fraction_bp;
}

void ByzantineContext::forget_old() {
  const std::uint64_t committed = world_.height_of(index());
  std::erase_if(endorsed_, [committed](const auto& e) { return std::get<0>(e.first) + kEndorseKeepHeights <= committed; });
  std::erase_if(seen_proposals_, [committed](const auto& e) { return e.first.first <= committed; });
}

void ByzantineContext::schedule_spam() {
  // rate is in milli-messages per second: one every 1e9 / rate microseconds.
  const TimeUs interval_us =
      std::max<TimeUs>(1, static_cast<TimeUs>(1'000'000'000ULL / spec_.rate_milli_per_s));
  const std::uint64_t seq = next_pending_++;
  pending_[seq] = world_.scheduler().schedule_after(interval_us, [this, seq] {
    pending_.erase(seq);
    if (active()) {
      // Undecodable tx bytes, distinct per message (a counter hashed with the node), so gossip
      // dedup does not hide them: each one must be decoded, rejected and counted.
      ++stats_.spam_sent;
      Bytes seed_bytes;
      for (int k = 0; k < 8; ++k) seed_bytes.push_back(static_cast<std::uint8_t>(spam_counter_ >> (8 * k)));
      seed_bytes.push_back(static_cast<std::uint8_t>(index()));
      ++spam_counter_;
      auto wire = std::make_shared<WireMessage>();
      wire->kind = MsgKind::tx;
      const Hash32 noise = crypto::tagged_hash("mtsim/spam", ByteView(seed_bytes));
      Bytes& bytes = wire->mutable_payload();
      for (std::size_t i = 0; i < kSpamPayloadBytes; ++i) bytes.push_back(noise.data[i % noise.data.size()]);
      raw_gossip(wire, std::nullopt);
    }
    schedule_spam();
  });
}

}  // namespace mt::sim
