// What crosses the network between nodes: a kind byte and the canonical encoding of one message.
// Messages are immutable and shared by pointer: the simulator hands the same object to every
// receiver (its bytes are what a real transport would send; its size is what links charge for).
// Receivers always decode strictly; garbage is dropped and counted, never trusted.
//
// What receivers may share about one message object (its decode, the verification of the
// signature it carries, its content hash) lives in one place, its WireMemo (memo()): each part
// is a pure function of (kind, bytes), made once and reused, so sharing it is invisible to
// outcomes. NodeConfig::memoise_decode turns the decode sharing off. With it on, a gossip batch
// is born with its decode and builds its bytes only if someone reads them (payload()).
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

struct DecodeMemo;  // message_codec.hpp: the strict decode result and message id of one WireMessage
class WireMessage;

// The shared analysis of one WireMessage object: what its receivers reuse instead of each
// computing it again.
//   decoded()       the strict decode and message id (message_codec.hpp, decode_message_shared),
//                   or null until a receiver that shares decodes (NodeConfig::memoise_decode)
//                   has decoded it; a memoised gossip batch is born with it
//   verify_memo()   the verification memo for the one signature a receiver checks in the message
//                   (a vote's); it keys on the exact bytes checked (crypto/verifier.hpp), so it
//                   can never answer for another signature
//   content_hash()  what the simulator's run digest folds in for the message
// Only the codec (message_codec.cpp) fills it. A copy of a message starts with an empty memo, and
// mutable_payload() empties it, so bytes that change never keep another's analysis. One thread
// per message (the simulator and the testnet runtime run none across messages).
class WireMemo {
 public:
  explicit WireMemo(const WireMessage& message) : message_(&message) {}
  WireMemo(const WireMemo&) = delete;
  WireMemo& operator=(const WireMemo&) = delete;

  [[nodiscard]] const DecodeMemo* decoded() const { return decoded_.get(); }
  // The same, for a receiver that keeps part of the decode alive (a vote set keeps the vote).
  [[nodiscard]] const std::shared_ptr<const DecodeMemo>& decoded_shared() const { return decoded_; }
  [[nodiscard]] crypto::VerifyMemo& verify_memo() const {
    if (verify_ == nullptr) verify_ = std::make_shared<crypto::VerifyMemo>();
    return *verify_;
  }
  // A 64-bit hash of what the message carries: XXH3 of the bytes, seeded with the kind; for a
  // batch made by make_gossip_batch, XXH3 of its item count and its items' content hashes,
  // whether its bytes were deferred or built (so a batch's bytes are never gathered or hashed
  // for it, and each item is hashed once however many batches relay it).
  [[nodiscard]] std::uint64_t content_hash() const;  // message_codec.cpp

 private:
  friend class WireMessage;
  friend std::shared_ptr<const DecodeMemo> decode_message_shared(const WireMessage& wire, bool memoise);
  friend std::shared_ptr<const WireMessage> make_gossip_batch(std::vector<std::shared_ptr<const WireMessage>> items,
                                                              bool memoise);

  void forget() {
    decoded_.reset();
    verify_.reset();
    has_content_hash_ = false;
  }

  // Mutable: receivers fill it on the shared, const message. decoded_ first: a batch's
  // duplicate items are read through it (core/node/node.cpp prefetches it).
  mutable std::shared_ptr<const DecodeMemo> decoded_{};
  const WireMessage* message_;
  mutable std::shared_ptr<crypto::VerifyMemo> verify_{};
  mutable std::uint64_t content_hash_ = 0;
  mutable bool has_content_hash_ = false;
};

class WireMessage {
 public:
  WireMessage() : memo_(*this) {}
  WireMessage(MsgKind k, Bytes payload) : kind(k), memo_(*this), payload_(std::move(payload)) {}
  // A copy carries the kind and the bytes (built for it if the original's are deferred; the
  // original stays as it is) and an empty memo.
  WireMessage(const WireMessage& other);  // message_codec.cpp
  WireMessage& operator=(const WireMessage&) = delete;

  MsgKind kind = MsgKind::tx;

  // The canonical encoding. A memoised gossip batch defers it: its bytes are built from its
  // decoded items on the first call, which in the simulator never comes: receivers take the
  // decode, links charge size_bytes(), and the run digest takes the content hash, made from the
  // items. The bytes are the same whenever they are built.
  [[nodiscard]] const Bytes& payload() const {
    if (deferred_) build_deferred();
    return payload_;
  }
  // For the code that builds a message: the bytes, built first if deferred. Empties the memo,
  // so finish building a message before anything decodes or hashes it.
  [[nodiscard]] Bytes& mutable_payload() {
    if (deferred_) build_deferred();
    memo_.forget();
    return payload_;
  }
  [[nodiscard]] std::size_t size_bytes() const { return (deferred_ ? deferred_size_ : payload_.size()) + 1; }
  // True while the bytes wait to be built (a memoised gossip batch nobody has read yet).
  [[nodiscard]] bool encoding_deferred() const { return deferred_; }

  // What receivers share about this object (above).
  [[nodiscard]] const WireMemo& memo() const { return memo_; }

 private:
  friend std::shared_ptr<const WireMessage> make_gossip_batch(std::vector<std::shared_ptr<const WireMessage>> items,
                                                              bool memoise);
  // make_gossip_batch: the encoding of the batch in the memo's decode is `size` bytes, built on
  // first read.
  void defer_encoding(std::size_t size);
  void build_deferred() const;  // message_codec.cpp

  WireMemo memo_;
  // Mutable so a deferred encoding can be built on a const (shared) message.
  mutable Bytes payload_;
  std::size_t deferred_size_ = 0;
  mutable bool deferred_ = false;
};
using WirePtr = std::shared_ptr<const WireMessage>;

}  // namespace mt
