// Genesis: the state at height 0, built from a list of validators (stake bonded at genesis) and
// accounts (liquid balances). The genesis supply is their sum.
#pragma once

#include <string>
#include <vector>

#include "core/chain/params.hpp"
#include "core/state/state.hpp"

namespace mt::state {

struct GenesisValidator {
  Address address;
  Amount stake = 0;
};

struct GenesisAccount {
  Address address;
  Amount balance = 0;
};

struct GenesisNeuron {
  Address hotkey;
  Address owner;          // locks the stake (counted in the genesis supply) and receives emission
  std::string endpoint;
  Amount stake = 0;
};

// A subnet registered at genesis, exactly as create_subnet + register_neuron at height 0 would
// (uids in list order).
struct GenesisSubnet {
  Address owner;
  std::string name;
  Amount min_stake = 0;
  std::uint16_t max_neurons = 0;
  std::uint64_t tempo_blocks = 0;
  std::vector<GenesisNeuron> neurons;
};

struct GenesisConfig {
  Params params;
  std::uint64_t genesis_time_ms = 0;
  std::vector<GenesisValidator> validators;  // distinct addresses, stake > 0
  std::vector<GenesisAccount> accounts;      // distinct addresses
  std::vector<GenesisSubnet> subnets;        // netuids in list order
};

// The height-0 state. Its validator_set() (the top max_validators by stake, as in an epoch step)
// votes at height 1; last_validator_set() is empty; last_block_hash() is genesis_hash(). Errors on
// invalid params, duplicate addresses, zero stake, no active validator, or supply overflow.
Result<StatePtr> make_genesis(const GenesisConfig& config);

// The hash block 1 names as its parent: BLAKE2b-256("mt/genesis", chain id, genesis state root).
Hash32 genesis_hash(const Hash32& genesis_root, std::string_view chain_id);

}  // namespace mt::state
