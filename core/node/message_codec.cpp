#include "core/node/message_codec.hpp"

#include <fmt/format.h>
#include <xxhash.h>

#include <array>
#include <string>
#include <utility>

#include "core/crypto/hash.hpp"

namespace mt {

std::string_view msg_kind_name(MsgKind kind) {
  switch (kind) {
    case MsgKind::tx: return "tx";
    case MsgKind::proposal: return "proposal";
    case MsgKind::vote: return "vote";
    case MsgKind::evidence: return "evidence";
    case MsgKind::status: return "status";
    case MsgKind::block_request: return "block_request";
    case MsgKind::block_response: return "block_response";
    case MsgKind::gossip_batch: return "gossip_batch";
    case MsgKind::gossip_control: return "gossip_control";
  }
  return "unknown";
}

MsgKind kind_of(const Message& message) { return static_cast<MsgKind>(message.index() + 1); }

namespace {

struct Encoder {
  codec::Writer& w;
  void operator()(const TxPtr& tx) const {
    MT_ASSERT(tx != nullptr, "encoding a null transaction");
    w.raw(tx->encoded());
  }
  void operator()(const Proposal& p) const { p.encode(w); }
  void operator()(const Vote& v) const { v.encode(w); }
  void operator()(const Evidence& e) const { e.encode(w); }
  void operator()(const StatusMsg& s) const {
    w.u64(s.height);
    w.fixed(s.last_block_hash);
  }
  void operator()(const BlockRequestMsg& r) const {
    w.u64(r.from_height);
    w.u32(r.max_count);
  }
  void operator()(const BlockResponseMsg& r) const {
    MT_ASSERT(r.blocks.size() <= kMaxSyncBlocks, "response over kMaxSyncBlocks");
    w.list_len(r.blocks.size());
    for (const auto& sb : r.blocks) {
      MT_ASSERT(sb.block != nullptr, "encoding a null block");
      sb.block->encode(w);
      sb.commit.encode(w);
    }
  }
  void operator()(const GossipBatch& b) const {
    MT_ASSERT(!b.items.empty() && b.items.size() <= kMaxBatchItems, "gossip batch size out of range");
    w.list_len(b.items.size());
    for (const auto& item : b.items) {
      MT_ASSERT(item != nullptr && is_batchable(item->kind), "gossip batch item of a kind that is not batched");
      w.u8(static_cast<std::uint8_t>(item->kind));
      w.bytes(item->payload());
    }
  }
  void operator()(const GossipControl& c) const {
    MT_ASSERT(c.topic < kGossipTopics && c.ids.size() <= kMaxControlIds, "gossip control out of range");
    w.u8(static_cast<std::uint8_t>(c.type));
    w.u8(c.topic);
    w.list_len(c.ids.size());
    for (const auto& id : c.ids) w.fixed(id);
  }
};

StatusMsg decode_status(codec::Reader& r) {
  StatusMsg s;
  s.height = r.u64();
  s.last_block_hash = r.fixed<32>();
  return s;
}

BlockRequestMsg decode_request(codec::Reader& r) {
  BlockRequestMsg m;
  m.from_height = r.u64();
  m.max_count = r.u32();
  if (r.ok() && m.from_height == 0) r.fail("block request from height 0");
  if (r.ok() && (m.max_count == 0 || m.max_count > kMaxSyncBlocks)) {
    r.fail(fmt::format("block request count {} outside 1..{}", m.max_count, kMaxSyncBlocks));
  }
  return m;
}

// The smallest encoded (block, commit) pair is far above this; it only bounds a forged count.
constexpr std::size_t kMinSyncedBlockBytes = 64;

BlockResponseMsg decode_response(codec::Reader& r) {
  BlockResponseMsg m;
  const std::uint32_t n = r.list_len(kMaxSyncBlocks, kMinSyncedBlockBytes);
  m.blocks.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    auto block = std::make_shared<Block>(Block::decode(r));
    Commit commit = Commit::decode(r);
    if (!r.ok()) break;
    if (commit.height != block->header.height) {
      r.fail("commit height differs from its block's");
      break;
    }
    if (!m.blocks.empty() && m.blocks.back().block->header.height + 1 != block->header.height) {
      r.fail("response blocks are not consecutive");
      break;
    }
    m.blocks.push_back(SyncedBlock{std::move(block), std::move(commit)});
  }
  return m;
}

// kind (1 byte) + payload length (4 bytes): the least an item takes on the wire.
constexpr std::size_t kMinBatchItemBytes = 5;

GossipBatch decode_batch(codec::Reader& r) {
  GossipBatch b;
  const std::uint32_t n = r.list_len(kMaxBatchItems, kMinBatchItemBytes);
  if (r.ok() && n == 0) r.fail("empty gossip batch");
  b.items.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    const std::uint8_t kind = r.u8();
    if (r.ok() && (kind == 0 || kind > kMsgKindMax || !is_batchable(static_cast<MsgKind>(kind)))) {
      r.fail(fmt::format("gossip batch item of kind {} (only tx, vote, evidence)", kind));
      break;
    }
    Bytes payload = r.bytes(static_cast<std::uint32_t>(kMaxBatchBytes));
    if (!r.ok()) break;
    b.items.push_back(std::make_shared<WireMessage>(static_cast<MsgKind>(kind), std::move(payload)));
  }
  return b;
}

