// The wire codec: every message kind round-trips, decoding is strict (garbage, truncation,
// trailing bytes, out-of-bound counts are errors), and memoising the decode on a shared message
// gives exactly the result a fresh decode gives.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>

#include "core/chain/block.hpp"
#include "core/crypto/hash.hpp"
#include "core/crypto/keys.hpp"
#include "core/node/message_codec.hpp"

using namespace mt;

namespace {

const char* kChain = "codec-test";

TxPtr make_tx(std::uint64_t nonce) {
  auto alice = crypto::KeyPair::from_label("alice");
  Transaction tx;
  tx.chain_id = kChain;
  tx.sender = alice.public_key();
  tx.nonce = nonce;
  tx.fee = 2;
  tx.payload = Transfer{crypto::KeyPair::from_label("bob").public_key(), 7};
  tx.sign(alice, crypto::Backend::fast);
  return SignedTx::make(tx);
}

Vote make_vote(const char* who, std::uint64_t height, std::uint8_t block_byte) {
  auto key = crypto::KeyPair::from_label(who);
  Vote v;
  v.type = VoteType::precommit;
  v.height = height;
  v.round = 1;
  v.block_hash.data[0] = block_byte;
  v.validator = key.public_key();
  v.sign(key, kChain, crypto::Backend::fast);
  return v;
}

BlockPtr make_block(std::uint64_t height) {
  auto b = std::make_shared<Block>();
  b->header.chain_id = kChain;
  b->header.height = height;
  b->header.timestamp_ms = 1000 * height;
  b->txs.push_back(make_tx(height));
  b->header.tx_root = b->compute_tx_root();
  return b;
}

Commit make_commit(const BlockPtr& b) {
  Commit c;
  c.height = b->header.height;
  c.round = 0;
  c.block_hash = b->hash();
  Vote v = make_vote("v1", c.height, 1);
  c.sigs.push_back(CommitSig{v.validator, v.signature});
  return c;
}

std::vector<Message> one_of_each() {
  auto key = crypto::KeyPair::from_label("v1");
  Proposal p;
  p.height = 3;
  p.round = 2;
  p.pol_round = 1;
  p.block = make_block(3);
  p.proposer = key.public_key();
  p.sign(key, kChain, crypto::Backend::fast);
  auto ev = DuplicateVoteEvidence::from_votes(make_vote("v2", 4, 1), make_vote("v2", 4, 2));
  REQUIRE(ev.has_value());
  BlockResponseMsg resp;
  for (std::uint64_t h = 5; h <= 7; ++h) {
    auto b = make_block(h);
    resp.blocks.push_back(SyncedBlock{b, make_commit(b)});
  }
  StatusMsg st{9, make_block(9)->hash()};
  GossipBatch batch{{encode_message(Message(make_tx(1))), encode_message(Message(make_vote("v3", 3, 5))),
                     encode_message(Message(*ev))}};
  GossipControl ihave{GossipControl::Type::ihave, 2, {st.last_block_hash, p.block_hash()}};
  return {Message(make_tx(0)), Message(p),          Message(make_vote("v1", 3, 5)), Message(*ev),
          Message(st),         Message(BlockRequestMsg{5, 3}), Message(resp), Message(batch), Message(ihave)};
}

Bytes reencode(const Message& m) { return encode_message(m)->payload(); }

}  // namespace

TEST_CASE("every message kind round-trips through the wire codec") {
  for (const auto& m : one_of_each()) {
    WirePtr wire = encode_message(m);
    CHECK(wire->kind == kind_of(m));
    CHECK(msg_kind_name(wire->kind) != "unknown");
    auto back = decode_message(*wire);
    REQUIRE_MESSAGE(back.ok(), back.error().message);
    CHECK(back.value().index() == m.index());
    CHECK(reencode(back.value()) == wire->payload());
  }
}

TEST_CASE("truncated, extended and kind-swapped messages are rejected without crashing") {
  for (const auto& m : one_of_each()) {
    WirePtr wire = encode_message(m);
    WireMessage cut{wire->kind, Bytes(wire->payload().begin(), wire->payload().end() - 1)};
    CHECK_FALSE(decode_message(cut).ok());
    WireMessage longer{wire->kind, wire->payload()};
    longer.mutable_payload().push_back(0);
    CHECK_FALSE(decode_message(longer).ok());
    WireMessage unknown{static_cast<MsgKind>(kMsgKindMax + 1), wire->payload()};
    CHECK_FALSE(decode_message(unknown).ok());
  }
  // Pseudo-random garbage of many lengths under every kind: errors, never crashes.
  Hash32 seed = crypto::blake2b256(as_bytes("garbage"));
  for (std::uint8_t kind = 0; kind <= kMsgKindMax + 1; ++kind) {
    for (std::size_t len = 0; len < 300; len += 7) {
      WireMessage g{static_cast<MsgKind>(kind), {}};
      for (std::size_t i = 0; i < len; ++i) {
        if (i % 32 == 0) seed = crypto::blake2b256(seed.view());
        g.mutable_payload().push_back(seed.data[i % 32]);
      }
      (void)decode_message(g);  // must return, whatever it says
    }
  }
}

