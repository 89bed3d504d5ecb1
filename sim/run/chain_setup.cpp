#include "sim/run/chain_setup.hpp"

#include <algorithm>
#include <memory>
#include <fmt/format.h>

#include "sim/engine/streams.hpp"
#include "sim/load/subnet_plan.hpp"

namespace mt::sim {

namespace {

double ppm_to_probability(Ppm p) { return static_cast<double>(p) / static_cast<double>(kPpmOne); }

Result<Topology> build_peers(const PeersConfig& peers, std::size_t n, std::uint64_t seed) {
  Rng rng = Streams(seed).stream("topology");
  switch (peers.kind) {
    case PeersConfig::Kind::full_mesh: return Topology::full_mesh(n);
    case PeersConfig::Kind::random_regular: return Topology::random_regular(n, peers.degree, rng);
    case PeersConfig::Kind::small_world:
      return Topology::small_world(n, peers.k, ppm_to_probability(peers.p), rng);
  }
  return make_error("unknown peers kind");
}

LoadSegment to_segment(const LoadSpec& l, const std::shared_ptr<const SubnetPlan>& plan) {
  LoadSegment seg;
  seg.kind = l.kind;
  seg.tx = l.tx;
  seg.rate_milli_per_s = l.rate.milli_per_s();
  seg.to_rate_milli_per_s = l.to_rate.milli_per_s();
  seg.ramp_over_us = l.over_us;
  seg.burst_count = l.burst_count;
  seg.burst_every_us = l.every_us;
  seg.from_us = l.from_us;
  seg.until_us = l.until_us > 0 ? l.until_us : -1;
  seg.accounts = std::max<std::uint32_t>(1, l.accounts);
  seg.size_mix = l.size;
  if (!plan->empty()) seg.subnets = plan;
  return seg;
}

// Load segments and every funded account: subnet neurons (they pay fees for weights), the load
// accounts (their keys, derived here once, go to the generator too), then the named accounts.
void add_load_and_accounts(const Scenario& s, ChainSetup& c) {
  auto plan = std::make_shared<const SubnetPlan>(SubnetPlan::make(s, c.seed));
  c.genesis.subnets = plan->genesis();
  for (const auto& a : plan->neuron_accounts()) c.genesis.accounts.push_back({a, s.accounts.balance});
  for (const auto& l : s.load) c.load.push_back(to_segment(l, plan));
  if (!c.load.empty()) {
    LoadGenerator probe(c.load, c.chain_id(), c.backend, c.load_fee, 0, {});
    c.load_keys = probe.derive_keys();
    for (const auto& k : *c.load_keys) c.genesis.accounts.push_back({k.public_key(), s.accounts.balance});
  }
  for (const auto& a : s.genesis.accounts) {
    c.genesis.accounts.push_back({derive_key(c.seed, "account", a.name).public_key(), a.balance});
  }
}

}  // namespace

crypto::KeyPair derive_key(std::uint64_t seed, std::string_view role, std::string_view name) {
  return crypto::KeyPair::from_label(fmt::format("mtsim/{}/{}/{}", seed, std::string(role), std::string(name)));
}

Result<ChainSetup> make_chain_setup(const Scenario& s, std::uint64_t seed) {
  ChainSetup c;
  c.seed = seed;
  c.backend = s.chain.fast_crypto ? crypto::Backend::fast : crypto::Backend::real;
  for (const auto& v : s.validators) {
    // A twin runs its original's key (derived from the original's name) and adds no stake.
    const std::string& key_name = v.is_twin() ? s.validators.at(*v.twin_of).name : v.name;
    ChainValidator cv{v.name, v.group, v.stake, derive_key(seed, "validator", key_name), v.at_genesis};
    if (v.at_genesis && !v.is_twin()) c.genesis.validators.push_back({cv.key.public_key(), v.stake});
    c.validators.push_back(std::move(cv));
  }
  auto peers = build_peers(s.network.peers, s.validators.size(), seed);
  if (!peers.ok()) return make_error("network.peers: " + peers.error().message);
  c.peers = std::move(peers).value();
  c.gossip_batch_us = s.network.gossip_batch_us;
  c.gossip = s.network.gossip;
  c.genesis.params = s.chain.params;
  c.genesis.genesis_time_ms = s.genesis.time_ms;
  c.load_fee = s.chain.params.min_fee;
  add_load_and_accounts(s, c);
  return c;
}

Result<GenesisState> make_genesis_state(const ChainSetup& setup) {
  auto genesis = state::make_genesis(setup.genesis);
  if (!genesis.ok()) return make_error("genesis: " + genesis.error().message);
  GenesisState g;
  g.state = std::move(genesis).value();
  g.hash = state::genesis_hash(g.state->root(), setup.chain_id());
  return g;
}

}  // namespace mt::sim
