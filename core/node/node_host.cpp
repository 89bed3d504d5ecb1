// Node as the ConsensusHost: building and judging blocks, the durable consensus record, outgoing
// consensus messages and timers, and committing decided (or synced) blocks.
#include <algorithm>
#include <limits>
#include <set>
#include <utility>

#include "core/node/cpu_costs.hpp"
#include "core/node/node.hpp"
#include "core/state/transition.hpp"
#include "core/storage/store.hpp"

namespace mt {

namespace {
// Storage failures leave a node unable to keep its promises (durable blocks, no double
// signing): it stops, as a real node would on a failed disk.
void require_stored(const Status& st, std::string_view what) {
  MT_ASSERT(st.ok(), std::string("Node: storage failure (") + std::string(what) + "): " +
                         (st.ok() ? std::string() : st.error().message));
}
}  // namespace

BlockPtr Node::propose_block(std::uint64_t height, std::uint32_t /*round*/) {
  if (height != state_->height() + 1 || !config_.key.has_value()) return nullptr;
  const Params& p = state_->params();
  BlockHeader tmpl;
  tmpl.chain_id = p.chain_id;
  tmpl.height = height;
  tmpl.parent_hash = state_->last_block_hash();
  // max(now, parent + 1), with no wrap: a parent stamped at the top of the range (only a
  // byzantine quorum can commit one) leaves nothing to propose.
  const std::uint64_t parent_ms = state_->last_block_time_ms();
  if (parent_ms == std::numeric_limits<std::uint64_t>::max()) return nullptr;
  const auto now_ms = static_cast<std::uint64_t>(std::max<TimeUs>(ctx_.now(), 0) / kUsPerMs);
  tmpl.timestamp_ms = std::max(parent_ms + 1, now_ms);
  tmpl.proposer = config_.key->public_key();
  auto candidates = mempool_->select(p.max_block_txs, p.max_block_bytes, account_lookup());
  // The precommits for the parent consensus collected until now (a superset of the decision's).
  std::optional<Commit> late = consensus_->last_commit();
  Commit last = late.has_value() && late->height == state_->height() && late->block_hash == last_commit_.block_hash
                    ? std::move(*late)
                    : last_commit_;
  auto built = state::build_block(state_, std::move(tmpl), candidates, evidence_.pending(), std::move(last),
                                  ctx_.verifier());
  // Our txs were verified at admission; executing each still costs.
  ctx_.charge_cpu(config_.costs.block_overhead_us +
                  config_.costs.execute_tx_us * static_cast<TimeUs>(candidates.size()) +
                  config_.costs.verify_known_us * static_cast<TimeUs>(candidates.size()));
  if (!built.ok()) return nullptr;
  executed_[built.value().block->hash()] = built.value().state;
  return built.value().block;
}

Result<state::StatePtr> Node::execute(const Block& block, bool commit_sigs_known) {
  // Per tx: execution, plus a verification unless this node already verified it at admission.
  const CpuCosts& c = config_.costs;
  TimeUs cost = c.block_overhead_us;
  for (const auto& tx : block.txs) cost += c.execute_tx_us + (mempool_->contains(*tx) ? c.verify_known_us : c.verify_us);
  const TimeUs per_sig = commit_sigs_known ? c.verify_known_us : c.verify_us;
  cost += per_sig * static_cast<TimeUs>(block.last_commit.sigs.size());
  cost += 2 * c.verify_us * static_cast<TimeUs>(block.evidence.size());
  ctx_.charge_cpu(cost);
  if (config_.transitions != nullptr) return config_.transitions->apply(state_, block, ctx_.verifier());
  return state::apply_block(state_, block, ctx_.verifier());
}

bool Node::validate_block(const Block& block) {
  if (block.header.height != state_->height() + 1) return false;
  const Hash32 h = block.hash();
  if (executed_.contains(h)) return true;
  // Live consensus: we saw the last height's precommits as votes.
  auto r = execute(block, /*commit_sigs_known=*/true);
  if (!r.ok()) return false;
  executed_[h] = std::move(r).value();
  return true;
}

void Node::persist_consensus_record(const ConsensusRecord& record) {
  const ConsensusRecord::Split split = record.encode_split();
  std::vector<Hash32> hashes;
  for (const BlockPtr& b : split.blocks) hashes.push_back(b->hash());
  auto bytes = [&split](std::size_t i) { return split.blocks[i]->encode(); };
  require_stored(store().write_consensus_record(split.head, hashes, bytes), "consensus record");
}

void Node::broadcast_proposal(const Proposal& proposal) {
  ctx_.charge_cpu(config_.costs.sign_us);
  send_own(Message(proposal));
  ctx_.emit(ProposalMade{proposal.height, proposal.round, proposal.block_hash(), proposal.block->txs.size()});
}

void Node::broadcast_vote(const Vote& vote) {
  ctx_.charge_cpu(config_.costs.sign_us);
  send_own(Message(vote));
  ctx_.emit(VoteCast{vote.type, vote.height, vote.round, vote.block_hash, consensus_->locked_round()});
}

void Node::schedule_timeout(std::uint64_t height, std::uint32_t round, ConsensusStep step, TimeUs delay) {
  const std::uint64_t seq = next_timer_seq_++;
  timeouts_.emplace(seq, PendingTimeout{height, round, step});
  (void)ctx_.set_timer(std::max<TimeUs>(delay, 0), make_tag(TimerKind::consensus, seq));
}

void Node::evidence_found(const DuplicateVoteEvidence& evidence) {
  const Vote& v = evidence.a;
  ctx_.emit(EvidenceFound{v.validator, v.height, v.round, v.type});
  evidence_from_input_ = true;
  if (evidence_.add(evidence)) send_own(Message(evidence));
}

void Node::decide(std::uint64_t height, std::uint32_t round, BlockPtr block, const Commit& commit) {
  MT_ASSERT(block != nullptr, "decide without a block");
  if (height == state_->height() + 1) {
    state::StatePtr next;
    if (auto it = executed_.find(block->hash()); it != executed_.end()) {
      next = it->second;
    } else {
      auto r = execute(*block, true);
      // Consensus decides only blocks validate_block accepted, and execution is pure.
      MT_ASSERT(r.ok(), "decided block does not apply: " + (r.ok() ? std::string() : r.error().message));
      next = std::move(r).value();
    }
    ++stats_.blocks_committed;
    commit_block(block, commit, std::move(next), round, /*via_sync=*/false);
  }
  // Also when block sync got there first: consensus must move to the height after our state.
  rejoin_consensus();
}

void Node::commit_block(const BlockPtr& block, const Commit& commit, state::StatePtr next, std::uint32_t round,
                        bool via_sync) {
  const std::uint64_t h = block->header.height;
  MT_ASSERT(h == state_->height() + 1 && next->height() == h, "commit_block out of order");
  MT_ASSERT(next->root() == block->header.state_root, "committed state root differs from the header's");
  const Bytes block_bytes = block->encode();
  codec::Writer cw;
  commit.encode(cw);
  std::optional<Bytes> snapshot;
  if (h % config_.snapshot_interval_heights == 0) snapshot = next->encode_snapshot();
  ctx_.charge_cpu(config_.costs.store_block_us + config_.costs.hash_cost(block_bytes.size()));
  std::optional<ByteView> snap_view;
  if (snapshot.has_value()) snap_view = ByteView(*snapshot);
  // Our own row for commit h-1 goes: this block carries a commit for h-1 (checked by every node
  // that applied it), which is what we serve from now on. Only the newest commit has a row.
  const std::optional<std::uint64_t> superseded = h > 1 ? std::optional<std::uint64_t>(h - 1) : std::nullopt;
  require_stored(store().write_block(h, block->hash(), block_bytes, cw.data(), snap_view, superseded), "block");
  if (snapshot.has_value() && config_.keep_heights > 0 && h > config_.keep_heights) {
    require_stored(store().prune_below(h - config_.keep_heights), "prune");
  }

  const state::StatePtr before = state_;
  state_ = std::move(next);
  last_commit_ = commit;
  executed_.clear();
  mempool_->remove_committed(block->txs);
  mempool_->update(account_lookup());
  const std::uint64_t max_age = state_->params().evidence_max_age_blocks;
  evidence_.on_block(block->evidence, h > max_age ? h - max_age : 0);
  evidence_.drop_if([&](const Evidence& e) {
    auto v = state_->validator(e.validator());
    return !v.has_value() || v->tombstoned;
  });
  emit_slashes(*before, *state_, *block);

  BlockCommitted ev;
  ev.height = h;
  ev.round = round;
  ev.block_hash = block->hash();
  ev.state_root = state_->root();
  ev.proposer = block->header.proposer;
  ev.timestamp_ms = block->header.timestamp_ms;
  ev.tx_hashes.reserve(block->txs.size());
  for (const auto& tx : block->txs) ev.tx_hashes.push_back(tx->hash());
  ev.evidence_count = block->evidence.size();
  ev.via_sync = via_sync;
  ev.block = block;
  ctx_.emit(ev);
  sync_.on_height(h, ctx_.now());
  if (!via_sync) broadcast_status();
}

void Node::emit_slashes(const state::State& before, const state::State& after, const Block& block) {
  auto bonded_drop = [&](const Address& a) -> Amount {
    auto b = before.validator(a);
    auto c = after.validator(a);
    if (!b.has_value() || !c.has_value() || c->bonded() >= b->bonded()) return 0;
    return b->bonded() - c->bonded();
  };
  std::set<Address> double_signers;
  for (const auto& e : block.evidence) {
    if (!double_signers.insert(e.validator()).second) continue;
    ctx_.emit(SlashApplied{e.validator(), block.header.height, true, bonded_drop(e.validator())});
  }
  // Downtime is evaluated only at window boundaries (transition.hpp rule 2).
  const std::uint64_t window = before.params().downtime_window_blocks;
  const std::uint64_t h = block.header.height;
  if (h < 2 || window == 0 || (h - 1) % window != 0) return;
  for (const auto& a : before.validator_addresses()) {
    if (double_signers.contains(a)) continue;
    auto b = before.validator(a);
    auto c = after.validator(a);
    if (b.has_value() && c.has_value() && !b->jailed && c->jailed) {
      ctx_.emit(SlashApplied{a, h, false, bonded_drop(a)});
    }
  }
}

void Node::rejoin_consensus() {
  if (consensus_ == nullptr || sync_.active()) return;
  const std::uint64_t next = state_->height() + 1;
  if (consensus_->height() >= next) return;
  consensus_->set_params(state_->params());
  consensus_->start_height(next, state_->validator_set_ptr());
}

}  // namespace mt