GossipControl decode_control(codec::Reader& r) {
  GossipControl c;
  const std::uint8_t type = r.u8();
  c.topic = r.u8();
  if (r.ok() && (type < 1 || type > 4)) r.fail(fmt::format("gossip control of unknown type {}", type));
  if (r.ok() && c.topic >= kGossipTopics) r.fail(fmt::format("gossip control of unknown topic {}", c.topic));
  if (!r.ok()) return c;
  c.type = static_cast<GossipControl::Type>(type);
  const bool carries_ids = c.type == GossipControl::Type::ihave || c.type == GossipControl::Type::iwant;
  const std::uint32_t n = r.list_len(carries_ids ? kMaxControlIds : 0, 32);
  if (r.ok() && carries_ids && n == 0) r.fail("gossip ihave / iwant without ids");
  c.ids.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) c.ids.push_back(r.fixed<32>());
  return c;
}

template <class T, class F>
Result<Message> decode_as(ByteView payload, F&& decode, std::string_view what) {
  auto r = codec::decode_all<T>(payload, std::forward<F>(decode), what);
  if (!r.ok()) return r.error();
  return Message(std::move(r).value());
}

}  // namespace

WirePtr encode_message(const Message& message) {
  codec::Writer w;
  std::visit(Encoder{w}, message);
  auto out = std::make_shared<WireMessage>(kind_of(message), w.take());
  MT_ASSERT(out->size_bytes() <= kMaxWirePayloadBytes + 1, "encoded message over kMaxWirePayloadBytes");
  return out;
}

Result<Message> decode_message(const WireMessage& wire) {
  if (wire.size_bytes() > kMaxWirePayloadBytes + 1) return make_error("message over kMaxWirePayloadBytes");
  const ByteView p = wire.payload();
  switch (wire.kind) {
    case MsgKind::tx: {
      auto tx = SignedTx::decode(p);
      if (!tx.ok()) return make_error("tx: " + tx.error().message);
      return Message(std::move(tx).value());
    }
    case MsgKind::proposal: {
      auto prop = Proposal::decode(p);
      if (!prop.ok()) return prop.error();
      return Message(std::move(prop).value());
    }
    case MsgKind::vote: return decode_as<Vote>(p, [](codec::Reader& r) { return Vote::decode(r); }, "vote");
    case MsgKind::evidence:
      return decode_as<Evidence>(p, [](codec::Reader& r) { return Evidence::decode(r); }, "evidence");
    case MsgKind::status: return decode_as<StatusMsg>(p, decode_status, "status");
    case MsgKind::block_request: return decode_as<BlockRequestMsg>(p, decode_request, "block request");
    case MsgKind::block_response: return decode_as<BlockResponseMsg>(p, decode_response, "block response");
    case MsgKind::gossip_batch: return decode_as<GossipBatch>(p, decode_batch, "gossip batch");
    case MsgKind::gossip_control: return decode_as<GossipControl>(p, decode_control, "gossip control");
  }
  return make_error(fmt::format("unknown message kind {}", static_cast<unsigned>(wire.kind)));
}

Hash32 message_id(const WireMessage& wire) {
  crypto::Hasher h("mt/wire");
  const std::uint8_t kind = static_cast<std::uint8_t>(wire.kind);
  h.update(ByteView(&kind, 1));
  h.update(wire.payload());
  return h.finish();
}

