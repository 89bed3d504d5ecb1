// Node: construction, inputs, gossip and dedup. Consensus host and commit: node_host.cpp;
// block sync: node_sync.cpp; restart: node_restore.cpp.
#include "core/node/node.hpp"

#include <algorithm>
#include <utility>

#include "core/node/cpu_costs.hpp"
#include "core/state/transition.hpp"
#include "core/storage/store.hpp"

namespace mt {

namespace {
state::StatePtr resolve_genesis(const NodeConfig& config) {
  if (config.genesis_state != nullptr) return config.genesis_state;
  auto g = state::make_genesis(config.genesis);
  // The world validates a scenario's genesis before it builds nodes: a bad one here is a bug.
  MT_ASSERT(g.ok(), "Node: invalid genesis: " + (g.ok() ? std::string() : g.error().message));
  return std::move(g).value();
}
constexpr std::uint32_t kTagKindShift = 56;
}  // namespace

Node::Node(NodeConfig config, Context& ctx)
    : config_(std::move(config)),
      ctx_(ctx),
      genesis_(resolve_genesis(config_)),
      state_(genesis_),
      seen_(config_.seen_capacity),
      evidence_(config_.max_pending_evidence) {
  if (config_.gossip.mode == GossipMode::gossipsub) router_ = std::make_unique<GossipRouter>(config_.gossip);
  MT_ASSERT(genesis_->height() == 0, "genesis state must be at height 0");
  MT_ASSERT(config_.sync_batch_blocks >= 1 && config_.sync_batch_blocks <= kMaxSyncBlocks, "sync batch out of range");
  MT_ASSERT(config_.snapshot_interval_heights >= 1, "snapshot interval must be positive");
  // Decoded txs are shared among nodes exactly when decoding is memoised.
  mempool_ = std::make_unique<Mempool>(genesis_->params(), config_.mempool, ctx_.verifier(), config_.memoise_decode);
  if (config_.emit_tx_events) {
    mempool_->set_drop_observer([this](const SignedTx& tx, DropReason r) { ctx_.emit(TxDropped{tx.hash(), r}); });
  }
}

Node::~Node() = default;

std::optional<Address> Node::address() const {
  if (!config_.key.has_value()) return std::nullopt;
  return config_.key->public_key();
}

std::uint64_t Node::make_tag(TimerKind kind, std::uint64_t seq) {
  MT_ASSERT(seq < (std::uint64_t{1} << kTagKindShift), "timer sequence overflow");
  return (std::uint64_t{static_cast<std::uint8_t>(kind)} << kTagKindShift) | seq;
}

void Node::on_start() {
  MT_ASSERT(!started_, "on_start twice");
  started_ = true;
  restore_from_storage();
  ConsensusConfig cc{state_->params(), config_.key, config_.backend, config_.emit_events};
  std::optional<ConsensusRecord> restored = read_consensus_record();
  if (!restored.has_value()) {
    // A record we cannot read (a checksum that fails, bytes that do not decode): whatever we
    // signed or locked is unknown, so signing again could equivocate. Follow without a key.
    signing_disabled_ = config_.key.has_value();
    cc.key.reset();
  }
  ConsensusHost& host = *this;  // private base: converted here, where it is accessible
  if (config_.emit_events || config_.emit_tx_events) {
    const ConsensusRecord& r = restored.has_value() ? *restored : ConsensusRecord{};
    ctx_.emit(NodeStarted{state_->height(), stats_.blocks_replayed, r.height(), r.signing.round, r.locked_round,
                          r.valid_round, signing_disabled_});
  }
  consensus_ = std::make_unique<Consensus>(std::move(cc), host, ctx_.verifier(),
                                           restored.has_value() ? std::move(*restored) : ConsensusRecord{});
  rejoin_consensus();
  // The first heartbeat builds the meshes that what follows is published to.
  if (router_ != nullptr) on_heartbeat();
  // A restarted validator owes the others what it signed before the crash: send it again now.
  resend_consensus_messages();
  broadcast_status();
  arm_status_timer();
}

void Node::on_timer(TimerId /*id*/, std::uint64_t tag) {
  if (!started_) return;
  const auto kind = static_cast<TimerKind>(tag >> kTagKindShift);
  const std::uint64_t seq = tag & ((std::uint64_t{1} << kTagKindShift) - 1);
  switch (kind) {
    case TimerKind::consensus: {
      auto it = timeouts_.find(seq);
      if (it == timeouts_.end()) return;
      const PendingTimeout t = it->second;
      timeouts_.erase(it);
      consensus_->on_timeout(t.height, t.round, t.step);
      return;
    }
    case TimerKind::status:
      broadcast_status();
      arm_status_timer();
      retransmit_if_stalled();
      sync_.on_height(height(), ctx_.now());
      maybe_request_blocks();
      return;
    case TimerKind::sync: on_sync_timeout(seq); return;
    case TimerKind::gossip:
      flush_timer_.reset();  // it fired: nothing to cancel
      flush_outbox();
      return;
    case TimerKind::heartbeat: on_heartbeat(); return;
  }
}

Admission Node::on_transaction(const TxPtr& tx) {
  MT_ASSERT(tx != nullptr, "null transaction");
  ctx_.charge_cpu(config_.costs.verify_us);
  const Admission a = mempool_->add(tx, account_lookup());
  if (!admitted(a)) {
    ++stats_.txs_dropped;
    return a;
  }
  ++stats_.txs_admitted;
  if (config_.emit_tx_events) ctx_.emit(TxAdmitted{tx});
  if (started_) send_own(Message(tx));
  return a;
}

void Node::on_message(PeerId from, const WirePtr& message) {
  MT_ASSERT(message != nullptr, "null message");
  if (!started_) return;
  ++stats_.messages_received;
  ctx_.charge_cpu(config_.costs.receive_message_us + config_.costs.hash_cost(message->size_bytes()));
  if (message->kind == MsgKind::gossip_batch) {
    handle_batch(from, message);
  } else {
    handle_input(from, message);
  }
}

void Node::handle_batch(PeerId from, const WirePtr& message) {
  std::shared_ptr<const DecodeMemo> keep;
  const DecodeMemo& memo = decode_message_ref(*message, config_.memoise_decode, keep);
  if (!memo.result.ok()) {
    reject(from, message->kind);
    return;
  }
  // Each item is handled as if it had arrived alone (its bytes were hashed with the batch's).
  const std::vector<WirePtr>& items = std::get<GossipBatch>(memo.result.value()).items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    prefetch_batch_items(items, i);
    handle_input(from, items[i]);
  }
}

