// Everything a World needs to exist, already resolved from a scenario: the validators with their
// keys, zones and stake, the genesis, the network, the load and the sharing switches.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/crypto/keys.hpp"
#include "core/node/cpu_costs.hpp"
#include "core/node/gossip/gossip_params.hpp"
#include "core/state/genesis.hpp"
#include "sim/engine/cpu_model.hpp"
#include "sim/load/load_generator.hpp"
#include "sim/net/latency_model.hpp"
#include "sim/net/topology.hpp"
#include "sim/scenario/behavior_registry.hpp"

namespace mt::sim {

// A byzantine behaviour wrapped around an honest node (sim/world/byzantine.hpp).
struct ByzantineSpec {
  ByzantineBehavior behavior = ByzantineBehavior::equivocate_vote;
  std::uint64_t from_height = 0;
  std::uint64_t until_height = 0;  // 0: forever
  TimeUs at_us = -1;               // alternatively a time window
  TimeUs duration_us = -1;
  TimeUs delay_us = 0;             // delay_votes{by}
  std::uint32_t fraction_bp = 0;   // censor{fraction}
  std::uint64_t rate_milli_per_s = 0;  // spam{rate}
  std::vector<std::size_t> targets;    // selective_gossip{to}: node indices
};

struct ValidatorSpec {
  std::string name;   // "core[3]"
  std::string group;  // "core"
  std::uint32_t zone = 0;
  Amount stake = 0;
  crypto::KeyPair key;
  std::optional<ByzantineSpec> byzantine;
  bool twinned = false;  // its key also runs on another node (a twin, or the twin's original)
  std::uint32_t cpu_speed_permille = 1000;  // of the machine the costs describe (cpu: {speed})
  std::uint64_t uplink_bps = 0;             // bits per second shared by all its outgoing links; 0: unlimited
  std::uint64_t downlink_bps = 0;           // the same for what it receives
};

struct WorldConfig {
  std::uint64_t seed = 1;
  crypto::Backend backend = crypto::Backend::real;
  state::GenesisConfig genesis;          // params, validators' stake, funded accounts
  std::vector<ValidatorSpec> validators;  // node i runs validators[i]
  Topology topology;
  LatencyModel latency;
  double loss = 0;                        // probability a message is dropped
  double duplicate = 0;                   // probability a message is delivered twice
  double reorder = 0;                     // probability a message may overtake (links are FIFO otherwise)
  std::uint64_t bandwidth_bits_per_s = 0; // 0: unlimited
  CpuCosts costs;                         // per-operation CPU charges of every node
  TimeUs gossip_batch_us = 0;             // NodeConfig::gossip_batch_interval of honest nodes
  GossipParams gossip;                    // NodeConfig::gossip of every node (flood unless set)
  std::vector<LoadSegment> load;
  Amount load_fee = 1;
  // The load accounts' keys, derived once by the world builder (null: the generator derives them).
  LoadKeys load_keys;
  // Simulation shortcuts. Each is a pure-function memo or a shared immutable value, so turning
  // it off must not change any outcome (tested: same digests).
  bool share_transitions = true;          // one TransitionCache for all nodes
  bool share_verification = true;         // one signature-verification cache for all nodes
  bool share_block_bytes = true;          // stores hold identical block bytes once (BlobPool)
  bool share_decode = true;               // a message is decoded once, by its first receiver (and a
                                          // gossip batch's bytes are built only if read)
  TimeUs metrics_bucket_us = kUsPerSec;
  // Nodes emit their consensus steps (core/consensus/consensus_events.hpp) for events.jsonl.
  // Observation only: the same run with it off or on has the same digest.
  bool emit_events = false;
  // Nodes report client txs they acknowledge and every mempool drop (TxAdmitted, TxDropped) and
  // their starts, for the client view check and events.jsonl. Observation only, like emit_events.
  bool emit_tx_events = false;
};

}  // namespace mt::sim
