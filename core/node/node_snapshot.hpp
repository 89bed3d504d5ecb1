// A read-only copy of one Node's state at an instant, for inspection (mtsim inspect, tests): the
// chain state's height and root, the mempool, the peers, the validators with their stake and
// jail, and the consensus snapshot (consensus_snapshot.hpp). Reads accessors only.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/consensus/consensus_snapshot.hpp"
#include "core/node/node.hpp"

namespace mt {

struct ValidatorSnapshot {
  Address address;
  Amount bonded = 0;        // self stake + delegated
  std::uint64_t power = 0;  // in the active set (0: not in it)
  bool jailed = false;
  std::uint64_t jailed_until = 0;
  bool tombstoned = false;
};

struct NodeSnapshot {
  bool started = false;
  bool syncing = false;
  bool signing_disabled = false;
  std::uint64_t state_height = 0;
  Hash32 last_block_hash;
  Hash32 state_root;
  std::size_t mempool_txs = 0;
  std::size_t mempool_bytes = 0;
  std::size_t evidence_pending = 0;
  std::vector<PeerId> peers;
  std::vector<ValidatorSnapshot> validators;  // every known validator, in the state's order
  std::optional<ConsensusSnapshot> consensus;
};

NodeSnapshot snapshot_node(const Node& node);

}  // namespace mt