void Node::prefetch_batch_items(std::span<const WirePtr> items, std::size_t i) const {
  // Most items are duplicates whose cost is three dependent loads (message, its memo, this node's
  // mark there): start each a few items ahead, one hop per item. Votes under gossipsub carry no
  // marks: for them the seen-set slot a new vote is inserted into is loaded every time.
  if (!config_.memoise_decode) return;
  const std::size_t n = items.size();
  const std::size_t slot = config_.memo_slot;
  if (i + 4 < n) __builtin_prefetch(items[i + 4].get());
  if (i + 3 < n) __builtin_prefetch(items[i + 3]->memo().decoded());
  if (i + 2 < n) {
    const DecodeMemo* later = items[i + 2]->memo().decoded();
    if (later != nullptr && slot < later->seen_marks.size()) __builtin_prefetch(&later->seen_marks[slot]);
  }
  if (i + 1 < n) {
    // The next item, if new here, is inserted into the seen set: start loading its slot.
    const DecodeMemo* next = items[i + 1]->memo().decoded();
    if (next != nullptr && !(slot < next->seen_marks.size() && seen_.holds(next->seen_marks[slot]))) {
      seen_.prefetch(next->id);
    }
  }
}

void Node::handle_input(PeerId from, const WirePtr& message) {
  if (message->kind == MsgKind::vote && votes_by_vote_set()) {
    take_vote(from, message);  // node_votes.cpp
  } else if (is_gossiped(message->kind)) {
    take_gossiped(from, message);
  } else {
    take_direct(from, message);
  }
}

