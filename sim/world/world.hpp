// The world: N virtual validators, each running the real core/ Node behind a SimContext, on one
// simulated network and one scheduler. It owns time (Scheduler), randomness (Streams), the
// network, per-node clocks and CPU queues, durable stores that outlive crashes, the load
// generator, and the event fan-out to collectors and checks.
//
// Determinism: every input to a node is an event on the one scheduler; every random draw comes
// from a named stream; listeners run in registration order.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "core/node/node.hpp"
#include "core/state/transition_cache.hpp"
#include "core/storage/store.hpp"
#include "sim/engine/cpu_model.hpp"
#include "sim/engine/digest.hpp"
#include "sim/engine/node_clock.hpp"
#include "sim/engine/scheduler.hpp"
#include "sim/engine/streams.hpp"
#include "sim/events/world_event.hpp"
#include "sim/net/network.hpp"
#include "sim/run/run_view.hpp"
#include "sim/world/world_config.hpp"

namespace mt::sim {

class SimContext;

class World {
 public:
  using EventListener = std::function<void(std::size_t node, TimeUs t, const Event& e)>;
  using SubmitListener = std::function<void(const Hash32& tx, TimeUs intended)>;

  static Result<std::unique_ptr<World>> create(WorldConfig config);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Starts every node and the load. Call once, before running the scheduler.
  void start(TimeUs load_until_us);

  void add_listener(EventListener fn) { listeners_.push_back(std::move(fn)); }
  // events.jsonl: whether nodes report their steps (WorldConfig::emit_events), and where the
  // byzantine wrappers report what they did (sim/events/world_event.hpp).
  [[nodiscard]] bool events_on() const { return config_.emit_events; }
  void on_world_event(std::function<void(const WorldEvent&)> fn) { world_listener_ = std::move(fn); }
  void note_world(const WorldEvent& e) {
    if (world_listener_) world_listener_(e);
  }
  void on_submitted(SubmitListener fn) { submit_listener_ = std::move(fn); }

  [[nodiscard]] Scheduler& scheduler() { return scheduler_; }
  [[nodiscard]] Network& network() { return *network_; }
  [[nodiscard]] const CpuModel& cpu() const { return *cpu_; }
  // Every node's mempool size after each input it handled, peak per second (mempool.peak).
  [[nodiscard]] const PeakMeter& mempool_peaks() const { return mempool_peaks_; }
  [[nodiscard]] Digest& digest() { return digest_; }
  [[nodiscard]] const Streams& streams() const { return streams_; }
  [[nodiscard]] RunView& view() { return view_; }
  [[nodiscard]] const WorldConfig& config() const { return config_; }
  [[nodiscard]] std::size_t size() const { return slots_.size(); }
  [[nodiscard]] const state::StatePtr& genesis() const { return genesis_; }

  // Observed state of a node.
  [[nodiscard]] bool is_up(std::size_t node) const { return slots_.at(node).node != nullptr; }
  [[nodiscard]] bool is_paused(std::size_t node) const;
  [[nodiscard]] std::uint64_t height_of(std::size_t node) const { return slots_.at(node).height; }
  [[nodiscard]] std::uint64_t max_height() const;
  [[nodiscard]] const Node* node(std::size_t i) const { return slots_.at(i).node.get(); }
  // A node's durable store (it outlives crashes; a wipe replaces it).
  [[nodiscard]] const storage::Store& store(std::size_t i) const { return *slots_.at(i).store; }

  // Faults (applied by sim/faults; each is an ordinary world operation).
  void crash(std::size_t node);
  void restart(std::size_t node, bool wipe);
  // A storage fault on a crashed node: its consensus record is replaced by bytes that do not
  // decode (with a valid checksum, as a bug or a bit flip before the checksum would leave it).
  // At restart the node must notice, follow the chain and never sign (Node::signing_disabled).
  void corrupt_record(std::size_t node);
  // A storage fault on a crashed node: the newest row of a table (blocks, commits, snapshots)
  // keeps half its bytes under its old checksum; consensus_record is corrupt_record.
  void corrupt_store(std::size_t node, const std::string& table);
  // A machine crash's damage to a crashed node's store: `lose_unsynced` rolls back the writes
  // made since its last synced (consensus-record) write, `torn_write` tears its last write.
  void damage_store(std::size_t node, const std::string& damage);
  // Every store (and every store opened later) keeps its unsynced transactions, at most this
  // many, so that lose_unsynced can roll them back. Asked for only by plans that lose them.
  void keep_unsynced_logs(std::size_t max_transactions);
  void pause(std::size_t node, TimeUs duration_us);
  void skew_clock(std::size_t node, TimeUs offset_us, std::int64_t drift_ppm);
  void submit_tx(std::size_t node, const TxPtr& tx);  // a client hands a tx to one node

  // Internal: called by SimContext.
  void emit(std::size_t node, const Event& e);

 private:
  struct Slot {
    std::unique_ptr<storage::Store> store;
    std::unique_ptr<SimContext> ctx;
    std::unique_ptr<Node> node;
    std::unique_ptr<crypto::Verifier> own_verifier;  // when verification is not shared
    NodeClock clock;
    std::uint64_t incarnation = 0;
    std::uint64_t height = 0;
    TimeUs paused_until = -1;
  };
  explicit World(WorldConfig config);
  Status init();
  void boot(std::size_t node);
  void deliver(PeerId from, PeerId to, const WirePtr& message);
  // The items of `batch` a byzantine context accepts, as a message (null: none of them).
  static WirePtr filter_batch(PeerId from, SimContext& ctx, const WirePtr& batch);
  void schedule_next_arrival();
  void sample_mempool(std::size_t node);
  NodeConfig node_config(std::size_t node);

  WorldConfig config_;
  Scheduler scheduler_;
  Streams streams_;
  Digest digest_;
  std::unique_ptr<Network> network_;
  std::unique_ptr<CpuModel> cpu_;
  PeakMeter mempool_peaks_;
  std::unique_ptr<crypto::Verifier> shared_verifier_;
  std::unique_ptr<state::TransitionCache> transitions_;
  std::shared_ptr<storage::BlobPool> block_bytes_;  // shared by every store when share_block_bytes
  std::size_t unsynced_log_max_ = 0;                // keep_unsynced_logs (0: off)
  state::StatePtr genesis_;
  std::vector<Slot> slots_;
  RunView view_;
  std::vector<EventListener> listeners_;
  SubmitListener submit_listener_;
  std::function<void(const WorldEvent&)> world_listener_;
  std::unique_ptr<LoadGenerator> load_;
  Rng load_route_rng_;
  TimeUs load_until_us_ = 0;

  friend class SimContext;
};

}  // namespace mt::sim
