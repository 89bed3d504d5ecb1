#include "tests/core/node/node_harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <utility>

namespace mt::test {

HarnessContext::HarnessContext(NodeHarness& h, PeerId self) : h_(h), self_(self) {
  auto s = storage::Store::open_in_memory();
  REQUIRE(s.ok());
  store_ = std::move(s).value();
}

TimeUs HarnessContext::now() const { return h_.now_; }
crypto::Verifier& HarnessContext::verifier() { return h_.verifier_; }

void HarnessContext::send(PeerId to, WirePtr message) {
  const PeerId from = self_;
  h_.schedule(h_.options_.latency, [this, from, to, m = std::move(message)] { h_.deliver(from, to, m); });
}

void HarnessContext::gossip(WirePtr message, std::optional<PeerId> except) {
  for (PeerId p : peers_) {
    if (except.has_value() && *except == p) continue;
    send(p, message);
  }
}

TimerId HarnessContext::set_timer(TimeUs delay, std::uint64_t tag) {
  const TimerId id = next_timer_++;
  const std::uint64_t inc = h_.incarnation_.at(self_);
  h_.schedule(delay, [this, id, tag, inc] {
    if (h_.incarnation_.at(self_) != inc || cancelled_.erase(id) > 0 || !h_.alive(self_)) return;
    h_.node(self_).on_timer(id, tag);
  });
  return id;
}

NodeHarness::NodeHarness(HarnessOptions options)
    : options_(std::move(options)), verifier_(options_.backend), transitions_(4096, options_.share_transitions) {
  state::GenesisConfig g;
  g.params.chain_id = "node-test";
  g.genesis_time_ms = 0;
  for (std::size_t i = 0; i < options_.validators; ++i) {
    keys_.push_back(crypto::KeyPair::from_label("validator-" + std::to_string(i)));
    g.validators.push_back({keys_.back().public_key(), 1000});
  }
  for (const auto& label : options_.funded) {
    g.accounts.push_back({crypto::KeyPair::from_label(label).public_key(), options_.funded_balance});
  }
  auto gs = state::make_genesis(g);
  REQUIRE_MESSAGE(gs.ok(), gs.error().message);
  genesis_ = std::move(gs).value();
  const std::size_t n = options_.validators + options_.full_nodes;
  for (std::size_t i = 0; i < n; ++i) {
    contexts_.push_back(std::make_unique<HarnessContext>(*this, static_cast<PeerId>(i)));
    for (std::size_t j = 0; j < n; ++j) {
      if (j != i) contexts_.back()->peers_.push_back(static_cast<PeerId>(j));
    }
  }
  nodes_.resize(n);
  incarnation_.assign(n, 0);
}

NodeHarness::~NodeHarness() = default;

NodeConfig NodeHarness::config_for(PeerId id) const {
  NodeConfig c;
  c.genesis_state = genesis_;
  if (id < keys_.size()) c.key = keys_[id];
  c.backend = options_.backend;
  c.transitions = options_.share_transitions ? const_cast<state::TransitionCache*>(&transitions_) : nullptr;
  c.memoise_decode = options_.memoise_decode;
  c.gossip_batch_interval = options_.gossip_batch;
  c.gossip.mode = options_.gossip;
  c.gossip.seed = 1000 + id;
  c.snapshot_interval_heights = options_.snapshot_interval_heights;
  c.keep_heights = options_.keep_heights;
  return c;
}

void NodeHarness::start_all() {
  for (PeerId i = 0; i < contexts_.size(); ++i) restart(i);
}

void NodeHarness::crash(PeerId id) {
  nodes_.at(id).reset();
  ++incarnation_.at(id);
}

void NodeHarness::restart(PeerId id) {
  REQUIRE(nodes_.at(id) == nullptr);
  nodes_.at(id) = std::make_unique<Node>(config_for(id), *contexts_.at(id));
  nodes_.at(id)->on_start();
}

void NodeHarness::deliver(PeerId from, PeerId to, WirePtr message) {
  if (!alive(to) || !alive(from)) return;  // a crashed sender's in-flight messages are lost too
  nodes_.at(to)->on_message(from, message);
}

void NodeHarness::inject(PeerId from, PeerId to, WirePtr message) {
  if (alive(to)) nodes_.at(to)->on_message(from, message);
}

void NodeHarness::schedule(TimeUs delay, std::function<void()> action) {
  queue_.push(Item{now_ + std::max<TimeUs>(delay, 0), seq_++, std::move(action)});
}

bool NodeHarness::run_until(const std::function<bool()>& until, TimeUs budget) {
  const TimeUs deadline = now_ + budget;
  while (!queue_.empty()) {
    if (until()) return true;
    if (queue_.top().at > deadline) break;
    Item it = queue_.top();
    queue_.pop();
    now_ = it.at;
    ++processed_;
    it.action();
  }
  return until();
}

void NodeHarness::run_for(TimeUs duration) {
  const TimeUs end = now_ + duration;
  (void)run_until([] { return false; }, duration);
  now_ = std::max(now_, end);
}

std::uint64_t NodeHarness::min_live_height() const {
  std::uint64_t m = UINT64_MAX;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i] != nullptr) m = std::min(m, nodes_[i]->height());
  }
  return m == UINT64_MAX ? 0 : m;
}

std::map<std::uint64_t, Hash32> NodeHarness::committed(PeerId id) const {
  std::map<std::uint64_t, Hash32> out;
  for (const auto& e : contexts_.at(id)->events) {
    if (const auto* bc = std::get_if<BlockCommitted>(&e)) {
      auto [it, fresh] = out.emplace(bc->height, bc->block_hash);
      CHECK_MESSAGE((fresh || it->second == bc->block_hash), "node committed two blocks at one height");
    }
  }
  return out;
}

TxPtr make_transfer(const crypto::KeyPair& from, const Address& to, std::uint64_t nonce, Amount amount,
                    crypto::Backend backend, Amount fee) {
  Transaction tx;
  tx.chain_id = "node-test";
  tx.sender = from.public_key();
  tx.nonce = nonce;
  tx.fee = fee;
  tx.payload = Transfer{to, amount};
  tx.sign(from, backend);
  return SignedTx::make(tx);
}

}  // namespace mt::test
