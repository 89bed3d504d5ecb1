// Transactions, votes, commits, evidence, blocks and validator sets: encoding round trips,
// signatures, and the stake-weighted proposer rotation.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "core/chain/block.hpp"
#include "core/chain/params.hpp"
#include "core/chain/transaction.hpp"
#include "core/chain/validator_set.hpp"
#include "core/chain/vote.hpp"
#include "core/crypto/hash.hpp"
#include "core/crypto/keys.hpp"

using namespace mt;

namespace {
Transaction make_transfer(const crypto::KeyPair& from, const Address& to, std::uint64_t nonce, Amount amount) {
  Transaction tx;
  tx.chain_id = "test";
  tx.sender = from.public_key();
  tx.nonce = nonce;
  tx.fee = 10;
  tx.payload = Transfer{to, amount};
  tx.sign(from, crypto::Backend::real);
  return tx;
}
}  // namespace

TEST_CASE("every transaction kind round-trips and its signature covers every field") {
  auto alice = crypto::KeyPair::from_label("alice");
  auto bob = crypto::KeyPair::from_label("bob");
  std::vector<TxPayload> payloads{Transfer{bob.public_key(), 5}, RegisterValidator{100}, Bond{7}, Unbond{3},
                                  Delegate{bob.public_key(), 9}, Undelegate{bob.public_key(), 1}, Unjail{}};
  crypto::Verifier verifier;
  for (const auto& p : payloads) {
    Transaction tx;
    tx.chain_id = "test";
    tx.sender = alice.public_key();
    tx.nonce = 42;
    tx.fee = 3;
    tx.payload = p;
    tx.sign(alice, crypto::Backend::real);
    auto stx = SignedTx::make(tx);
    auto back = SignedTx::decode(stx->encoded());
    REQUIRE(back.ok());
    CHECK(back.value()->tx() == tx);
    CHECK(back.value()->hash() == stx->hash());
    CHECK(stx->signature_valid(verifier));
    Transaction tampered = tx;
    tampered.nonce = 43;
    CHECK_FALSE(SignedTx::make(tampered)->signature_valid(verifier));
  }
}

TEST_CASE("a transaction with trailing bytes or an unknown kind is rejected") {
  auto alice = crypto::KeyPair::from_label("alice");
  auto stx = SignedTx::make(make_transfer(alice, alice.public_key(), 0, 1));
  Bytes bytes = stx->encoded();
  bytes.push_back(0);
  CHECK_FALSE(SignedTx::decode(bytes).ok());
  Bytes bad = stx->encoded();
  // The kind tag follows chain_id (4 + 4 bytes), sender (32), nonce (8) and fee (16).
  bad[4 + 4 + 32 + 8 + 16] = 99;
  auto r = SignedTx::decode(bad);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("unknown transaction kind") != std::string::npos);
}

TEST_CASE("validator set quorum is strictly more than the fraction") {
  auto vs = ValidatorSet::genesis({{crypto::KeyPair::from_label("a").public_key(), 1},
                                   {crypto::KeyPair::from_label("b").public_key(), 1},
                                   {crypto::KeyPair::from_label("c").public_key(), 1}});
  CHECK(vs.total_power() == 3);
  CHECK(vs.quorum_power(2, 3) == 3);  // 2 of 3 is not > 2/3
  CHECK_FALSE(vs.has_quorum(2, 2, 3));
  CHECK(vs.has_quorum(2, 1, 2));      // weak quorum: > 1/2
  CHECK(vs.exceeds_one_third(2));
  CHECK_FALSE(vs.exceeds_one_third(1));
}

TEST_CASE("validator lookup finds every member, even among addresses sharing their first 8 bytes") {
  // Lookups search an index of 8-byte address prefixes: members whose prefixes collide (and
  // absent addresses between them) must still resolve by the whole address.
  std::vector<std::pair<Address, std::uint64_t>> powers;
  std::vector<Address> absent;
  for (int i = 0; i < 40; ++i) {
    Address a = crypto::KeyPair::from_label("p" + std::to_string(i / 4)).public_key();
    a.data[31] = static_cast<std::uint8_t>(2 * (i % 4));  // four members per prefix
    powers.emplace_back(a, 1);
    a.data[31] = static_cast<std::uint8_t>(2 * (i % 4) + 1);
    absent.push_back(a);
  }
  for (const auto& vs : {ValidatorSet::genesis(powers), ValidatorSet::genesis(powers).with_powers({{powers[3].first, 9}})}) {
    REQUIRE(vs.size() == 40);
    for (const auto& [a, p] : powers) {
      const ValidatorEntry* e = vs.find(a);
      REQUIRE(e != nullptr);
      CHECK(e->address == a);
    }
    for (const auto& a : absent) CHECK(vs.find(a) == nullptr);
    codec::Writer w;
    vs.encode(w);
    codec::Reader r(w.data());
    const ValidatorSet back = ValidatorSet::decode(r);
    for (const auto& [a, p] : powers) CHECK(back.find(a) != nullptr);
    CHECK(back == vs);
  }
}

