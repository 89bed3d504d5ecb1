#include "sim/runner/world_builder.hpp"

#include "sim/engine/streams.hpp"

namespace mt::sim {

namespace {

Distribution to_distribution(const DelayDist& d) {
  const auto a = static_cast<double>(d.a_us);
  const auto b = static_cast<double>(d.b_us);
  switch (d.kind) {
    case DistKind::constant: return Distribution::constant(a);
    case DistKind::uniform: return Distribution::uniform(a, b);
    case DistKind::normal: return Distribution::normal(a, b);
    case DistKind::lognormal: return Distribution::lognormal(a, d.shape);
    case DistKind::pareto: return Distribution::pareto(a, d.shape);
  }
  return Distribution::constant(a);
}

double ppm_to_probability(Ppm p) { return static_cast<double>(p) / static_cast<double>(kPpmOne); }

Result<LatencyModel> build_latency(const NetworkConfig& net) {
  const Distribution shape = to_distribution(net.latency_default);
  if (auto st = shape.validate(); !st.ok()) return make_error("network.latency.default: " + st.error().message);
  LatencyModel model(net.zones, shape);
  if (!net.matrix_file.empty()) {
    auto from_file = LatencyModel::from_csv_file(net.matrix_file, shape);
    if (!from_file.ok()) return make_error("network.latency.matrix_file: " + from_file.error().message);
    model = std::move(from_file).value();
  }
  for (const auto& p : net.matrix) {
    auto from = model.zone_index(p.from);
    auto to = model.zone_index(p.to);
    if (!from.ok()) return make_error("network.latency.matrix: " + from.error().message);
    if (!to.ok()) return make_error("network.latency.matrix: " + to.error().message);
    model.set_pair(from.value(), to.value(), p.one_way_us, p.symmetric);
  }
  model.set_jitter(net.jitter_us);
  return model;
}

Result<Topology> build_topology(const PeersConfig& peers, std::size_t n, const Streams& streams) {
  Rng rng = streams.stream("topology");
  switch (peers.kind) {
    case PeersConfig::Kind::full_mesh: return Topology::full_mesh(n);
    case PeersConfig::Kind::random_regular: return Topology::random_regular(n, peers.degree, rng);
    case PeersConfig::Kind::small_world:
      return Topology::small_world(n, peers.k, ppm_to_probability(peers.p), rng);
  }
  return make_error("unknown peers kind");
}

ArrivalKind to_arrival(LoadKind k) {
  switch (k) {
    case LoadKind::constant: return ArrivalKind::constant;
    case LoadKind::poisson: return ArrivalKind::poisson;
    case LoadKind::ramp: return ArrivalKind::ramp;
    case LoadKind::burst: return ArrivalKind::burst;
  }
  return ArrivalKind::constant;
}

TxMix to_mix(LoadTx t) {
  switch (t) {
    case LoadTx::transfer: return TxMix::transfer;
    case LoadTx::stake: return TxMix::stake;
    case LoadTx::delegate: return TxMix::delegate;
    case LoadTx::set_weights: return TxMix::set_weights;
    case LoadTx::mix: return TxMix::mix;
    case LoadTx::register_neuron: return TxMix::register_neuron;
  }
  return TxMix::transfer;
}

ByzantineSpec to_byzantine(const ByzantineConfig& b, const Scenario& s, std::uint64_t seed) {
  ByzantineSpec spec;
  spec.behavior = b.behavior;
  spec.from_height = b.from_height;
  spec.until_height = b.until_height;
  spec.at_us = b.at_us.value_or(-1);
  spec.duration_us = b.duration_us.value_or(-1);
  spec.delay_us = b.delay_us;
  spec.fraction_bp = static_cast<std::uint32_t>(b.fraction / 100);
  spec.rate_milli_per_s = b.rate ? b.rate->milli_per_s() : 0;
  if (b.to) {
    auto targets = s.selector_targets();
    auto r = resolve_selector(*b.to, targets, seed);
    if (r.ok()) spec.targets = r.value();
  }
  return spec;
}

}  // namespace

crypto::KeyPair derive_key(std::uint64_t seed, std::string_view role, std::string_view name) {
  return crypto::KeyPair::from_label("mtsim/" + std::to_string(seed) + "/" + std::string(role) + "/" +
                                     std::string(name));
}

Result<WorldConfig> build_world_config(const Scenario& s, std::uint64_t seed, bool share) {
  WorldConfig w;
  w.seed = seed;
  w.backend = s.chain.fast_crypto ? crypto::Backend::fast : crypto::Backend::real;
  w.share_transitions = share;
  w.share_verification = share;
  w.share_block_bytes = share;
  w.share_decode = share;
  w.metrics_bucket_us = s.report.resolution_us;
  Streams streams(seed);

  auto latency = build_latency(s.network);
  if (!latency.ok()) return latency.error();
  w.latency = std::move(latency).value();
  std::vector<std::uint32_t> zone_of;
  for (const auto& v : s.validators) {
    ValidatorSpec spec;
    spec.name = v.name;
    spec.group = v.group;
    auto z = w.latency.zone_index(v.zone);
    if (!z.ok()) return make_error("validator " + v.name + ": " + z.error().message);
    spec.zone = z.value();
    zone_of.push_back(spec.zone);
    spec.stake = v.stake;
    spec.key = derive_key(seed, "validator", v.name);
    for (const auto& g : s.groups) {
      if (g.name == v.group && g.byzantine) spec.byzantine = to_byzantine(*g.byzantine, s, seed);
    }
    if (v.at_genesis) w.genesis.validators.push_back({spec.key.public_key(), v.stake});
    w.validators.push_back(std::move(spec));
  }
  if (auto st = w.latency.assign_zones(std::move(zone_of)); !st.ok()) return st.error();

  auto topology = build_topology(s.network.peers, s.validators.size(), streams);
  if (!topology.ok()) return make_error("network.peers: " + topology.error().message);
  w.topology = std::move(topology).value();
  w.loss = ppm_to_probability(s.network.loss);
  w.gossip_batch_us = s.network.gossip_batch_us;
  w.duplicate = ppm_to_probability(s.network.duplicate);
  w.reorder = ppm_to_probability(s.network.reorder);
  w.bandwidth_bits_per_s = s.network.bandwidth_bits_per_s;

  w.genesis.params = s.chain.params;
  w.genesis.genesis_time_ms = s.genesis.time_ms;
  w.load_fee = s.chain.params.min_fee;
  // Subnets at genesis; their neurons are funded like load accounts (they pay fees for weights).
  auto plan = std::make_shared<const SubnetPlan>(SubnetPlan::make(s, seed));
  w.genesis.subnets = plan->genesis();
  for (const auto& a : plan->neuron_accounts()) w.genesis.accounts.push_back({a, s.accounts.balance});
  for (const auto& l : s.load) {
    LoadSegment seg;
    seg.kind = to_arrival(l.kind);
    seg.tx = to_mix(l.tx);
    seg.rate_milli_per_s = l.rate.milli_per_s();
    seg.to_rate_milli_per_s = l.to_rate.milli_per_s();
    seg.ramp_over_us = l.over_us;
    seg.burst_count = l.burst_count;
    seg.burst_every_us = l.every_us;
    seg.from_us = l.from_us;
    seg.until_us = l.until_us > 0 ? l.until_us : -1;
    seg.accounts = std::max<std::uint32_t>(1, l.accounts);
    if (!plan->empty()) seg.subnets = plan;
    w.load.push_back(seg);
  }
  // Fund the load accounts (their keys, derived here once, go to the generator too) and the
  // named accounts.
  if (!w.load.empty()) {
    LoadGenerator probe(w.load, w.genesis.params.chain_id, w.backend, w.load_fee, 0, {});
    w.load_keys = probe.derive_keys();
    for (const auto& k : *w.load_keys) w.genesis.accounts.push_back({k.public_key(), s.accounts.balance});
  }
  for (const auto& a : s.genesis.accounts) {
    w.genesis.accounts.push_back({derive_key(seed, "account", a.name).public_key(), a.balance});
  }
  return w;
}

}  // namespace mt::sim
