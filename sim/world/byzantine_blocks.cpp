// The byzantine behaviours that forge whole blocks rather than votes: evidence against itself
// that the chain must refuse (a second piece for one double signer, or a piece too old), and a
// block of its own built out of turn. Each block is built on the node's committed state with the
// node's own code, so only the forgery itself can make honest nodes refuse it.
#include <algorithm>

#include "core/consensus/consensus.hpp"
#include "core/crypto/hash.hpp"
#include "core/state/transition.hpp"
#include "sim/world/byzantine_context.hpp"
#include "sim/world/world.hpp"

namespace mt::sim {

namespace {
// Rounds no honest validator reaches in a run: the self-incriminating votes never meet a real one.
constexpr std::uint32_t kForgedRound = 1'000'000;
using B = ByzantineBehavior;
}  // namespace

// Two conflicting prevotes this validator signs for (height, round), as evidence.
Evidence ByzantineContext::self_evidence(std::uint64_t height, std::uint32_t round) {
  Vote a;
  a.type = VoteType::prevote;
  a.height = height;
  a.round = round;
  a.validator = self_;
  Vote b = a;
  a.block_hash = crypto::tagged_hash("mtsim/self-evidence-a", self_.view());
  b.block_hash = crypto::tagged_hash("mtsim/self-evidence-b", self_.view());
  a.sign(key_, chain_id_, backend_);
  b.sign(key_, chain_id_, backend_);
  auto e = DuplicateVoteEvidence::from_votes(a, b);
  MT_ASSERT(e.has_value(), "two votes with different hashes conflict");
  return *e;
}

// double_evidence: two pieces for the parent height; stale_evidence: one for height 1 once it is
// past the evidence window. False when the block is left as it is.
bool ByzantineContext::plant_evidence(Block& block) {
  const std::uint64_t h = block.header.height;
  if (spec_.behavior == B::double_evidence) {
    if (h < 2) return false;
    block.evidence.push_back(self_evidence(h - 1, kForgedRound));
    block.evidence.push_back(self_evidence(h - 1, kForgedRound + 1));
  } else if (spec_.behavior == B::stale_evidence) {
    const std::uint64_t max_age = world_.config().genesis.params.evidence_max_age_blocks;
    if (h < 2 || h - 1 <= max_age) return false;
    block.evidence.push_back(self_evidence(1, kForgedRound));
  } else {
    return false;
  }
  std::sort(block.evidence.begin(), block.evidence.end(),
            [](const Evidence& x, const Evidence& y) { return x.hash() < y.hash(); });
  ++stats_.evidence_planted;
  return true;
}

// Right after its node commits height h live, a block for (h + 1, round 0) built on that state
// and signed as its own, sent now and again a third of a block time later (a peer still on h
// forgets the first as ahead of it). Not when it is round 0's rightful proposer.
void ByzantineContext::propose_own_block() {
  const Node* node = world_.node(index());
  if (node == nullptr || node->state() == nullptr || node->consensus() == nullptr) return;
  const state::StatePtr& st = node->state();
  const std::uint64_t h = st->height() + 1;
  if (h <= own_block_height_ || !active(h) || st->validator_set().proposer_for_round(0) == self_) return;
  const std::optional<Commit> last = node->consensus()->last_commit();
  if (st->height() > 0 && (!last.has_value() || last->height != st->height())) return;
  own_block_height_ = h;
  BlockHeader header;
  header.chain_id = chain_id_;
  header.height = h;
  header.parent_hash = st->last_block_hash();
  const auto now_ms = static_cast<std::uint64_t>(std::max<TimeUs>(now(), 0) / kUsPerMs);
  header.timestamp_ms = std::max(st->last_block_time_ms() + 1, now_ms);
  header.proposer = self_;
  auto built = state::build_block(st, std::move(header), {}, {}, last.value_or(Commit{}), verifier_);
  if (!built.ok()) return;
  Proposal p;
  p.height = h;
  p.round = 0;
  p.pol_round = -1;
  p.block = built.value().block;
  p.proposer = self_;
  const WirePtr wire = sign_proposal(std::move(p));
  ++stats_.blocks_out_of_turn;
  raw_gossip(wire, std::nullopt);
  const std::uint64_t seq = next_pending_++;
  const TimeUs later = static_cast<TimeUs>(world_.config().genesis.params.block_time_ms) * kUsPerMs / 3;
  pending_[seq] = world_.scheduler().schedule_after(later, [this, seq, wire] {
    pending_.erase(seq);
    raw_gossip(wire, std::nullopt);
  });
}

}  // namespace mt::sim