TEST_CASE("proposer rotation matches stake over many heights") {
  std::vector<std::pair<Address, std::uint64_t>> powers;
  for (int i = 0; i < 5; ++i) {
    powers.emplace_back(crypto::KeyPair::from_label("v" + std::to_string(i)).public_key(),
                        static_cast<std::uint64_t>(i + 1) * 10);
  }
  auto vs = ValidatorSet::genesis(powers);
  std::map<Address, int> count;
  const int heights = 1500;  // total power 150: ten full cycles
  for (int h = 0; h < heights; ++h) {
    count[vs.proposer()]++;
    vs = vs.advanced();
  }
  for (const auto& [a, p] : powers) CHECK(count[a] == static_cast<int>(p) * 10);
}

TEST_CASE("proposer for a later round differs and rotation survives an encode round trip") {
  std::vector<std::pair<Address, std::uint64_t>> powers;
  for (int i = 0; i < 4; ++i) powers.emplace_back(crypto::KeyPair::from_label("p" + std::to_string(i)).public_key(), 10);
  auto vs = ValidatorSet::genesis(powers);
  CHECK(vs.proposer_for_round(1) != vs.proposer());
  codec::Writer w;
  vs.encode(w);
  auto back = codec::decode_all<ValidatorSet>(w.data(), ValidatorSet::decode, "valset");
  REQUIRE(back.ok());
  CHECK(back.value() == vs);
  CHECK(back.value().advanced().proposer() == vs.advanced().proposer());
}

TEST_CASE("a newcomer joins with a low priority and does not propose immediately") {
  std::vector<std::pair<Address, std::uint64_t>> powers;
  for (int i = 0; i < 4; ++i) powers.emplace_back(crypto::KeyPair::from_label("q" + std::to_string(i)).public_key(), 10);
  auto vs = ValidatorSet::genesis(powers);
  auto joiner = crypto::KeyPair::from_label("joiner").public_key();
  auto next = vs.with_powers({{joiner, 100}});
  CHECK(next.size() == 5);
  CHECK(next.proposer() != joiner);
  auto removed = next.with_powers({{powers[0].first, 0}});
  CHECK(removed.find(powers[0].first) == nullptr);
}

TEST_CASE("commits verify only with a quorum of valid precommits from members") {
  std::vector<crypto::KeyPair> keys;
  std::vector<std::pair<Address, std::uint64_t>> powers;
  for (int i = 0; i < 4; ++i) {
    keys.push_back(crypto::KeyPair::from_label("c" + std::to_string(i)));
    powers.emplace_back(keys.back().public_key(), 10);
  }
  auto vs = ValidatorSet::genesis(powers);
  Params params;
  params.chain_id = "test";
  crypto::Verifier verifier;
  Hash32 block = crypto::tagged_hash("x", as_bytes("block"));
  std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.public_key() < b.public_key(); });
  Commit c;
  c.height = 5;
  c.round = 1;
  c.block_hash = block;
  for (int i = 0; i < 2; ++i) {
    Vote v{VoteType::precommit, 5, 1, block, keys[static_cast<std::size_t>(i)].public_key(), {}};
    v.sign(keys[static_cast<std::size_t>(i)], "test", crypto::Backend::real);
    c.sigs.push_back({v.validator, v.signature});
  }
  CHECK_FALSE(verify_commit(c, 5, block, vs, params, verifier).ok());  // 20 of 40: no quorum
  Vote v{VoteType::precommit, 5, 1, block, keys[2].public_key(), {}};
  v.sign(keys[2], "test", crypto::Backend::real);
  c.sigs.push_back({v.validator, v.signature});
  CHECK(verify_commit(c, 5, block, vs, params, verifier).ok());      // 30 of 40 > 2/3
  CHECK_FALSE(verify_commit(c, 6, block, vs, params, verifier).ok());
  auto forged = c;
  forged.sigs[1].signature.data[3] ^= 1;
  CHECK_FALSE(verify_commit(forged, 5, block, vs, params, verifier).ok());
  codec::Writer w;
  c.encode(w);
  auto back = codec::decode_all<Commit>(w.data(), Commit::decode, "commit");
  REQUIRE(back.ok());
  CHECK(back.value() == c);
}

