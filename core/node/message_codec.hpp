// The wire codec: one message type per MsgKind, encoded canonically (core/codec) and decoded
// strictly. The variant index + 1 is the MsgKind, so a message knows its own kind.
//
//   tx              SignedTx bytes
//   proposal        Proposal (with its full block)
//   vote            Vote
//   evidence        DuplicateVoteEvidence
//   status          height, hash of the last block             ("I am at height h")
//   block_request   from height, max count (1..kMaxSyncBlocks)  ("send me blocks from h")
//   block_response  consecutive blocks, each with the commit that finalized it
//   gossip_batch    1..kMaxBatchItems relayed messages, each (kind, length-prefixed payload);
//                   kinds tx, vote, evidence only (no nesting, no proposals)
//   gossip_control  type (graft, prune, ihave, iwant), topic (< kGossipTopics), message ids
//                   (none for graft / prune; 1..kMaxControlIds for ihave / iwant)
//
// Decoding checks structure only (lengths, tags, bounds, no trailing bytes, consecutive heights
// in a response); signatures, commits and state are checked by the node.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include "core/chain/block.hpp"
#include "core/chain/transaction.hpp"
#include "core/chain/vote.hpp"
#include "core/consensus/proposal.hpp"
#include "core/node/seen_set.hpp"
#include "core/node/wire.hpp"
#include "core/util/result.hpp"

namespace mt {

// Limits on what a peer can make us decode or send.
inline constexpr std::size_t kMaxWirePayloadBytes = 16u << 20;   // a full block (4 MiB txs) with headroom
inline constexpr std::uint32_t kMaxSyncBlocks = 64;              // blocks per request/response
inline constexpr std::size_t kMaxSyncResponseBytes = 8u << 20;   // a response stops growing past this
static_assert(kMaxSyncResponseBytes < kMaxWirePayloadBytes, "a full response must still decode");
inline constexpr std::uint32_t kMaxBatchItems = 4096;           // items per gossip batch
inline constexpr std::size_t kMaxBatchBytes = 1u << 20;          // a node flushes before a batch grows past this
static_assert(kMaxBatchBytes < kMaxWirePayloadBytes, "a full batch must still decode");

struct StatusMsg {
  std::uint64_t height = 0;  // last committed height
  Hash32 last_block_hash;
  bool operator==(const StatusMsg&) const = default;
};

struct BlockRequestMsg {
  std::uint64_t from_height = 0;  // >= 1
  std::uint32_t max_count = 0;    // 1..kMaxSyncBlocks
  bool operator==(const BlockRequestMsg&) const = default;
};

struct SyncedBlock {
  BlockPtr block;
  Commit commit;  // precommits finalizing block (height and hash match the block)
};

struct BlockResponseMsg {
  std::vector<SyncedBlock> blocks;  // consecutive heights, ascending; may be empty
};

// Relayed messages a node forwards to one peer in one frame (NodeConfig::gossip_batch_interval).
// Each item is a WireMessage of its own: the receiver handles it exactly as if it came alone.
struct GossipBatch {
  std::vector<WirePtr> items;
};

// The gossipsub router's control message (core/node/gossip/router.hpp). Topics are the gossiped
// kinds: tx, proposal, vote, evidence (MsgKind - 1).
inline constexpr std::uint8_t kGossipTopics = 4;
inline constexpr std::uint32_t kMaxControlIds = 4096;  // ids per IHAVE / IWANT (128 KiB)
struct GossipControl {
  enum class Type : std::uint8_t { graft = 1, prune = 2, ihave = 3, iwant = 4 };
  Type type = Type::graft;
  std::uint8_t topic = 0;
  std::vector<Hash32> ids;
  bool operator==(const GossipControl&) const = default;
};

using Message =
    std::variant<TxPtr, Proposal, Vote, Evidence, StatusMsg, BlockRequestMsg, BlockResponseMsg, GossipBatch,
                 GossipControl>;
static_assert(std::variant_size_v<Message> == kMsgKindMax, "one alternative per MsgKind");

[[nodiscard]] MsgKind kind_of(const Message& message);
[[nodiscard]] WirePtr encode_message(const Message& message);
// Strict decode of one message; an error for unknown kinds, bad bytes and broken bounds.
[[nodiscard]] Result<Message> decode_message(const WireMessage& wire);

// Message-level identity for gossip dedup: BLAKE2b-256 of (kind, payload).
[[nodiscard]] Hash32 message_id(const WireMessage& wire);

// A gossip_batch message holding `items` (1..kMaxBatchItems, batchable kinds). Its decode result
// is known at birth — the very items it was built from — so with `memoise` it carries that memo:
// every receiver shares the items, and with them each item's own memo (decode, id). The bytes are
// the canonical encoding either way, so a receiver that decodes them gets equal items.
[[nodiscard]] WirePtr make_gossip_batch(std::vector<WirePtr> items, bool memoise);

// The decode a shared WireMessage keeps in its memo (wire.hpp, WireMemo::decoded): its id
// (gossiped kinds only; zero for the rest, which are never deduplicated) and decode result.
struct DecodeMemo {
  // Receivers' SeenSet marks for this object, by NodeConfig::memo_slot (seen_set.hpp): a
  // duplicate receipt reads its node's entry here instead of the node's seen set. First, so a
  // duplicate touches one line of the memo.
  mutable std::vector<SeenMark> seen_marks{};
  Hash32 id;
  Result<Message> result;
};
// message_id + decode_message, memoised in the message's WireMemo when `memoise` is true (else
// computed afresh every call). The result is the same either way.
[[nodiscard]] std::shared_ptr<const DecodeMemo> decode_message_shared(const WireMessage& wire, bool memoise);
// The same, without taking a reference when the memo is already on the message (the message,
// which the caller holds, keeps it alive): `keep` holds a memo made by this call.
[[nodiscard]] const DecodeMemo& decode_message_ref(const WireMessage& wire, bool memoise,
                                                   std::shared_ptr<const DecodeMemo>& keep);

}  // namespace mt
