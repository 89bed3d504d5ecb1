#include "sim/world/world.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "sim/world/byzantine_context.hpp"
#include "sim/world/sim_context.hpp"

namespace mt::sim {

namespace {
// One verification cache entry per signature seen in a run is plenty; bounded so a long run
// cannot grow it without limit.
constexpr std::size_t kSharedVerifierCapacity = crypto::Verifier::kDefaultCapacity;
constexpr std::size_t kPerNodeVerifierCapacity = 1u << 14;
constexpr std::size_t kTransitionCacheCapacity = 1u << 12;
}  // namespace

World::World(WorldConfig config)
    : config_(std::move(config)), streams_(config_.seed), load_route_rng_(streams_.stream("load-route")) {}

World::~World() {
  // Nodes first (they may reference contexts), then contexts (they cancel timers).
  for (auto& s : slots_) s.node.reset();
  for (auto& s : slots_) s.ctx.reset();
}

Result<std::unique_ptr<World>> World::create(WorldConfig config) {
  std::unique_ptr<World> w(new World(std::move(config)));
  if (auto st = w->init(); !st.ok()) return st.error();
  return w;
}

Status World::init() {
  const std::size_t n = config_.validators.size();
  if (n == 0) return make_error("a world needs at least one validator");
  if (config_.topology.size() != n) return make_error("topology size does not match the validator count");
  auto genesis = state::make_genesis(config_.genesis);
  if (!genesis.ok()) return make_error("genesis: " + genesis.error().message);
  genesis_ = std::move(genesis).value();

  if (config_.share_verification) {
    shared_verifier_ = std::make_unique<crypto::Verifier>(config_.backend, kSharedVerifierCapacity);
  }
  if (config_.share_transitions) {
    transitions_ = std::make_unique<state::TransitionCache>(kTransitionCacheCapacity, true);
  }
  if (config_.share_block_bytes) block_bytes_ = std::make_shared<storage::BlobPool>();
  LinkParams link;
  link.loss = config_.loss;
  link.duplicate = config_.duplicate;
  link.reorder = config_.reorder;
  link.bandwidth_bps = config_.bandwidth_bits_per_s;
  network_ = std::make_unique<Network>(scheduler_, streams_, config_.topology, config_.latency, link);
  network_->set_digest(&digest_);
  network_->on_deliver([this](PeerId from, PeerId to, const WirePtr& m) { deliver(from, to, m); });
  cpu_ = std::make_unique<CpuModel>(scheduler_, n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& v = config_.validators[i];
    if (v.cpu_speed_permille == 0) return make_error("validator " + v.name + ": CPU speed must be positive");
    cpu_->set_speed(static_cast<PeerId>(i), v.cpu_speed_permille);
    network_->set_node_bandwidth(static_cast<PeerId>(i), v.uplink_bps, v.downlink_bps);
  }

  slots_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& v = config_.validators[i];
    view_.nodes.push_back(NodeMeta{v.name, v.group, v.key.public_key(), !v.byzantine.has_value(), v.twinned});
    auto store = storage::Store::open_in_memory(block_bytes_);
    if (!store.ok()) return make_error("storage for " + v.name + ": " + store.error().message);
    slots_[i].store = std::move(store).value();
    if (!config_.share_verification) {
      slots_[i].own_verifier = std::make_unique<crypto::Verifier>(config_.backend, kPerNodeVerifierCapacity);
    }
  }
  view_.mempool_holds = [this](std::size_t i, const SignedTx& tx) -> std::optional<bool> {
    const Node* held_by = i < slots_.size() ? slots_[i].node.get() : nullptr;
    if (held_by == nullptr) return std::nullopt;
    return held_by->mempool().contains(tx);
  };
  if (!config_.load.empty()) {
    std::vector<Address> validators;
    for (const auto& v : config_.validators) validators.push_back(v.key.public_key());
    load_ = std::make_unique<LoadGenerator>(config_.load, config_.genesis.params.chain_id, config_.backend,
                                            config_.load_fee, streams_.seed_of("load"), std::move(validators),
                                            config_.load_keys);
  }
  return {};
}

NodeConfig World::node_config(std::size_t node) {
  NodeConfig c;
  c.genesis_state = genesis_;
  c.genesis = config_.genesis;
  c.key = config_.validators[node].key;
  c.backend = config_.backend;
  c.costs = config_.costs;
  c.transitions = transitions_.get();
  c.memoise_decode = config_.share_decode;
  c.memo_slot = static_cast<std::uint32_t>(node);
  c.memo_slots = static_cast<std::uint32_t>(slots_.size());
  c.emit_events = config_.emit_events;
  c.emit_tx_events = config_.emit_tx_events || config_.emit_events;
  // Byzantine wrappers intercept messages one by one, so their nodes relay one by one.
  c.gossip_batch_interval = config_.validators[node].byzantine ? 0 : config_.gossip_batch_us;
  c.gossip = config_.gossip;
  c.gossip.seed = streams_.seed_of("gossip", node);
  return c;
}

