// The chain both runtimes start from, derived from (scenario, seed) alone and without building a
// world: every validator's key, the genesis, the peer graph and the load (with its funded
// accounts). The simulator's world builder adds the network model to it; every testnet process
// derives the same one, so nodes and harness cannot disagree (the handshake's genesis hash would
// catch it if they did).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto/keys.hpp"
#include "core/state/genesis.hpp"
#include "core/state/state.hpp"
#include "core/util/result.hpp"
#include "sim/load/load_generator.hpp"
#include "sim/net/topology.hpp"
#include "sim/scenario/scenario.hpp"

namespace mt::sim {

struct ChainValidator {
  std::string name;    // "core[3]"
  std::string group;   // "core"
  Amount stake = 0;
  crypto::KeyPair key;
  bool at_genesis = true;
};

struct ChainSetup {
  std::uint64_t seed = 1;
  crypto::Backend backend = crypto::Backend::real;
  state::GenesisConfig genesis;             // params, validators' stake, funded accounts, subnets
  std::vector<ChainValidator> validators;   // node i runs validators[i]
  Topology peers;                           // who connects to whom (from the "topology" stream)
  TimeUs gossip_batch_us = 0;               // network.gossip_batch
  GossipParams gossip;                      // network.gossip (the seed is per node, set where nodes are built)
  std::vector<LoadSegment> load;
  Amount load_fee = 1;
  LoadKeys load_keys;                       // the load accounts' keys, derived once (null: no load)
  [[nodiscard]] const std::string& chain_id() const { return genesis.params.chain_id; }
};

Result<ChainSetup> make_chain_setup(const Scenario& scenario, std::uint64_t seed);

// The height-0 state of a setup and the hash block 1 names as its parent.
struct GenesisState {
  state::StatePtr state;
  Hash32 hash;
};
Result<GenesisState> make_genesis_state(const ChainSetup& setup);

// The key of a validator or a named genesis account: a pure function of (seed, role, name).
crypto::KeyPair derive_key(std::uint64_t seed, std::string_view role, std::string_view name);

}  // namespace mt::sim