TEST_CASE("duplicate-vote evidence is canonical and validated") {
  auto k = crypto::KeyPair::from_label("eq");
  Vote a{VoteType::prevote, 3, 0, crypto::tagged_hash("x", as_bytes("1")), k.public_key(), {}};
  Vote b = a;
  b.block_hash = crypto::tagged_hash("x", as_bytes("2"));
  a.sign(k, "test", crypto::Backend::real);
  b.sign(k, "test", crypto::Backend::real);
  auto e1 = DuplicateVoteEvidence::from_votes(a, b);
  auto e2 = DuplicateVoteEvidence::from_votes(b, a);
  REQUIRE(e1);
  REQUIRE(e2);
  CHECK(e1->hash() == e2->hash());
  crypto::Verifier v;
  CHECK(e1->validate("test", v).ok());
  CHECK_FALSE(DuplicateVoteEvidence::from_votes(a, a).has_value());
  auto bad = *e1;
  bad.b.round = 1;
  CHECK_FALSE(bad.validate("test", v).ok());
}

TEST_CASE("blocks round-trip and check_body catches a tampered body") {
  auto alice = crypto::KeyPair::from_label("alice");
  Params params;
  params.chain_id = "test";
  Block b;
  b.header.chain_id = "test";
  b.header.height = 1;
  b.header.timestamp_ms = 3000;
  for (std::uint64_t n = 0; n < 3; ++n) b.txs.push_back(SignedTx::make(make_transfer(alice, alice.public_key(), n, 1)));
  b.header.tx_root = b.compute_tx_root();
  b.header.evidence_root = b.compute_evidence_root();
  b.header.last_commit_hash = b.last_commit.hash();
  CHECK(b.check_body(params).ok());
  auto back = Block::decode(b.encode());
  REQUIRE(back.ok());
  CHECK(back.value().hash() == b.hash());
  CHECK(back.value().txs.size() == 3);
  auto tampered = b;
  tampered.txs.pop_back();
  CHECK_FALSE(tampered.check_body(params).ok());
  Bytes enc = b.encode();
  enc.pop_back();  // (resize(size - 1) trips a GCC 12 -Wstringop-overflow false positive at -O1)
  CHECK_FALSE(Block::decode(enc).ok());
}

TEST_CASE("params: unbonding covers the evidence window and an epoch; drift, block time and timeouts are bounded") {
  Params p;
  CHECK(p.validate().ok());
  p.unbonding_blocks = p.evidence_max_age_blocks - 1;
  CHECK_FALSE(p.validate().ok());
  p.evidence_max_age_blocks = 10;
  p.epoch_blocks = 10;
  p.unbonding_blocks = 10;
  CHECK(p.validate().ok());
  p.epoch_blocks = 11;
  CHECK_FALSE(p.validate().ok());
  p = Params{};
  p.max_block_time_drift_ms = 0;
  CHECK_FALSE(p.validate().ok());
  p.max_block_time_drift_ms = Params::kMaxBlockTimeDriftMs;
  CHECK(p.validate().ok());
  p.max_block_time_drift_ms = Params::kMaxBlockTimeDriftMs + 1;
  CHECK_FALSE(p.validate().ok());
  p = Params{};
  p.timeout_precommit_delta_ms = Params::kMaxDurationMs + 1;  // base + delta * round would overflow
  CHECK_FALSE(p.validate().ok());
  p = Params{};
  p.block_time_ms = Params::kMaxDurationMs;
  CHECK(p.validate().ok());
  // The drift is part of the encoding (and so of the state root).
  p.max_block_time_drift_ms = 1234;
  codec::Writer w;
  p.encode(w);
  codec::Reader r(w.data());
  CHECK(Params::decode(r).max_block_time_drift_ms == 1234);
}