void Node::take_gossiped(PeerId from, const WirePtr& message) {
  // Without the memo, skip decoding duplicates (the common case under gossip); with it, the
  // decode is shared anyway. The outcome is the same.
  if (!config_.memoise_decode) {
    if (const auto seen = seen_.serial_of(message_id(*message))) {
      ++stats_.messages_duplicate;
      note_duplicate(*seen, from);
      return;
    }
  }
  std::shared_ptr<const DecodeMemo> keep;
  const DecodeMemo& memo = decode_message_ref(*message, config_.memoise_decode, keep);
  const SeenSet::Insert taken = take_in(memo);
  ++stats_.gossip_received[static_cast<std::size_t>(message->kind)];
  if (!taken.inserted) {
    ++stats_.messages_duplicate;
    note_duplicate(taken.serial, from);
    return;
  }
  ++stats_.gossip_unique[static_cast<std::size_t>(message->kind)];
  const Message* decoded = decoded_or_reject(from, *message, memo);
  if (decoded == nullptr) return;
  const Message& m = *decoded;
  switch (message->kind) {
    case MsgKind::tx: handle_tx(from, std::get<TxPtr>(m), message, taken.serial); return;
    case MsgKind::proposal: handle_proposal(from, std::get<Proposal>(m), message, taken.serial); return;
    case MsgKind::vote: {
      // The vote set keeps the decoded vote itself, with the memo that holds it.
      const std::shared_ptr<const DecodeMemo>& holder = keep != nullptr ? keep : message->memo().decoded_shared();
      handle_vote(from, std::shared_ptr<const Vote>(holder, &std::get<Vote>(m)), message, taken.serial);
      return;
    }
    case MsgKind::evidence: handle_evidence(from, std::get<Evidence>(m), message, taken.serial); return;
    default: break;
  }
  MT_ASSERT(false, "a gossiped kind without a handler");
}

const Message* Node::decoded_or_reject(PeerId from, const WireMessage& message, const DecodeMemo& memo) {
  if (!memo.result.ok()) {
    reject(from, message.kind);
    return nullptr;
  }
  const Message& m = memo.result.value();
  MT_ASSERT(kind_of(m) == message.kind, "decoded message of another kind");
  return &m;
}

void Node::take_direct(PeerId from, const WirePtr& message) {
  std::shared_ptr<const DecodeMemo> keep;
  const Message* decoded = decoded_or_reject(from, *message, decode_message_ref(*message, config_.memoise_decode, keep));
  if (decoded == nullptr) return;
  const Message& m = *decoded;
  switch (message->kind) {
    case MsgKind::status: handle_status(from, std::get<StatusMsg>(m)); return;
    case MsgKind::block_request: handle_block_request(from, std::get<BlockRequestMsg>(m)); return;
    case MsgKind::block_response: handle_block_response(from, std::get<BlockResponseMsg>(m)); return;
    case MsgKind::gossip_control: handle_control(from, std::get<GossipControl>(m)); return;
    default: break;  // gossiped kinds go to take_gossiped; batches are unpacked by on_message and never nest
  }
  MT_ASSERT(false, "unhandled message kind");
}

SeenSet::Insert Node::take_in(const DecodeMemo& memo) {
  if (!config_.memoise_decode) return seen_.insert_or_find(memo.id);
  auto& marks = memo.seen_marks;
  const std::size_t slot = config_.memo_slot;
  // Our mark: a duplicate.
  if (slot < marks.size() && seen_.holds(marks[slot])) return {false, marks[slot].serial};
  if (slot >= marks.size()) marks.resize(std::max<std::size_t>(slot + 1, config_.memo_slots));
  return seen_.insert(memo.id, marks[slot]);
}

