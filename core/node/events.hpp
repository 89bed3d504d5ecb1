// Observer events a node emits through Context::emit (STYLE.md 8: observers, not prints).
// Collectors in sim/ turn them into metrics, checks and reports. Small plain structs only.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include "core/chain/block.hpp"
#include "core/chain/vote.hpp"
#include "core/chain/transaction.hpp"
#include "core/consensus/consensus_events.hpp"
#include "core/mempool/drop_reason.hpp"
#include "core/util/amount.hpp"
#include "core/util/bytes.hpp"
#include "core/util/time.hpp"

namespace mt {

struct ProposalMade {
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  Hash32 block_hash;
  std::size_t tx_count = 0;
};

struct VoteCast {
  VoteType type = VoteType::prevote;
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  Hash32 block_hash;  // zero: nil
  std::int32_t locked_round = -1;  // the signer's lock when it voted (-1: not locked)
};

// A node finalized (committed) a block: the consensus decision, after the state transition.
struct BlockCommitted {
  std::uint64_t height = 0;
  std::uint32_t round = 0;      // round in which the block was decided
  Hash32 block_hash;
  Hash32 state_root;            // after executing the block
  Address proposer;
  std::uint64_t timestamp_ms = 0;
  std::vector<Hash32> tx_hashes;
  std::size_t evidence_count = 0;
  bool via_sync = false;        // learned through block sync rather than live consensus
  BlockPtr block;               // the committed block itself (shared, immutable): observers re-execute it
};

struct EvidenceFound {
  Address validator;
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  VoteType type = VoteType::prevote;
};

struct SlashApplied {
  Address validator;
  std::uint64_t height = 0;     // height of the block whose transition slashed
  bool double_sign = false;     // else downtime
  Amount amount = 0;
};

struct SyncStarted {
  std::uint64_t from_height = 0;
  std::uint64_t target_height = 0;
};
struct SyncFinished {
  std::uint64_t height = 0;
};

// A node (re)started and restored what it had made durable. Emitted only when events are on
// (NodeConfig::emit_events), like the consensus steps.
struct NodeStarted {
  std::uint64_t height = 0;           // the state's height after replaying stored blocks
  std::uint64_t blocks_replayed = 0;
  std::uint64_t record_height = 0;    // the consensus record's height (0: none)
  std::uint32_t record_round = 0;
  std::int32_t locked_round = -1;
  std::int32_t valid_round = -1;
  bool signing_disabled = false;      // the record did not check out: follows without signing
};

// A message from a peer failed decoding or validation and was dropped.
struct MessageRejected {
  std::uint8_t kind = 0;
  std::uint32_t from = 0;
};

// A client's transaction this node's mempool accepted (Node::on_transaction, accepted or
// replaced): the node's acknowledgement to the client. Txs admitted from peers are not reported.
// Emitted only when NodeConfig::emit_tx_events is on.
struct TxAdmitted {
  TxPtr tx;  // shared, immutable
};

// A pending transaction left this node's mempool other than by its own commit (every tx, whoever
// sent it). Emitted only when NodeConfig::emit_tx_events is on.
struct TxDropped {
  Hash32 tx_hash;
  DropReason reason = DropReason::evicted;
};

// ConsensusEvent (core/consensus/consensus_events.hpp) rides inside: observers that want the
// consensus steps look for it, the others never see it built.
using Event = std::variant<ProposalMade, VoteCast, BlockCommitted, EvidenceFound, SlashApplied, SyncStarted,
                           SyncFinished, MessageRejected, NodeStarted, TxAdmitted, TxDropped, ConsensusEvent>;

}  // namespace mt
