#include "testnet/node_runtime.hpp"

#include <csignal>
#include <cstdio>
#include <filesystem>

#include "sim/scenario/load_scenario.hpp"
#include "testnet/admin_token.hpp"

namespace mt::testnet {

namespace {
constexpr std::size_t kVerifierCapacity = 1u << 18;
}

NodeRuntime::NodeRuntime(NodeLaunch launch, TestnetChain chain, RuntimeOptions options)
    : launch_(std::move(launch)), chain_(std::move(chain)), options_(std::move(options)), signals_(io_, SIGINT, SIGTERM) {}

NodeRuntime::~NodeRuntime() {
  node_.reset();  // before its context
  ctx_.reset();
  server_.reset();
  transport_.reset();
}

Result<std::unique_ptr<NodeRuntime>> NodeRuntime::create(const NodeLaunch& launch, RuntimeOptions options) {
  auto scenario = sim::load_scenario(launch.scenario_path, launch.overrides);
  if (!scenario.ok()) return make_error("scenario: " + scenario.error().message);
  auto chain = build_testnet_chain(scenario.value(), launch.seed);
  if (!chain.ok()) return chain.error();
  if (chain.value().setup.validators.size() != launch.p2p_ports.size()) {
    return make_error("the launch file's port table does not match the scenario's validator count");
  }
  std::unique_ptr<NodeRuntime> rt(new NodeRuntime(launch, std::move(chain).value(), std::move(options)));
  if (auto st = rt->init(); !st.ok()) return st.error();
  return rt;
}

Status NodeRuntime::init() {
  std::error_code ec;
  std::filesystem::create_directories(launch_.data_dir, ec);
  if (ec) return make_error("cannot create " + launch_.data_dir + ": " + ec.message());
  auto store = storage::Store::open((std::filesystem::path(launch_.data_dir) / "node.sqlite").string());
  if (!store.ok()) return make_error("store: " + store.error().message);
  store_ = std::move(store).value();
  verifier_ = std::make_unique<crypto::Verifier>(chain_.setup.backend, kVerifierCapacity);

  std::vector<PeerAddress> table;
  for (auto port : launch_.p2p_ports) table.push_back(PeerAddress{launch_.host, port});
  Hello hello;
  hello.chain_id = chain_.chain_id;
  hello.genesis_hash = chain_.genesis_hash;
  hello.node_index = launch_.index;
  const Params& params = chain_.genesis->params();
  NodeIdentity identity{chain_.setup.validators.at(launch_.index).key, {}};
  for (const auto& v : chain_.setup.validators) identity.keys.push_back(v.key.public_key());
  transport_ = std::make_unique<Transport>(io_, hello, std::move(identity), std::move(table),
                                           FrameLimits::for_chain(params.max_tx_bytes, params.max_block_bytes));

  const auto neighbours = chain_.setup.peers.neighbours(launch_.index);
  ctx_ = std::make_unique<RealtimeContext>(io_, *transport_, *store_, *verifier_,
                                           std::vector<PeerId>(neighbours.begin(), neighbours.end()), launch_.epoch_ns);
  NodeConfig config;
  config.genesis_state = chain_.genesis;
  config.genesis = chain_.setup.genesis;
  config.key = chain_.setup.validators.at(launch_.index).key;
  config.backend = chain_.setup.backend;
  config.gossip_batch_interval = chain_.setup.gossip_batch_us;  // network.gossip_batch, as in the simulator
  config.gossip = chain_.setup.gossip;  // network.gossip: the same router as in the simulator
  node_ = std::make_unique<Node>(std::move(config), *ctx_);
  ctx_->on_timer([this](TimerId id, std::uint64_t tag) { node_->on_timer(id, tag); });
  ctx_->on_event([this](const Event& e) { record(e); });
  transport_->on_message([this](PeerId from, const WirePtr& m) { node_->on_message(from, m); });

  register_node_methods(rpc_, *this);
  auto token = load_or_create_admin_token(launch_.data_dir);
  if (!token.ok()) return make_error("admin token: " + token.error().message);
  server_ = std::make_unique<RpcServer>(io_, rpc_, options_.rpc_listen, launch_.rpc_ports.at(launch_.index),
                                        std::move(token).value());
  server_->serve_metrics([this] { return node_metrics(*this); });
  return {};
}

void NodeRuntime::record(const Event& e) {
  if (const auto* r = std::get_if<MessageRejected>(&e)) return transport_->penalize(r->from, Transport::kInvalidMessageCost);
  if (std::holds_alternative<SyncStarted>(e) && !sync_time_.since) {
    ++sync_time_.episodes;
    sync_time_.since = ctx_->now();
  }
  if (std::holds_alternative<SyncFinished>(e) && sync_time_.since) {
    sync_time_.closed_us += ctx_->now() - *sync_time_.since;
    sync_time_.since.reset();
  }
  const auto* c = std::get_if<BlockCommitted>(&e);
  if (c == nullptr) return;
  for (const auto& h : c->tx_hashes) tx_heights_[h] = c->height;
  commits_[c->height] = CommitRecord{*c, ctx_->now()};
  while (commits_.size() > kMaxCommitRecords) commits_.erase(commits_.begin());
}

void NodeRuntime::index_stored_blocks() {
  auto top = store_->latest_height();
  if (!top.ok()) return;
  for (std::uint64_t h = 1; h <= top.value(); ++h) {
    auto stored = store_->block_at(h);
    if (!stored.ok() || !stored.value()) continue;  // pruned below a snapshot
    auto block = Block::decode(stored.value()->bytes);
    if (!block.ok()) continue;
    for (const auto& tx : block.value().txs) tx_heights_[tx->hash()] = h;
  }
}

std::optional<std::uint64_t> NodeRuntime::tx_height(const Hash32& tx) const {
  auto it = tx_heights_.find(tx);
  if (it == tx_heights_.end()) return std::nullopt;
  return it->second;
}

Status NodeRuntime::run() {
  if (auto st = transport_->listen(); !st.ok()) return st;
  if (auto st = server_->listen(); !st.ok()) return st;
  signals_.async_wait([this](const boost::system::error_code& ec, int) {
    if (!ec) stop();
  });
  node_->on_start();
  index_stored_blocks();
  const auto neighbours = ctx_->peers();
  transport_->connect(std::vector<PeerId>(neighbours.begin(), neighbours.end()));
  std::fprintf(stderr, "mtnode %u: height %llu, p2p %u, rpc %u\n", launch_.index,
               static_cast<unsigned long long>(node_->height()), transport_->listen_port(), server_->port());
  io_.run();
  return {};
}

void NodeRuntime::stop() {
  transport_->stop();
  server_->stop();
  signals_.cancel();
  io_.stop();
}

}  // namespace mt::testnet