void Node::unsee(const WirePtr& wire, std::uint64_t seen) {
  seen_.undo_last_insert(message_id(*wire), seen);
  if (!config_.memoise_decode || wire->memo().decoded() == nullptr) return;
  auto& marks = wire->memo().decoded()->seen_marks;
  if (config_.memo_slot < marks.size()) marks[config_.memo_slot] = SeenMark{};
}

void Node::reject(PeerId from, MsgKind kind) {
  ++stats_.messages_rejected;
  ctx_.emit(MessageRejected{static_cast<std::uint8_t>(kind), from});
}

void Node::relay(const WirePtr& wire, std::uint64_t seen, PeerId from) {
  ++stats_.messages_relayed;
  if (router_ != nullptr) router_remember(wire);
  if (config_.gossip_batch_interval <= 0 || !is_batchable(wire->kind)) {
    if (router_ != nullptr) {
      router_->mesh_targets(*GossipRouter::topic_of(wire->kind), from, targets_);
      ctx_.gossip_to(wire, targets_);
    } else {
      ctx_.gossip(wire, from);
    }
    return;
  }
  MT_ASSERT(outbox_.empty() || outbox_.back().seen < seen, "outbox relays out of seen order");
  outbox_.push_back(OutboxItem{wire, seen, {}});
  outbox_.back().has.add(from);
  outbox_bytes_ += wire->size_bytes();
  if (outbox_.size() >= kMaxBatchItems || outbox_bytes_ >= kMaxBatchBytes / 2) {
    flush_outbox();
  } else if (!flush_timer_.has_value()) {
    flush_timer_ = ctx_.set_timer(config_.gossip_batch_interval, make_tag(TimerKind::gossip, 0));
  }
}

void Node::note_duplicate(std::uint64_t seen, PeerId from) {
  if (outbox_.empty() || seen < outbox_.front().seen) return;
  const auto it = std::lower_bound(outbox_.begin(), outbox_.end(), seen,
                                   [](const OutboxItem& item, std::uint64_t s) { return item.seen < s; });
  if (it != outbox_.end() && it->seen == seen) it->has.add(from);
}

void Node::flush_outbox() {
  if (flush_timer_.has_value()) {
    ctx_.cancel_timer(*flush_timer_);
    flush_timer_.reset();
  }
  if (outbox_.empty()) return;
  WirePtr everything;  // the batch for peers that sent us none of the items, built once
  std::vector<WirePtr> items;
  std::span<const PeerId> peers = ctx_.peers();
  if (router_ != nullptr) {  // only mesh peers get relays: walk the union of the items' meshes
    targets_.clear();
    for (std::uint8_t t = 0; t < kGossipTopics; ++t) {
      const auto m = router_->mesh(t);
      targets_.insert(targets_.end(), m.begin(), m.end());
    }
    std::sort(targets_.begin(), targets_.end());
    targets_.erase(std::unique(targets_.begin(), targets_.end()), targets_.end());
    peers = targets_;
  }
  for (const PeerId peer : peers) {
    items.clear();
    for (const auto& item : outbox_) {
      if (router_ != nullptr && !router_->in_mesh(*GossipRouter::topic_of(item.wire->kind), peer)) continue;
      if (!item.has.contains(peer)) {
        items.push_back(item.wire);
      } else {
        ++stats_.batch_items_skipped;
      }
    }
    if (items.empty()) continue;
    ++stats_.batches_sent;
    if (items.size() == 1) {
      ctx_.send(peer, items.front());  // one message travels as itself
    } else if (items.size() == outbox_.size()) {
      if (everything == nullptr) everything = make_gossip_batch(items, config_.memoise_decode);
      ctx_.send(peer, everything);
    } else {
      ctx_.send(peer, make_gossip_batch(items, config_.memoise_decode));
    }
  }
  outbox_.clear();
  outbox_bytes_ = 0;
}

