#include "sim/runner/world_builder.hpp"

#include <algorithm>

#include "sim/run/chain_setup.hpp"

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

// A scenario built in code (not loaded) may name a behaviour this build does not have: an error.
Result<ByzantineSpec> to_byzantine(const ByzantineConfig& b, const Scenario& s, std::uint64_t seed) {
  ByzantineSpec spec;
  const BehaviorSpec* behavior = find_behavior(b.behavior);
  if (behavior == nullptr) return make_error("unknown byzantine behaviour '" + b.behavior + "'");
  spec.behavior = behavior->kind;
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

void copy_chain(ChainSetup chain, WorldConfig& w) {
  w.seed = chain.seed;
  w.backend = chain.backend;
  w.genesis = std::move(chain.genesis);
  w.topology = std::move(chain.peers);
  w.gossip_batch_us = chain.gossip_batch_us;
  w.gossip = chain.gossip;
  w.load = std::move(chain.load);
  w.load_fee = chain.load_fee;
  w.load_keys = std::move(chain.load_keys);
}

}  // namespace

Result<WorldConfig> build_world_config(const Scenario& s, std::uint64_t seed, bool share) {
  auto chain = make_chain_setup(s, seed);
  if (!chain.ok()) return chain.error();
  WorldConfig w;
  w.share_transitions = share;
  w.share_verification = share;
  w.share_block_bytes = share;
  w.share_decode = share;
  w.metrics_bucket_us = s.report.resolution_us;
  auto latency = build_latency(s.network);
  if (!latency.ok()) return latency.error();
  w.latency = std::move(latency).value();
  std::vector<std::uint32_t> zone_of;
  for (std::size_t i = 0; i < s.validators.size(); ++i) {
    const auto& v = s.validators[i];
    ValidatorSpec spec;
    spec.name = v.name;
    spec.group = v.group;
    auto z = w.latency.zone_index(v.zone);
    if (!z.ok()) return make_error("validator " + v.name + ": " + z.error().message);
    spec.zone = z.value();
    zone_of.push_back(spec.zone);
    spec.stake = v.stake;
    spec.key = chain.value().validators[i].key;
    spec.twinned = v.is_twin() || std::any_of(s.validators.begin(), s.validators.end(),
                                              [i](const ResolvedValidator& o) { return o.twin_of == i; });
    for (const auto& g : s.groups) {
      if (g.name != v.group) continue;
      spec.cpu_speed_permille = g.cpu_speed_permille;
      spec.uplink_bps = g.uplink_bps;
      spec.downlink_bps = g.downlink_bps;
      if (!g.byzantine) continue;
      auto byzantine = to_byzantine(*g.byzantine, s, seed);
      if (!byzantine.ok()) return make_error("group " + g.name + ": " + byzantine.error().message);
      spec.byzantine = std::move(byzantine).value();
    }
    w.validators.push_back(std::move(spec));
  }
  if (auto st = w.latency.assign_zones(std::move(zone_of)); !st.ok()) return st.error();
  w.loss = ppm_to_probability(s.network.loss);
  w.duplicate = ppm_to_probability(s.network.duplicate);
  w.reorder = ppm_to_probability(s.network.reorder);
  w.bandwidth_bits_per_s = s.network.bandwidth_bits_per_s;
  w.costs = s.costs;
  copy_chain(std::move(chain).value(), w);
  return w;
}

}  // namespace mt::sim