namespace {
// WireMemo::content_hash of a batch of `items`: XXH3, under its own seed, of the item count
// and each item's content hash (which covers the item's kind), all little-endian u64.
std::uint64_t batch_content_hash(const std::vector<WirePtr>& items) {
  constexpr std::uint64_t kBatchSeed = 0x6d7473696d626174ULL;  // "mtsimbat"
  std::array<std::uint8_t, 8 * (kMaxBatchItems + 1)> buf;
  std::size_t n = 0;
  const auto put = [&](std::uint64_t v) {
    for (int k = 0; k < 8; ++k) buf[n++] = static_cast<std::uint8_t>(v >> (8 * k));
  };
  put(items.size());
  for (const auto& item : items) put(item->memo().content_hash());
  return XXH3_64bits_withSeed(buf.data(), n, kBatchSeed);
}

// The canonical bytes of `batch`, `size` of them (make_gossip_batch counted them).
Bytes encode_batch(const GossipBatch& batch, std::size_t size) {
  codec::Writer w(size);
  Encoder{w}(batch);
  MT_ASSERT(w.data().size() == size, "gossip batch encoding of another size");
  return w.take();
}
}  // namespace

WirePtr make_gossip_batch(std::vector<WirePtr> items, bool memoise) {
  GossipBatch batch{std::move(items)};
  MT_ASSERT(!batch.items.empty() && batch.items.size() <= kMaxBatchItems, "gossip batch size out of range");
  std::size_t size = 4;  // the item count, then per item its kind, length prefix and payload
  for (const auto& item : batch.items) {
    MT_ASSERT(item != nullptr && is_batchable(item->kind), "gossip batch item of a kind that is not batched");
    size += 1 + 4 + (item->size_bytes() - 1);
  }
  MT_ASSERT(size <= kMaxWirePayloadBytes, "gossip batch over kMaxWirePayloadBytes");
  const std::uint64_t hash = batch_content_hash(batch.items);
  std::shared_ptr<WireMessage> out;
  if (memoise) {
    // With the memo, the bytes wait until someone reads them (wire.hpp).
    out = std::make_shared<WireMessage>();
    out->kind = MsgKind::gossip_batch;
    out->memo_.decoded_ =
        std::make_shared<const DecodeMemo>(DecodeMemo{.id = Hash32{}, .result = Message(std::move(batch))});
    out->defer_encoding(size);
  } else {
    out = std::make_shared<WireMessage>(MsgKind::gossip_batch, encode_batch(batch, size));
  }
  out->memo_.content_hash_ = hash;
  out->memo_.has_content_hash_ = true;
  return out;
}

std::uint64_t WireMemo::content_hash() const {
  if (!has_content_hash_) {
    const Bytes& bytes = message_->payload();
    content_hash_ = XXH3_64bits_withSeed(bytes.data(), bytes.size(), static_cast<std::uint64_t>(message_->kind));
    has_content_hash_ = true;
  }
  return content_hash_;
}

WireMessage::WireMessage(const WireMessage& other) : kind(other.kind), memo_(*this) {
  if (other.deferred_) {
    payload_ = encode_batch(std::get<GossipBatch>(other.memo_.decoded_->result.value()), other.deferred_size_);
  } else {
    payload_ = other.payload_;
  }
}

void WireMessage::defer_encoding(std::size_t size) {
  const DecodeMemo* decoded = memo_.decoded();
  MT_ASSERT(kind == MsgKind::gossip_batch && decoded != nullptr && decoded->result.ok() &&
                std::holds_alternative<GossipBatch>(decoded->result.value()),
            "only a gossip batch with its items can defer its encoding");
  payload_.clear();
  deferred_ = true;
  deferred_size_ = size;
}

void WireMessage::build_deferred() const {
  payload_ = encode_batch(std::get<GossipBatch>(memo_.decoded_->result.value()), deferred_size_);
  deferred_ = false;
}

std::shared_ptr<const DecodeMemo> decode_message_shared(const WireMessage& wire, bool memoise) {
  const WireMemo& memo = wire.memo();
  if (memoise && memo.decoded_ != nullptr) return memo.decoded_;
  const Hash32 id = is_gossiped(wire.kind) ? message_id(wire) : Hash32{};
  auto decoded = std::make_shared<const DecodeMemo>(DecodeMemo{.id = id, .result = decode_message(wire)});
  if (memoise) memo.decoded_ = decoded;
  return decoded;
}

const DecodeMemo& decode_message_ref(const WireMessage& wire, bool memoise, std::shared_ptr<const DecodeMemo>& keep) {
  if (memoise && wire.memo().decoded() != nullptr) return *wire.memo().decoded();
  keep = decode_message_shared(wire, memoise);
  return *keep;
}

}  // namespace mt
