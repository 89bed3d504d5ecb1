// Everything a Node is built from. Limits live here with a one-line reason each.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/crypto/keys.hpp"
#include "core/mempool/mempool.hpp"
#include "core/node/cpu_costs.hpp"
#include "core/node/gossip/gossip_params.hpp"
#include "core/state/genesis.hpp"
#include "core/state/state.hpp"
#include "core/state/transition_cache.hpp"
#include "core/util/time.hpp"

namespace mt {

struct NodeConfig {
  // The chain's genesis: a ready state (shared by every node of a process), or a config the node
  // builds it from when genesis_state is null.
  state::StatePtr genesis_state;
  state::GenesisConfig genesis;

  std::optional<crypto::KeyPair> key;  // a validator's key; nullopt: a full node that never signs
  crypto::Backend backend = crypto::Backend::real;
  MempoolLimits mempool;
  // Virtual CPU this node charges per operation (a simulation knob; a real runtime ignores it).
  CpuCosts costs;
  // Shared memo of the state transition (a simulation shortcut; pure, so it cannot change an
  // outcome). Null: every block is executed by this node. Must outlive the node.
  state::TransitionCache* transitions = nullptr;
  // Decode each shared WireMessage once for all receivers (pure; same outcome off or on).
  bool memoise_decode = true;
  // This node's entry in a shared message's seen marks (DecodeMemo::seen_marks), and how many
  // entries to make room for at once: the simulator numbers its nodes 0..n-1. Nodes that share
  // a slot only overwrite each other's marks (each mark names its set), so it is never unsound.
  std::uint32_t memo_slot = 0;
  std::uint32_t memo_slots = 1;

  std::uint64_t snapshot_interval_heights = 100;  // restart replays at most this many blocks
  // Blocks kept below the tip (pruned at each snapshot, never above the latest snapshot); bounds
  // a long simulation's memory. 0 keeps everything, so any peer can sync from genesis.
  std::uint64_t keep_heights = 0;
  TimeUs status_interval = sec(2);                // peers learn our height at least this often
  TimeUs sync_request_timeout = sec(2);           // then the request goes to another peer
  std::uint32_t sync_batch_blocks = 16;           // blocks per request (<= kMaxSyncBlocks)
  // A peer exactly one height ahead is normal (it committed first); only when we stay behind
  // that long do we fetch the block instead of waiting for consensus to hand it to us.
  TimeUs sync_lag_grace = sec(4);
  // Relayed tx / vote / evidence messages wait up to this long and go to each peer in one
  // gossip_batch frame, leaving out what that peer already sent us (as real gossip layers batch
  // and pace relays). 0 relays every message at once, on its own. What a node originates (its
  // votes, its clients' txs) and proposals always go at once.
  TimeUs gossip_batch_interval = 0;
  // The relay router: flood (every peer but the sender) or a gossipsub mesh (gossip/router.hpp).
  GossipParams gossip;
  // Message ids remembered for dedup (48 B each, ~0.2 MiB full). Gossip duplicates arrive within
  // the time a message takes to flood the network (well under a second); 4096 ids span seconds
  // even at 1,000 TPS plus 200 validators' votes. A message seen again after its id is forgotten
  // is caught by the mempool or consensus (known tx, known vote, stale height), just at a higher
  // cost. Per node, so it is a large share of a many-validator simulation's memory.
  std::size_t seen_capacity = 1u << 12;
  std::size_t max_pending_evidence = 256;         // far above what one block can slash
  // Emit the consensus steps and NodeStarted (events.hpp) for observers; off: none is built.
  bool emit_events = false;
  // Emit TxAdmitted, TxDropped and NodeStarted (the client view check); off: the mempool has no
  // drop observer and no event is built.
  bool emit_tx_events = false;
};

}  // namespace mt