void Node::send_own(const Message& message) {
  WirePtr wire = encode_message(message);
  (void)seen_.insert(message_id(*wire));
  if (router_ == nullptr) {
    ctx_.gossip(std::move(wire));
    return;
  }
  router_remember(wire);
  // Published as gossipsub publishes: at once (not at the next heartbeat or batch flush), to the
  // topic's mesh. Sending our own votes to every peer instead made a full mesh O(N^2) (issue #20).
  router_->mesh_targets(*GossipRouter::topic_of(wire->kind), std::nullopt, targets_);
  ctx_.gossip_to(std::move(wire), targets_);
}

AccountLookup Node::account_lookup() const {
  // Captures the state pointer by value: the lookup stays valid while the mempool uses it.
  return [s = state_](const Address& a) {
    const state::Account acc = s->account(a);
    return AccountView{acc.balance, acc.nonce};
  };
}

void Node::handle_tx(PeerId from, const TxPtr& tx, const WirePtr& wire, std::uint64_t seen) {
  ctx_.charge_cpu(config_.costs.verify_us);
  const Admission a = mempool_->add(tx, account_lookup());
  if (admitted(a)) {
    ++stats_.txs_admitted;
    relay(wire, seen, from);
    return;
  }
  // Garbage a correct peer would never relay; the rest (a nonce race, a full pool) is normal.
  if (a == Admission::bad_signature || a == Admission::wrong_chain || a == Admission::oversize ||
      a == Admission::fee_too_low) {
    reject(from, MsgKind::tx);
    return;
  }
  ++stats_.txs_dropped;
}

void Node::handle_proposal(PeerId from, const Proposal& proposal, const WirePtr& wire, std::uint64_t seen) {
  ctx_.charge_cpu(config_.costs.verify_us);
  // A fresh block must name its signer as the header's proposer: the header decides who is paid the
  // block reward. A re-proposed block (pol_round >= 0) keeps the header of the round that built it.
  if (proposal.pol_round == -1 && proposal.block != nullptr && proposal.block->header.proposer != proposal.proposer) {
    reject(from, MsgKind::proposal);
    return;
  }
  const InputResult r = consensus_->on_proposal(proposal);
  if (r == InputResult::rejected) {
    reject(from, MsgKind::proposal);
    return;
  }
  if (r == InputResult::overflow || r == InputResult::ahead) {
    unsee(wire, seen);
    return;
  }
  // Buffered ones too were checked (signature, member) before consensus kept them.
  if (r == InputResult::accepted || r == InputResult::buffered) relay(wire, seen, from);
}

void Node::handle_vote(PeerId from, std::shared_ptr<const Vote> shared, const WirePtr& wire, std::uint64_t seen) {
  ctx_.charge_cpu(config_.costs.verify_us);
  const InputResult r =
      consensus_->on_vote(std::move(shared), config_.memoise_decode ? &wire->memo().verify_memo() : nullptr);
  if (r == InputResult::rejected) {
    reject(from, MsgKind::vote);
    return;
  }
  if (r == InputResult::overflow || r == InputResult::ahead) {
    unsee(wire, seen);
    return;
  }
  if (r == InputResult::accepted || r == InputResult::buffered) relay(wire, seen, from);
}

Status Node::check_evidence(const Evidence& evidence) {
  const Params& p = state_->params();
  if (auto st = evidence.validate(p.chain_id, ctx_.verifier()); !st.ok()) return st;
  const std::uint64_t next = height() + 1;
  if (evidence.height() > next) return make_error("evidence from the future");
  if (next - evidence.height() > p.evidence_max_age_blocks) return make_error("evidence too old");
  auto v = state_->validator(evidence.validator());
  if (!v.has_value()) return make_error("evidence against a non-validator");
  if (v->tombstoned) return make_error("validator already tombstoned");
  return {};
}

void Node::handle_evidence(PeerId from, const Evidence& evidence, const WirePtr& wire, std::uint64_t seen) {
  ctx_.charge_cpu(2 * config_.costs.verify_us);
  if (!check_evidence(evidence).ok()) {
    reject(from, MsgKind::evidence);
    return;
  }
  if (evidence_.add(evidence)) relay(wire, seen, from);
}

}  // namespace mt
