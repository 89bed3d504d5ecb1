// One testnet node process: the real core/ Node behind a RealtimeContext, its TCP transport, its
// SQLite file store and its JSON-RPC server, all on one io_context (no threads). mtnode builds a
// NodeRuntime from a launch file and runs it until SIGINT/SIGTERM (SIGKILL is the crash fault:
// the store's transactions make a restart resume from what was durable, and the signing state,
// written before any vote leaves, keeps a restarted validator from signing twice).
#pragma once

#include <utility>  // before asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <boost/asio.hpp>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/crypto/verifier.hpp"
#include "core/node/node.hpp"
#include "core/state/subnet/store.hpp"
#include "core/storage/store.hpp"
#include "testnet/json_rpc.hpp"
#include "testnet/node_launch.hpp"
#include "testnet/realtime_context.hpp"
#include "testnet/rpc_server.hpp"
#include "testnet/transport.hpp"

namespace mt::testnet {

// A block this process committed while running (restored blocks are not re-announced), with the
// node's clock at the commit: what the harness turns into BlockCommitted events.
struct CommitRecord {
  BlockCommitted event;
  TimeUs commit_us = 0;
};

// Block sync as this process saw it: episodes (SyncStarted) and the time between each start and
// its SyncFinished (an episode still open counts up to now in sync_seconds()).
struct SyncTime {
  std::uint64_t episodes = 0;
  TimeUs closed_us = 0;          // summed over finished episodes
  std::optional<TimeUs> since;   // start of the open episode
};

// How mtnode was started, beyond the launch file.
struct RuntimeOptions {
  std::string rpc_listen = "127.0.0.1";  // the RPC's bind address: loopback unless --listen says otherwise
};

class NodeRuntime {
 public:
  static constexpr std::size_t kMaxCommitRecords = 1u << 16;  // the harness polls long before this

  static Result<std::unique_ptr<NodeRuntime>> create(const NodeLaunch& launch, RuntimeOptions options = {});
  ~NodeRuntime();
  NodeRuntime(const NodeRuntime&) = delete;
  NodeRuntime& operator=(const NodeRuntime&) = delete;

  // Listens, restores the node from its store, dials peers, serves until stop() or a signal.
  Status run();
  void stop();

  [[nodiscard]] const Node& node() const { return *node_; }
  [[nodiscard]] Node& node() { return *node_; }
  [[nodiscard]] const TestnetChain& chain() const { return chain_; }
  [[nodiscard]] const NodeLaunch& launch() const { return launch_; }
  [[nodiscard]] storage::Store& store() { return *store_; }
  [[nodiscard]] Transport& transport() { return *transport_; }
  [[nodiscard]] const std::map<std::uint64_t, CommitRecord>& commits() const { return commits_; }
  // Height of the block holding a transaction, if this node has it (lookup only).
  [[nodiscard]] std::optional<std::uint64_t> tx_height(const Hash32& tx) const;
  [[nodiscard]] TimeUs now() const { return ctx_->now(); }
  // The JSON-RPC dispatcher the server answers with (tests call it without a socket).
  [[nodiscard]] const JsonRpc& rpc() const { return rpc_; }
  [[nodiscard]] const crypto::Verifier& verifier() const { return *verifier_; }
  [[nodiscard]] const SyncTime& sync_time() const { return sync_time_; }

 private:
  NodeRuntime(NodeLaunch launch, TestnetChain chain, RuntimeOptions options);
  Status init();
  void record(const Event& e);
  void index_stored_blocks();

  NodeLaunch launch_;
  TestnetChain chain_;
  RuntimeOptions options_;
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<crypto::Verifier> verifier_;
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<RealtimeContext> ctx_;
  std::unique_ptr<Node> node_;
  JsonRpc rpc_;
  std::unique_ptr<RpcServer> server_;
  std::map<std::uint64_t, CommitRecord> commits_;
  SyncTime sync_time_;
  std::unordered_map<Hash32, std::uint64_t, FixedBytesHasher> tx_heights_;  // lookup only
};

// Registers the node's JSON-RPC methods (node_rpc.cpp; the AI layer's in node_rpc_subnets.cpp).
void register_node_methods(JsonRpc& rpc, NodeRuntime& runtime);
void register_subnet_methods(JsonRpc& rpc, NodeRuntime& runtime);
// GET /metrics: Prometheus text exposition of this node (node_metrics.cpp).
std::string node_metrics(NodeRuntime& runtime);
// The AI layer's records as JSON (raw-byte strings as lossy UTF-8 plus exact hex).
json subnet_json(const state::SubnetInfo& subnet);
json neuron_json(const state::NeuronInfo& neuron);

}  // namespace mt::testnet
