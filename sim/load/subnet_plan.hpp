// The resolved plan of a scenario's `subnets:` section for one seed: every neuron's key, role
// and (for miners) hidden true quality, in uid order (validator groups first, then miners). The
// world builder turns it into genesis subnets and funded accounts, the load generator signs
// set_weights with its validators' keys, and the subnet checks and metrics read it back (which
// miner colluders favour, what the true qualities were).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/crypto/keys.hpp"
#include "core/state/genesis.hpp"
#include "sim/scenario/scenario.hpp"

namespace mt::sim {

inline constexpr std::uint16_t kFullWeight = 65535;

struct PlannedNeuron {
  crypto::KeyPair key;          // hotkey and owner
  bool validator = false;
  WeightBehavior behavior = WeightBehavior::honest;  // validators
  Amount stake = 0;
  std::uint16_t quality = 0;    // miners: hidden true quality in [1, 65535]
};

struct PlannedSubnet {
  std::string name;
  std::uint32_t netuid = 0;
  crypto::KeyPair owner;
  SubnetConfig config;                   // as the scenario resolved it
  std::vector<PlannedNeuron> neurons;    // uid order
  std::size_t validators = 0;            // uids [0, validators) validate
  std::optional<std::uint16_t> favoured_uid;  // the miner the colluders push (if any colluders)
  Amount colluding_stake = 0;
  Amount validator_stake = 0;            // every validator neuron's stake together
  [[nodiscard]] std::size_t miners() const { return neurons.size() - validators; }
};

struct SubnetPlan {
  std::vector<PlannedSubnet> subnets;

  // Deterministic in (scenario.subnets, seed).
  static SubnetPlan make(const Scenario& scenario, std::uint64_t seed);
  [[nodiscard]] std::vector<state::GenesisSubnet> genesis() const;
  // Every neuron's address (they pay fees for their weights), in plan order.
  [[nodiscard]] std::vector<Address> neuron_accounts() const;
  [[nodiscard]] bool empty() const { return subnets.empty(); }
};

}  // namespace mt::sim
