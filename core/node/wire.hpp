// What crosses the network between nodes: a kind byte and the canonical encoding of one message.
// Messages are immutable and shared by pointer: the simulator hands the same object to every
// receiver (its bytes are what a real transport would send; its size is what links charge for).
// Receivers always decode strictly; garbage is dropped and counted, never trusted.
//
// Decoding is a pure function of (kind, payload), so the first receiver may memoise the result
// on the shared object (message_codec.hpp, decode_message_shared): later receivers reuse it. The
// memo is invisible to outcomes; NodeConfig::memoise_decode turns it off. With it on, a gossip
// batch is born with its memo and builds its bytes only if someone reads them (payload()).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "core/crypto/verifier.hpp"
#include "core/util/bytes.hpp"

namespace mt {

using PeerId = std::uint32_t;  // index of a node in its network (the world, or a testnet's peer table)

enum class MsgKind : std::uint8_t {
  tx = 1,
  proposal = 2,
  vote = 3,
  evidence = 4,
  status = 5,          // "my height is h": drives block sync
  block_request = 6,   // "send me blocks from h"
  block_response = 7,  // blocks with their commits
  gossip_batch = 8,    // relayed tx / vote / evidence messages sent to one peer together
  gossip_control = 9,  // the gossipsub router's GRAFT / PRUNE / IHAVE / IWANT (core/node/gossip)
};
inline constexpr std::uint8_t kMsgKindMax = 9;
// Gossiped kinds are deduplicated by message id and relayed; the others are point to point.
[[nodiscard]] constexpr bool is_gossiped(MsgKind kind) {
  return kind == MsgKind::tx || kind == MsgKind::proposal || kind == MsgKind::vote || kind == MsgKind::evidence;
}
// What a node may put in a gossip batch (proposals go out at once, on their own).
[[nodiscard]] constexpr bool is_batchable(MsgKind kind) {
  return kind == MsgKind::tx || kind == MsgKind::vote || kind == MsgKind::evidence;
}
std::string_view msg_kind_name(MsgKind kind);

struct DecodeMemo;  // message_codec.hpp: the strict decode result of one WireMessage

class WireMessage {
 public:
  WireMessage() = default;
  WireMessage(MsgKind k, Bytes payload) : kind(k), payload_(std::move(payload)) {}

  MsgKind kind = MsgKind::tx;

  // The canonical encoding. A gossip batch may defer it (defer_batch_encoding): its bytes are
  // built from its items on the first call, which in the simulator, with the decode memo on,
  // never comes: receivers take the memo, links charge size_bytes(), and the run digest takes
  // content_hash(), made from the items. The bytes are the same whenever they are built.
  [[nodiscard]] const Bytes& payload() const {
    if (deferred_from_ != nullptr) build_deferred();
    return payload_;
  }
  // For the code that builds a message: the bytes, built first if deferred. Forgets the content
  // hash, so finish building a message before anything hashes it.
  [[nodiscard]] Bytes& mutable_payload() {
    if (deferred_from_ != nullptr) build_deferred();
    has_content_hash_ = false;
    return payload_;
  }
  // A 64-bit hash of what this message carries, for the simulator's run digest: XXH3 of the
  // bytes, seeded with the kind; for a batch made by make_gossip_batch, XXH3 of its item count
  // and its items' content hashes, whether its bytes were deferred or built (so a batch's bytes
  // are never gathered or hashed for it, and each item is hashed once however many batches relay
  // it). Memoised.
  [[nodiscard]] std::uint64_t content_hash() const;
  [[nodiscard]] std::size_t size_bytes() const {
    return (deferred_from_ != nullptr ? deferred_size_ : payload_.size()) + 1;
  }
  // The memo whose GossipBatch items this message's encoding is still to be built from; null
  // once the bytes exist (or for any message that never deferred them).
  [[nodiscard]] const DecodeMemo* deferred_items() const { return deferred_from_.get(); }
  // make_gossip_batch: the encoding of `memo`'s batch is `size` bytes, built on first read.
  void defer_batch_encoding(std::shared_ptr<const DecodeMemo> memo, std::size_t size);

  // Filled by the first decode_message_shared() call; never part of the message's identity.
  mutable std::shared_ptr<const DecodeMemo> decode_memo{};
  // A verification memo for the one signature a receiver checks in this message (the vote's,
  // say): created on first use, shared by every receiver of this object. It keys on the exact
  // bytes checked (crypto/verifier.hpp), so it can never answer for another signature.
  mutable std::shared_ptr<crypto::VerifyMemo> verify_memo_{};
  [[nodiscard]] crypto::VerifyMemo& verify_memo() const {
    if (verify_memo_ == nullptr) verify_memo_ = std::make_shared<crypto::VerifyMemo>();
    return *verify_memo_;
  }

 private:
  void build_deferred() const;  // message_codec.cpp

  // Mutable so a deferred encoding can be built on a const (shared) message. One thread per
  // message, like the decode memo (the simulator and the testnet runtime run no threads).
  mutable Bytes payload_;
  mutable std::shared_ptr<const DecodeMemo> deferred_from_{};
  std::size_t deferred_size_ = 0;
  mutable std::uint64_t content_hash_ = 0;
  mutable bool has_content_hash_ = false;

  friend std::shared_ptr<const WireMessage> make_gossip_batch(std::vector<std::shared_ptr<const WireMessage>> items,
                                                              bool memoise);
};
using WirePtr = std::shared_ptr<const WireMessage>;

}  // namespace mt
