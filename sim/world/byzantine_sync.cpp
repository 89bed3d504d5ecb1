// forge_sync: a block-sync server that lies. It announces two heights more than it has, so that
// every peer that hears it fetches from it at once (more than one height behind: no grace), and answers a
// request from height f with a fork of its own making: a valid block for f on the state of f - 1
// (stamped right after the parent, so it differs from the finalized one), under a forged commit.
// Only the commit check stands between the asker and a second block finalized at f.
#include <algorithm>

#include "core/consensus/consensus.hpp"
#include "core/state/transition.hpp"
#include "sim/world/byzantine_context.hpp"
#include "sim/world/world.hpp"

namespace mt::sim {

namespace {
constexpr std::size_t kKeepStates = 64;
}  // namespace

// Called as its node announces a height: keeps that state and its commit (decided live only).
void ByzantineContext::remember_state() {
  const Node* node = world_.node(index());
  if (node == nullptr || node->state() == nullptr || node->consensus() == nullptr) return;
  const std::uint64_t h = node->state()->height();
  const std::optional<Commit> commit = node->consensus()->last_commit();
  if (h == 0 || history_.contains(h) || !commit.has_value() || commit->height != h) return;
  history_.emplace(h, std::make_pair(node->state(), *commit));
  while (history_.size() > kKeepStates) history_.erase(history_.begin());
}

WirePtr ByzantineContext::inflated_status(const WirePtr& status) const {
  auto decoded = decode_message(*status);
  if (!decoded.ok()) return status;
  auto* s = std::get_if<StatusMsg>(&decoded.value());
  if (s == nullptr) return status;
  StatusMsg lie = *s;
  lie.height += 2;  // more than one ahead: a peer fetches at once, without the grace
  return encode_message(Message(lie));
}

// Alternately: its own precommit alone (validly signed, too little power), and one signature
// for every member of the set, all made with its own key (the power is there, the signatures
// are not). Sorted by validator, as a commit must be.
Commit ByzantineContext::forged_commit(const ValidatorSet& set, std::uint64_t height, const Hash32& block_hash) {
  Vote v;
  v.type = VoteType::precommit;
  v.height = height;
  v.round = 0;
  v.block_hash = block_hash;
  v.validator = self_;
  v.sign(key_, chain_id_, backend_);
  Commit c;
  c.height = height;
  c.round = 0;
  c.block_hash = block_hash;
  const bool whole_set = stats_.sync_answers_forged % 2 == 1;
  for (const ValidatorEntry& e : set.entries()) {
    if (whole_set || e.address == self_) c.sigs.push_back(CommitSig{e.address, v.signature});
  }
  std::sort(c.sigs.begin(), c.sigs.end(), [](const CommitSig& a, const CommitSig& b) { return a.validator < b.validator; });
  return c;
}

// True when it answered (the request then never reaches its node, which would tell the truth).
bool ByzantineContext::answer_forged(PeerId from, const WirePtr& request) {
  auto decoded = decode_message(*request);
  if (!decoded.ok()) return false;
  const auto* req = std::get_if<BlockRequestMsg>(&decoded.value());
  if (req == nullptr || req->from_height < 2) return false;
  auto it = history_.find(req->from_height - 1);
  if (it == history_.end()) return false;
  const state::StatePtr& parent = it->second.first;
  if (parent->validator_set().find(self_) == nullptr) return false;
  BlockHeader header;
  header.chain_id = chain_id_;
  header.height = req->from_height;
  header.parent_hash = parent->last_block_hash();
  header.timestamp_ms = parent->last_block_time_ms() + 1;
  header.proposer = parent->validator_set().proposer_for_round(0);
  auto built = state::build_block(parent, std::move(header), {}, {}, it->second.second, verifier_);
  if (!built.ok()) return false;
  BlockResponseMsg resp;
  const BlockPtr& block = built.value().block;
  resp.blocks.push_back(SyncedBlock{block, forged_commit(parent->validator_set(), block->header.height, block->hash())});
  ++stats_.sync_answers_forged;
  raw_send(from, encode_message(Message(std::move(resp))));
  return true;
}

}  // namespace mt::sim
