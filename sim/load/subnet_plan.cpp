#include "sim/load/subnet_plan.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "sim/engine/streams.hpp"

namespace mt::sim {

namespace {

crypto::KeyPair neuron_key(std::uint64_t seed, const std::string& subnet, std::size_t i) {
  return crypto::KeyPair::from_label(fmt::format("mtsim/{}/neuron/{}/{}", seed, subnet, i));
}

PlannedSubnet plan_one(const SubnetConfig& cfg, std::uint32_t netuid, std::uint64_t seed, const Streams& streams) {
  PlannedSubnet p;
  p.name = cfg.name;
  p.netuid = netuid;
  p.config = cfg;
  p.owner = crypto::KeyPair::from_label(fmt::format("mtsim/{}/subnet-owner/{}", seed, cfg.name));
  std::size_t i = 0;
  for (const auto& g : cfg.validators) {
    for (std::size_t k = 0; k < g.count; ++k, ++i) {
      PlannedNeuron n{neuron_key(seed, cfg.name, i), true, g.behavior, g.stake, 0};
      p.validator_stake += g.stake;
      if (g.behavior == WeightBehavior::colluding) p.colluding_stake += g.stake;
      p.neurons.push_back(std::move(n));
    }
  }
  p.validators = i;
  Rng rng = streams.stream("subnet-quality/" + cfg.name);
  for (std::size_t m = 0; m < cfg.miners; ++m, ++i) {
    PlannedNeuron n{neuron_key(seed, cfg.name, i), false, WeightBehavior::honest, 0, 0};
    n.quality = static_cast<std::uint16_t>(1 + rng.uniform_u64(kFullWeight));
    p.neurons.push_back(std::move(n));
  }
  if (p.colluding_stake > 0 && cfg.miners > 0) {
    std::optional<std::size_t> favour;
    for (const auto& g : cfg.validators) {
      if (g.behavior == WeightBehavior::colluding && g.favour) favour = g.favour;
    }
    if (!favour) {  // default: the worst miner, which honest validators score lowest
      std::size_t worst = 0;
      for (std::size_t m = 1; m < cfg.miners; ++m) {
        if (p.neurons[p.validators + m].quality < p.neurons[p.validators + worst].quality) worst = m;
      }
      favour = worst;
    }
    p.favoured_uid = static_cast<std::uint16_t>(p.validators + *favour);
  }
  return p;
}

}  // namespace

SubnetPlan SubnetPlan::make(const Scenario& scenario, std::uint64_t seed) {
  SubnetPlan plan;
  Streams streams(seed);
  for (std::size_t i = 0; i < scenario.subnets.size(); ++i) {
    plan.subnets.push_back(plan_one(scenario.subnets[i], static_cast<std::uint32_t>(i), seed, streams));
  }
  return plan;
}

std::vector<state::GenesisSubnet> SubnetPlan::genesis() const {
  std::vector<state::GenesisSubnet> out;
  for (const auto& p : subnets) {
    state::GenesisSubnet g;
    g.owner = p.owner.public_key();
    g.name = p.name;
    g.min_stake = p.config.min_stake;
    g.max_neurons = p.config.max_neurons;
    g.tempo_blocks = p.config.tempo_blocks;
    for (std::size_t i = 0; i < p.neurons.size(); ++i) {
      const auto& n = p.neurons[i];
      g.neurons.push_back({n.key.public_key(), n.key.public_key(), fmt::format("sim:{}/{}", p.name, i), n.stake});
    }
    out.push_back(std::move(g));
  }
  return out;
}

std::vector<Address> SubnetPlan::neuron_accounts() const {
  std::vector<Address> out;
  for (const auto& p : subnets) {
    for (const auto& n : p.neurons) out.push_back(n.key.public_key());
  }
  return out;
}

}  // namespace mt::sim