void World::boot(std::size_t node) {
  auto& slot = slots_[node];
  const auto& spec = config_.validators[node];
  if (spec.byzantine) {
    slot.ctx = std::make_unique<ByzantineContext>(*this, node, *spec.byzantine, spec.key);
  } else {
    slot.ctx = std::make_unique<SimContext>(*this, node);
  }
  slot.node = std::make_unique<Node>(node_config(node), *slot.ctx);
  const std::uint64_t incarnation = slot.incarnation;
  cpu_->submit(static_cast<PeerId>(node), [this, node, incarnation] {
    auto& s = slots_[node];
    if (s.incarnation == incarnation && s.node != nullptr) s.node->on_start();
  });
}

void World::start(TimeUs load_until_us) {
  load_until_us_ = load_until_us;
  for (std::size_t i = 0; i < slots_.size(); ++i) boot(i);
  schedule_next_arrival();
}

void World::schedule_next_arrival() {
  if (!load_) return;
  auto next = load_->next_arrival(load_until_us_);
  if (!next) return;
  scheduler_.schedule_at(std::max(*next, scheduler_.now()), [this, intended = *next] {
    TxPtr tx = load_->make_tx();
    if (submit_listener_) submit_listener_(tx->hash(), intended);
    // Clients talk to a random live node (open loop: a dead target is simply skipped over).
    const auto n = slots_.size();
    auto target = static_cast<std::size_t>(load_route_rng_.uniform_u64(n));
    for (std::size_t k = 0; k < n; ++k) {
      if (is_up((target + k) % n)) {
        submit_tx((target + k) % n, tx);
        break;
      }
    }
    schedule_next_arrival();
  });
}

void World::submit_tx(std::size_t node, const TxPtr& tx) {
  auto& slot = slots_.at(node);
  if (slot.node == nullptr) return;
  if (!slot.ctx->accept_tx(tx)) return;
  const std::uint64_t incarnation = slot.incarnation;
  cpu_->submit(static_cast<PeerId>(node), [this, node, incarnation, tx] {
    auto& s = slots_[node];
    if (s.incarnation != incarnation || s.node == nullptr) return;
    s.node->on_transaction(tx);
    sample_mempool(node);
  });
}

void World::sample_mempool(std::size_t node) {
  const Node* n = slots_[node].node.get();
  if (n != nullptr) mempool_peaks_.sample(node, scheduler_.now(), n->mempool().size());
}

void World::deliver(PeerId from, PeerId to, const WirePtr& message) {
  auto& slot = slots_.at(to);
  if (slot.node == nullptr) return;  // a crashed process receives nothing
  // A byzantine wrapper sees (and may drop) inputs before its node does, relayed ones one by one.
  WirePtr input = message;
  if (message->kind == MsgKind::gossip_batch && slot.ctx->inspects_inputs()) {
    input = filter_batch(from, *slot.ctx, message);
    if (input == nullptr) return;
  } else if (!slot.ctx->accept_message(from, message)) {
    return;
  }
  const std::uint64_t incarnation = slot.incarnation;
  cpu_->submit(to, [this, from, to, incarnation, message = std::move(input)] {
    auto& s = slots_[to];
    if (s.incarnation != incarnation || s.node == nullptr) return;
    s.node->on_message(from, message);
    sample_mempool(to);
  });
}

WirePtr World::filter_batch(PeerId from, SimContext& ctx, const WirePtr& batch) {
  auto memo = decode_message_shared(*batch, true);
  if (!memo->result.ok()) return batch;  // garbage: the node rejects and counts it
  const auto& items = std::get<GossipBatch>(memo->result.value()).items;
  std::vector<WirePtr> kept;
  for (const auto& item : items) {
    if (ctx.accept_message(from, item)) kept.push_back(item);
  }
  if (kept.size() == items.size()) return batch;
  if (kept.empty()) return nullptr;
  return kept.size() == 1 ? kept.front() : make_gossip_batch(std::move(kept), true);
}

void World::emit(std::size_t node, const Event& e) {
  if (const auto* c = std::get_if<BlockCommitted>(&e)) {
    slots_[node].height = std::max(slots_[node].height, c->height);
    // Pin every commit (and its state root) into the run digest.
    digest_.record_custom(scheduler_.now(), "commit", c->state_root.prefix64() ^ (c->height << 1) ^ node);
  }
  for (auto& l : listeners_) l(node, scheduler_.now(), e);
}