TEST_CASE("block requests and responses enforce their bounds") {
  CHECK_FALSE(decode_message(*encode_message(Message(BlockRequestMsg{0, 3}))).ok());
  CHECK_FALSE(decode_message(*encode_message(Message(BlockRequestMsg{1, 0}))).ok());
  CHECK_FALSE(decode_message(*encode_message(Message(BlockRequestMsg{1, kMaxSyncBlocks + 1}))).ok());
  CHECK(decode_message(*encode_message(Message(BlockRequestMsg{1, kMaxSyncBlocks}))).ok());

  BlockResponseMsg gap;
  for (std::uint64_t h : {5u, 7u}) {
    auto b = make_block(h);
    gap.blocks.push_back(SyncedBlock{b, make_commit(b)});
  }
  CHECK_FALSE(decode_message(*encode_message(Message(gap))).ok());

  BlockResponseMsg wrong_commit;
  auto b = make_block(5);
  Commit c = make_commit(b);
  c.height = 6;
  wrong_commit.blocks.push_back(SyncedBlock{b, c});
  CHECK_FALSE(decode_message(*encode_message(Message(wrong_commit))).ok());

  // A forged element count far above the bound.
  codec::Writer w;
  w.u32(1u << 30);
  CHECK_FALSE(decode_message(WireMessage{MsgKind::block_response, w.take()}).ok());
}

TEST_CASE("a memoised decode equals a fresh decode, and a copied message never reuses the memo") {
  for (const auto& m : one_of_each()) {
    WirePtr wire = encode_message(m);
    auto fresh = decode_message_shared(*wire, false);
    CHECK(wire->memo().decoded() == nullptr);
    auto first = decode_message_shared(*wire, true);
    auto second = decode_message_shared(*wire, true);
    CHECK(first == second);  // the same memo object
    CHECK(first->id == fresh->id);
    // Only gossiped kinds are deduplicated, so only they pay for an id.
    CHECK(first->id == (is_gossiped(wire->kind) ? message_id(*wire) : Hash32{}));
    REQUIRE(first->result.ok());
    CHECK(reencode(first->result.value()) == reencode(fresh->result.value()));

    // A copy whose payload is then corrupted must be decoded afresh.
    auto copy = std::make_shared<WireMessage>(*wire);
    copy->mutable_payload().push_back(1);
    auto copied = decode_message_shared(*copy, true);
    CHECK_FALSE(copied->result.ok());
    if (is_gossiped(wire->kind)) CHECK(copied->id != first->id);
  }
}

TEST_CASE("a message's memo is shared by its receivers, empty in a copy, and emptied by a rewrite") {
  WirePtr wire = encode_message(Message(make_vote("v1", 3, 1)));
  const WireMemo& memo = wire->memo();
  CHECK(memo.decoded() == nullptr);
  CHECK(&memo.verify_memo() == &memo.verify_memo());  // made once, then the same for every receiver
  auto decoded = decode_message_shared(*wire, true);
  CHECK(memo.decoded() == decoded.get());
  CHECK(memo.decoded_shared() == decoded);
  const std::uint64_t hash = memo.content_hash();

  // A copy has the bytes and the hash's value, but none of the original's memo objects.
  WireMessage copy(*wire);
  CHECK(copy.payload() == wire->payload());
  CHECK(copy.memo().decoded() == nullptr);
  CHECK(&copy.memo().verify_memo() != &memo.verify_memo());
  CHECK(copy.memo().content_hash() == hash);

  // Rewriting the bytes forgets what was worked out from the old ones.
  copy.mutable_payload().push_back(0);
  CHECK(copy.memo().content_hash() != hash);
  auto again = decode_message_shared(copy, true);
  CHECK_FALSE(again->result.ok());
  CHECK(copy.memo().decoded() == again.get());
  (void)copy.mutable_payload();
  CHECK(copy.memo().decoded() == nullptr);
  CHECK(memo.decoded() == decoded.get());  // the original is untouched
}

TEST_CASE("a gossip batch carries its items' exact bytes, and its birth memo equals a fresh decode") {
  std::vector<WirePtr> items{encode_message(Message(make_tx(4))), encode_message(Message(make_vote("v1", 8, 2)))};
  WirePtr batch = make_gossip_batch(items, true);
  REQUIRE(batch->memo().decoded() != nullptr);
  const auto& memo_items = std::get<GossipBatch>(batch->memo().decoded()->result.value()).items;
  CHECK(memo_items[0] == items[0]);  // the very objects, with their own memos
  auto fresh = decode_message(*batch);
  REQUIRE(fresh.ok());
  const auto& fresh_items = std::get<GossipBatch>(fresh.value()).items;
  REQUIRE(fresh_items.size() == items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    CHECK(fresh_items[i]->kind == items[i]->kind);
    CHECK(fresh_items[i]->payload() == items[i]->payload());
    CHECK(message_id(*fresh_items[i]) == message_id(*items[i]));
  }
  CHECK(make_gossip_batch(items, false)->memo().decoded() == nullptr);
  CHECK(make_gossip_batch(items, false)->payload() == batch->payload());
}

