// A tiny deterministic world for Node tests, independent of sim/: one queue of (time, seq,
// action), a fixed one-way latency, a full mesh of N nodes, each with an in-memory Store that
// survives its node's crash. Crash = destroy the Node (pending timers and in-flight messages to
// it are dropped); restart = a new Node over the same Store.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include "core/crypto/verifier.hpp"
#include "core/node/node.hpp"
#include "core/state/genesis.hpp"
#include "core/storage/store.hpp"

namespace mt::test {

class NodeHarness;

// One node's Context: the harness clock, the mesh, its Store, a log of what it emitted.
class HarnessContext final : public Context {
 public:
  HarnessContext(NodeHarness& h, PeerId self);
  [[nodiscard]] TimeUs now() const override;
  void send(PeerId to, WirePtr message) override;
  void gossip(WirePtr message, std::optional<PeerId> except) override;
  [[nodiscard]] std::span<const PeerId> peers() const override { return peers_; }
  TimerId set_timer(TimeUs delay, std::uint64_t tag) override;
  void cancel_timer(TimerId id) override { cancelled_.insert(id); }
  storage::Store& storage() override { return *store_; }
  crypto::Verifier& verifier() override;
  void charge_cpu(TimeUs cost) override { cpu_us += cost; }
  void emit(const Event& event) override { events.push_back(event); }

  std::vector<Event> events;  // across restarts
  TimeUs cpu_us = 0;

 private:
  friend class NodeHarness;
  NodeHarness& h_;
  PeerId self_;
  std::vector<PeerId> peers_;
  std::unique_ptr<storage::Store> store_;
  std::set<TimerId> cancelled_;
  TimerId next_timer_ = 1;
};

struct HarnessOptions {
  std::size_t validators = 4;
  std::size_t full_nodes = 0;
  TimeUs latency = ms(20);
  crypto::Backend backend = crypto::Backend::real;
  bool share_transitions = true;
  bool memoise_decode = true;
  TimeUs gossip_batch = 0;  // NodeConfig::gossip_batch_interval
  GossipMode gossip = GossipMode::flood;  // NodeConfig::gossip.mode (the mesh is every peer at 4 nodes)
  std::uint64_t snapshot_interval_heights = 5;
  std::uint64_t keep_heights = 0;
  std::vector<std::string> funded;  // account labels funded at genesis
  Amount funded_balance = 1'000'000;
};

class NodeHarness {
 public:
  explicit NodeHarness(HarnessOptions options);
  ~NodeHarness();

  void start_all();
  void crash(PeerId id);
  void restart(PeerId id);
  [[nodiscard]] bool alive(PeerId id) const { return nodes_.at(id) != nullptr; }
  Node& node(PeerId id) { return *nodes_.at(id); }
  HarnessContext& ctx(PeerId id) { return *contexts_.at(id); }
  [[nodiscard]] std::size_t size() const { return contexts_.size(); }
  [[nodiscard]] TimeUs now() const { return now_; }
  [[nodiscard]] const state::StatePtr& genesis() const { return genesis_; }
  [[nodiscard]] const crypto::KeyPair& validator_key(std::size_t i) const { return keys_.at(i); }
  crypto::Verifier& verifier() { return verifier_; }

  // Delivers a message to `to` as if `from` sent it (no latency): for injecting garbage.
  void inject(PeerId from, PeerId to, WirePtr message);
  void schedule(TimeUs delay, std::function<void()> action);
  // Runs events until `until` returns true (checked after each) or `budget` of time has passed.
  bool run_until(const std::function<bool()>& until, TimeUs budget);
  void run_for(TimeUs duration);

  // Lowest height reached among live nodes.
  [[nodiscard]] std::uint64_t min_live_height() const;
  // Committed block hash per height, from a node's BlockCommitted events.
  [[nodiscard]] std::map<std::uint64_t, Hash32> committed(PeerId id) const;
  [[nodiscard]] std::uint64_t events_processed() const { return processed_; }

 private:
  friend class HarnessContext;
  struct Item {
    TimeUs at;
    std::uint64_t seq;
    std::function<void()> action;
    bool operator>(const Item& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };
  void deliver(PeerId from, PeerId to, WirePtr message);
  NodeConfig config_for(PeerId id) const;

  HarnessOptions options_;
  crypto::Verifier verifier_;
  state::TransitionCache transitions_;
  state::StatePtr genesis_;
  std::vector<crypto::KeyPair> keys_;
  std::vector<std::unique_ptr<HarnessContext>> contexts_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<std::uint64_t> incarnation_;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue_;
  TimeUs now_ = 0;
  std::uint64_t seq_ = 0;
  std::uint64_t processed_ = 0;
};

// A signed transfer on the harness chain.
TxPtr make_transfer(const crypto::KeyPair& from, const Address& to, std::uint64_t nonce, Amount amount,
                    crypto::Backend backend, Amount fee = 10);

}  // namespace mt::test