std::uint64_t World::max_height() const {
  std::uint64_t h = 0;
  for (const auto& s : slots_) h = std::max(h, s.height);
  return h;
}

bool World::is_paused(std::size_t node) const {
  return slots_.at(node).paused_until > scheduler_.now();
}

void World::crash(std::size_t node) {
  auto& slot = slots_.at(node);
  if (slot.node == nullptr) return;
  ++slot.incarnation;  // everything queued for the old process is now stale
  cpu_->clear(static_cast<PeerId>(node));
  slot.node.reset();
  slot.ctx.reset();    // cancels its timers
  digest_.record_custom(scheduler_.now(), "crash", node);
}

void World::restart(std::size_t node, bool wipe) {
  auto& slot = slots_.at(node);
  if (slot.node != nullptr) return;
  if (wipe) {
    auto store = storage::Store::open_in_memory(block_bytes_);
    MT_ASSERT(store.ok(), "in-memory store cannot fail to open");
    slot.store = std::move(store).value();
    slot.store->keep_unsynced_log(unsynced_log_max_);
  }
  ++slot.incarnation;
  digest_.record_custom(scheduler_.now(), wipe ? "restart-wiped" : "restart", node);
  boot(node);
}

void World::corrupt_record(std::size_t node) {
  auto& slot = slots_.at(node);
  if (slot.node != nullptr || slot.store == nullptr) return;  // only while down
  const Bytes garbage{0xFF, 0x00, 0xFF, 0x00};
  const auto st = slot.store->write_consensus_record(ByteView(garbage), {}, [](std::size_t) { return Bytes{}; });
  MT_ASSERT(st.ok(), "an in-memory store cannot fail to write");
  digest_.record_custom(scheduler_.now(), "corrupt-record", node);
}

void World::corrupt_store(std::size_t node, const std::string& table) {
  if (table == "consensus_record") return corrupt_record(node);
  auto& slot = slots_.at(node);
  if (slot.node != nullptr || slot.store == nullptr) return;  // only while down
  using T = storage::Store::Table;
  const T t = table == "blocks" ? T::blocks : table == "commits" ? T::commits : T::snapshots;
  const auto damaged = slot.store->damage_newest(t);
  MT_ASSERT(damaged.ok(), "an in-memory store cannot fail to write: " + (damaged.ok() ? std::string() : damaged.error().message));
  if (damaged.value().has_value()) digest_.record_custom(scheduler_.now(), "corrupt-" + table, node);
}

void World::damage_store(std::size_t node, const std::string& damage) {
  auto& slot = slots_.at(node);
  if (slot.node != nullptr || slot.store == nullptr) return;  // only while down
  if (damage == "lose_unsynced") {
    const auto lost = slot.store->lose_unsynced();
    MT_ASSERT(lost.ok(), "an in-memory store cannot fail to roll back");
    digest_.record_custom(scheduler_.now(), fmt::format("lose-unsynced-{}", lost.value()), node);
    return;
  }
  MT_ASSERT(damage == "torn_write", "unknown storage damage " + damage);  // the scenario reader checks
  const auto torn = slot.store->tear_last_write();
  MT_ASSERT(torn.ok(), "an in-memory store cannot fail to write");
  if (torn.value().has_value()) digest_.record_custom(scheduler_.now(), "torn-write", node);
}

void World::keep_unsynced_logs(std::size_t max_transactions) {
  unsynced_log_max_ = max_transactions;
  for (auto& slot : slots_) {
    if (slot.store != nullptr) slot.store->keep_unsynced_log(max_transactions);
  }
}

void World::pause(std::size_t node, TimeUs duration_us) {
  // A paused process (SIGSTOP) keeps its sockets: inputs queue and run when it resumes. The CPU
  // model expresses exactly that: the node is busy for the whole pause.
  auto& slot = slots_.at(node);
  if (slot.node == nullptr) return;
  slot.paused_until = scheduler_.now() + duration_us;
  const std::uint64_t incarnation = slot.incarnation;
  cpu_->submit(static_cast<PeerId>(node), [this, node, duration_us, incarnation] {
    if (slots_[node].incarnation == incarnation) cpu_->hold(static_cast<PeerId>(node), duration_us);
  });
  digest_.record_custom(scheduler_.now(), "pause", node);
}

void World::skew_clock(std::size_t node, TimeUs offset_us, std::int64_t drift_ppm) {
  auto& clock = slots_.at(node).clock;
  clock.adjust_offset(offset_us);
  clock.set_drift(scheduler_.now(), drift_ppm);
  digest_.record_custom(scheduler_.now(), "skew", node);
}

}  // namespace mt::sim