TEST_CASE("a memoised gossip batch builds its bytes only when read, and they are the eager encoding") {
  std::vector<WirePtr> items{encode_message(Message(make_tx(4))), encode_message(Message(make_vote("v1", 8, 2))),
                             encode_message(Message(make_tx(5)))};
  const WirePtr eager = make_gossip_batch(items, false);
  CHECK_FALSE(eager->encoding_deferred());
  const WirePtr lazy = make_gossip_batch(items, true);
  REQUIRE(lazy->encoding_deferred());
  CHECK(lazy->size_bytes() == eager->size_bytes());
  // Its content hash is the eager batch's, and taking it builds nothing.
  CHECK(lazy->memo().content_hash() == eager->memo().content_hash());
  CHECK(lazy->encoding_deferred());
  // A copy made before the bytes exist builds the same bytes, and may then be changed alone.
  auto copy = std::make_shared<WireMessage>(*lazy);
  copy->mutable_payload().push_back(7);
  CHECK_FALSE(copy->encoding_deferred());
  CHECK(copy->payload().size() == eager->payload().size() + 1);
  CHECK(std::equal(eager->payload().begin(), eager->payload().end(), copy->payload().begin()));
  CHECK(lazy->encoding_deferred());
  // The first read builds them once; size and memo stay.
  CHECK(lazy->payload() == eager->payload());
  CHECK_FALSE(lazy->encoding_deferred());
  CHECK(lazy->size_bytes() == eager->size_bytes());
  REQUIRE(lazy->memo().decoded() != nullptr);
  CHECK(std::get<GossipBatch>(lazy->memo().decoded()->result.value()).items.size() == items.size());
  CHECK(lazy->memo().content_hash() == eager->memo().content_hash());
}

TEST_CASE("a gossip batch that is empty, nests, carries a proposal or forges its count is rejected") {
  auto item_bytes = [](std::uint8_t kind, const Bytes& payload) {
    codec::Writer w;
    w.list_len(1);
    w.u8(kind);
    w.bytes(payload);
    return w.take();
  };
  codec::Writer empty;
  empty.list_len(0);
  CHECK_FALSE(decode_message(WireMessage{MsgKind::gossip_batch, empty.take()}).ok());
  const WirePtr inner = make_gossip_batch({encode_message(Message(make_tx(1))), encode_message(Message(make_tx(2)))}, false);
  CHECK_FALSE(decode_message(WireMessage{MsgKind::gossip_batch, item_bytes(8, inner->payload())}).ok());
  const Message proposal = one_of_each()[1];
  const Bytes proposal_item = item_bytes(2, encode_message(proposal)->payload());
  CHECK_FALSE(decode_message(WireMessage{MsgKind::gossip_batch, proposal_item}).ok());
  CHECK_FALSE(decode_message(WireMessage{MsgKind::gossip_batch, item_bytes(0, {})}).ok());
  CHECK_FALSE(decode_message(WireMessage{MsgKind::gossip_batch, item_bytes(200, {})}).ok());
  codec::Writer forged;
  forged.u32(kMaxBatchItems + 1);
  CHECK_FALSE(decode_message(WireMessage{MsgKind::gossip_batch, forged.take()}).ok());
  // An item whose own bytes are garbage still makes a well-formed batch: the receiving node
  // decodes each item strictly and rejects that one (tests/core/node).
  auto garbage = decode_message(WireMessage{MsgKind::gossip_batch, item_bytes(3, Bytes{1, 2, 3})});
  REQUIRE(garbage.ok());
  CHECK_FALSE(decode_message(*std::get<GossipBatch>(garbage.value()).items[0]).ok());
}

TEST_CASE("gossip control messages keep to their types, topics and id counts") {
  const Hash32 id = crypto::blake2b256(as_bytes("id"));
  using T = GossipControl::Type;
  CHECK(decode_message(*encode_message(Message(GossipControl{T::graft, 3, {}}))).ok());
  CHECK(decode_message(*encode_message(Message(GossipControl{T::iwant, 0, {id}}))).ok());
  // A graft or prune carrying ids, an ihave or iwant carrying none.
  CHECK_FALSE(decode_message(*encode_message(Message(GossipControl{T::prune, 1, {id}}))).ok());
  CHECK_FALSE(decode_message(*encode_message(Message(GossipControl{T::ihave, 1, {}}))).ok());
  auto raw = [](std::uint8_t type, std::uint8_t topic, std::uint32_t count) {
    codec::Writer w;
    w.u8(type);
    w.u8(topic);
    w.u32(count);
    return WireMessage{MsgKind::gossip_control, w.take()};
  };
  CHECK_FALSE(decode_message(raw(0, 0, 0)).ok());                     // unknown type
  CHECK_FALSE(decode_message(raw(5, 0, 0)).ok());
  CHECK_FALSE(decode_message(raw(1, kGossipTopics, 0)).ok());         // unknown topic
  CHECK_FALSE(decode_message(raw(3, 0, kMaxControlIds + 1)).ok());   // over the cap
  CHECK_FALSE(decode_message(raw(3, 0, 1000)).ok());                  // a count the bytes do not hold
}
