// What a testnet node process is started with, and what it derives from it. The harness writes
// one launch file per node (JSON); mtnode reads it. The chain itself (genesis, keys, peer graph)
// is not in the file: every process derives it from the same scenario + seed with the run
// layer's chain setup, so nodes and harness cannot disagree on it (the handshake's genesis hash
// would catch it if they did).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/crypto/keys.hpp"
#include "core/state/genesis.hpp"
#include "core/state/state.hpp"
#include "core/util/result.hpp"
#include "sim/run/chain_setup.hpp"
#include "sim/scenario/scenario.hpp"

namespace mt::testnet {

struct NodeLaunch {
  std::string scenario_path;              // the scenario file as given to the harness
  std::vector<std::string> overrides;     // its --set overrides
  std::uint64_t seed = 1;
  std::uint32_t index = 0;                // this node's validator index
  std::string data_dir;                   // node.sqlite lives here
  std::int64_t epoch_ns = 0;              // CLOCK_MONOTONIC instant of testnet time 0
  std::string host = "127.0.0.1";
  std::vector<std::uint16_t> p2p_ports;   // one per node, by index
  std::vector<std::uint16_t> rpc_ports;   // one per node, by index
};

Status write_launch(const std::string& path, const NodeLaunch& launch);
Result<NodeLaunch> read_launch(const std::string& path);

// The chain every process of one testnet shares, derived from (scenario, seed) by the run layer
// (sim/run/chain_setup.hpp), with its genesis state.
struct TestnetChain {
  sim::ChainSetup setup;     // validators with keys, genesis config, peer graph, load
  state::StatePtr genesis;
  std::string chain_id;
  Hash32 genesis_hash;
};
Result<TestnetChain> build_testnet_chain(const sim::Scenario& scenario, std::uint64_t seed);

}  // namespace mt::testnet
