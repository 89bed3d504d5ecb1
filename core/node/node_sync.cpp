// Node: block sync. Peers announce their height (Status); a node behind asks one peer at a time
// for a bounded batch of blocks, verifies each commit against the validator set its own state
// gives for that height, applies the block and stores it, then rejoins consensus.
#include <algorithm>
#include <utility>

#include "core/node/cpu_costs.hpp"
#include "core/node/node.hpp"
#include "core/storage/store.hpp"

namespace mt {

void Node::broadcast_status() {
  WirePtr wire = encode_message(Message(StatusMsg{state_->height(), state_->last_block_hash()}));
  if (router_ == nullptr) {
    ctx_.gossip(std::move(wire));
    return;
  }
  // Under gossipsub, to the vote topic's mesh (D peers, each with a symmetric mesh): enough for
  // block sync to find a peer ahead, without the O(N^2) of telling every peer on a full mesh.
  router_->mesh_targets(*GossipRouter::topic_of(MsgKind::vote), std::nullopt, targets_);
  ctx_.gossip_to(std::move(wire), targets_);
}

void Node::arm_status_timer() {
  (void)ctx_.set_timer(config_.status_interval, make_tag(TimerKind::status, 0));
}

void Node::retransmit_if_stalled() {
  const Progress now{consensus_->height(), consensus_->round(), consensus_->step()};
  const bool stalled = now == last_tick_progress_;
  last_tick_progress_ = now;
  if (!stalled || sync_.active()) return;
  resend_consensus_messages();
}

void Node::resend_consensus_messages() {
  if (consensus_ == nullptr) return;
  const Consensus::Retransmit again = consensus_->retransmit_messages();
  for (const Proposal& p : again.proposals) send_own(Message(p));
  for (const Vote& v : again.votes) send_own(Message(v));
  stats_.retransmitted += again.proposals.size() + again.votes.size();
}

void Node::handle_status(PeerId from, const StatusMsg& status) {
  sync_.note_status(from, status.height);
  sync_.on_height(height(), ctx_.now());
  maybe_request_blocks();
}

void Node::maybe_request_blocks() {
  if (!sync_.should_fetch(height(), ctx_.now(), config_.sync_lag_grace)) {
    if (sync_.active() && !sync_.outstanding().has_value()) {
      auto best = sync_.best_peer();
      if (!best.has_value() || best->second <= height() + 1) {
        sync_.set_active(false);
        ctx_.emit(SyncFinished{height()});
        rejoin_consensus();
      }
    }
    return;
  }
  const auto best = sync_.best_peer();
  MT_ASSERT(best.has_value(), "should_fetch without a peer");
  const std::uint64_t from = height() + 1;
  const auto count = static_cast<std::uint32_t>(
      std::min<std::uint64_t>(config_.sync_batch_blocks, best->second - height()));
  BlockSync::Request req;
  req.peer = best->first;
  req.seq = sync_.next_seq();
  req.from_height = from;
  req.count = count;
  req.timer = ctx_.set_timer(config_.sync_request_timeout, make_tag(TimerKind::sync, req.seq));
  sync_.set_outstanding(req);
  ++stats_.sync_requests;
  if (!sync_.active()) {
    sync_.set_active(true);
    ctx_.emit(SyncStarted{from, best->second});
  }
  ctx_.send(req.peer, encode_message(Message(BlockRequestMsg{from, count})));
}

void Node::on_sync_timeout(std::uint64_t request_seq) {
  const auto& out = sync_.outstanding();
  if (!out.has_value() || out->seq != request_seq) return;  // answered already
  ++stats_.sync_timeouts;
  sync_.forget_peer(out->peer);  // retry elsewhere; it comes back with its next status
  sync_.clear_outstanding();
  maybe_request_blocks();
}

void Node::handle_block_request(PeerId from, const BlockRequestMsg& request) {
  BlockResponseMsg resp;
  std::size_t bytes = 0;
  // The peer picks from_height (>= 1) and max_count (1..kMaxSyncBlocks): no wrap near 2^64.
  const std::uint64_t last = request.from_height > height()
                                 ? 0
                                 : request.from_height + std::min<std::uint64_t>(request.max_count - 1, height() - request.from_height);
  // Block h's commit is the last commit of block h+1; only the newest height has its own row.
  auto read_block = [this](std::uint64_t h) -> std::optional<std::pair<Block, std::size_t>> {
    auto stored = store().block_at(h);
    if (!stored.ok() || !stored.value().has_value()) return std::nullopt;
    auto block = Block::decode(stored.value()->bytes);
    if (!block.ok()) return std::nullopt;
    return std::make_pair(std::move(block).value(), stored.value()->bytes.size());
  };
  std::optional<std::pair<Block, std::size_t>> successor;  // block h+1, read for commit h
  for (std::uint64_t h = request.from_height; h <= last; ++h) {
    // Pruned or unreadable rows end the answer; the asker tries another peer for the rest.
    auto current = successor.has_value() ? std::move(successor) : read_block(h);
    successor.reset();
    if (!current.has_value()) break;
    Commit commit;
    std::size_t commit_size = 0;
    if (h < height()) {
      successor = read_block(h + 1);
      if (!successor.has_value()) break;
      commit = successor->first.last_commit;
      commit_size = commit.sigs.size() * 96;  // its share of the answer's bytes
    } else {
      auto commit_bytes = store().commit_at(h);
      if (!commit_bytes.ok() || !commit_bytes.value().has_value()) break;
      auto decoded = codec::decode_all<Commit>(*commit_bytes.value(), [](codec::Reader& r) { return Commit::decode(r); },
                                               "commit");
      if (!decoded.ok()) break;
      commit = std::move(decoded).value();
      commit_size = commit_bytes.value()->size();
    }
    bytes += current->second + commit_size;
    if (!resp.blocks.empty() && bytes > kMaxSyncResponseBytes) break;
    resp.blocks.push_back(SyncedBlock{std::make_shared<const Block>(std::move(current->first)), std::move(commit)});
  }
  ctx_.charge_cpu(config_.costs.hash_cost(bytes));
  ctx_.send(from, encode_message(Message(std::move(resp))));
}

void Node::handle_block_response(PeerId from, const BlockResponseMsg& response) {
  const auto& out = sync_.outstanding();
  if (!out.has_value() || out->peer != from) return;  // unsolicited: ignored (not an error)
  ctx_.cancel_timer(out->timer);
  sync_.clear_outstanding();
  bool bad = false;
  std::size_t applied = 0;
  for (const auto& sb : response.blocks) {
    const Block& block = *sb.block;
    if (block.header.height <= height()) continue;
    if (block.header.height != height() + 1) {
      bad = true;
      break;
    }
    // state_->validator_set() is who votes at height() + 1: the set this commit must satisfy.
    ctx_.charge_cpu(config_.costs.verify_us * static_cast<TimeUs>(sb.commit.sigs.size()));
    const Status cst = verify_commit(sb.commit, block.header.height, block.hash(), state_->validator_set(),
                                     state_->params(), ctx_.verifier());
    if (!cst.ok()) {
      bad = true;
      break;
    }
    auto next = execute(block, /*commit_sigs_known=*/false);
    if (!next.ok()) {
      bad = true;
      break;
    }
    ++stats_.blocks_synced;
    ++applied;
    commit_block(sb.block, sb.commit, std::move(next).value(), sb.commit.round, /*via_sync=*/true);
  }
  if (bad) reject(from, MsgKind::block_response);
  if (bad || applied == 0) sync_.forget_peer(from);
  if (applied > 0) broadcast_status();
  sync_.on_height(height(), ctx_.now());
  maybe_request_blocks();
}

}  // namespace mt
