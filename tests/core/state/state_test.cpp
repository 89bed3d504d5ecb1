// The State on top of the map: genesis contents and errors, account proofs checked against the
// root, strict snapshots that round-trip, and the supply invariant.
#include <doctest/doctest.h>

#include "core/state/genesis.hpp"
#include "core/state/state.hpp"
#include "tests/core/state/chain_fixture.hpp"

using namespace mt;
using namespace mt::state;
using mt::state::testing::ChainFixture;

TEST_CASE("genesis holds the declared accounts, validators and supply, and the set that votes first") {
  ChainFixture c(4, 3);
  const State& s = *c.state;
  CHECK(s.height() == 0);
  CHECK(s.last_block_time_ms() == 1000);
  CHECK(s.last_block_hash() == genesis_hash(s.root(), "test"));
  CHECK(s.account(c.user_addr(0)).balance == 1'000'000);
  CHECK(s.account(c.val_addr(0)) == Account{});
  REQUIRE(s.validator(c.val_addr(1)).has_value());
  CHECK(s.validator(c.val_addr(1))->self_stake == 1'000'000);
  CHECK_FALSE(s.validator(c.user_addr(0)).has_value());
  CHECK(s.validator_set().size() == 4);
  CHECK(s.validator_set().total_power() == 4'000'000);
  CHECK(s.last_validator_set().empty());
  CHECK(s.genesis_supply() == 7'000'000);
  CHECK(s.validator_addresses().size() == 4);
  CHECK(check_supply(s).ok());
}

TEST_CASE("genesis rejects duplicates, zero stake, bad params and a chain without validators") {
  auto a = crypto::KeyPair::from_label("a").public_key();
  auto b = crypto::KeyPair::from_label("b").public_key();
  GenesisConfig ok;
  ok.params.chain_id = "test";
  ok.validators = {{a, 10}};
  ok.accounts = {{b, 5}};
  CHECK(make_genesis(ok).ok());
  auto dup_val = ok;
  dup_val.validators.push_back({a, 3});
  CHECK_FALSE(make_genesis(dup_val).ok());
  auto dup_acc = ok;
  dup_acc.accounts.push_back({b, 7});
  CHECK_FALSE(make_genesis(dup_acc).ok());
  auto zero = ok;
  zero.validators[0].stake = 0;
  CHECK_FALSE(make_genesis(zero).ok());
  auto none = ok;
  none.validators.clear();
  CHECK_FALSE(make_genesis(none).ok());
  auto bad_params = ok;
  bad_params.params.quorum_den = 0;
  CHECK_FALSE(make_genesis(bad_params).ok());
  // Same config, same root; any difference, another root.
  CHECK(make_genesis(ok).value()->root() == make_genesis(ok).value()->root());
  auto more = ok;
  more.accounts[0].balance = 6;
  CHECK(make_genesis(more).value()->root() != make_genesis(ok).value()->root());
}

TEST_CASE("an account proof verifies against the state root and fails against another root") {
  ChainFixture c(2, 5);
  const StatePtr g = c.state;
  c.advance({c.next_tx(c.user(0), Transfer{c.user_addr(1), 123})});
  const StatePtr s = c.state;
  for (std::size_t i = 0; i < 5; ++i) {
    auto acc = verify_account_proof(s->root(), c.user_addr(i), s->prove_account(c.user_addr(i)));
    REQUIRE(acc.ok());
    CHECK(acc.value() == s->account(c.user_addr(i)));
  }
  // An absent account is proven to be zero.
  const auto stranger = crypto::KeyPair::from_label("stranger").public_key();
  auto absent = verify_account_proof(s->root(), stranger, s->prove_account(stranger));
  REQUIRE(absent.ok());
  CHECK(absent.value() == Account{});
  // The changed account's new proof does not verify against the old root, nor for another address.
  CHECK_FALSE(verify_account_proof(g->root(), c.user_addr(0), s->prove_account(c.user_addr(0))).ok());
  CHECK_FALSE(verify_account_proof(s->root(), c.user_addr(2), s->prove_account(c.user_addr(0))).ok());
}

TEST_CASE("a snapshot round-trips to the same state and corrupt snapshots are rejected") {
  ChainFixture c(3, 4);
  for (int i = 0; i < 6; ++i) c.advance({c.next_tx(c.user(0), Transfer{c.user_addr(1), 5})});
  c.advance({c.next_tx(c.user(2), Unbond{1}), c.next_tx(c.user(3), Delegate{c.val_addr(0), 500})});
  const State& s = *c.state;
  const Bytes bytes = s.encode_snapshot();
  auto back = State::decode_snapshot(bytes);
  REQUIRE(back.ok());
  const State& t = *back.value();
  CHECK(t.root() == s.root());
  CHECK(t.last_block_hash() == s.last_block_hash());
  CHECK(t.height() == s.height());
  CHECK(t.validator_set() == s.validator_set());
  CHECK(t.last_validator_set() == s.last_validator_set());
  CHECK(t.account(c.user_addr(1)) == s.account(c.user_addr(1)));
  CHECK(t.delegation_shares(c.user_addr(3), c.val_addr(0)) == 500);
  CHECK(t.encode_snapshot() == bytes);

  Bytes trailing = bytes;
  trailing.push_back(0);
  CHECK_FALSE(State::decode_snapshot(trailing).ok());
  CHECK_FALSE(State::decode_snapshot(ByteView(bytes).first(bytes.size() - 1)).ok());
  CHECK_FALSE(State::decode_snapshot(Bytes{}).ok());
  // Flipping any byte of the records either fails to decode (key mismatch, bad payload, bad
  // order) or yields another root: a snapshot checked against a known root cannot be altered.
  std::size_t rejected = 0;
  for (std::size_t i = 44; i < bytes.size(); i += 7) {
    Bytes flipped = bytes;
    flipped[i] ^= 0x40;
    auto r = State::decode_snapshot(flipped);
    if (!r.ok()) {
      ++rejected;
    } else {
      CHECK(r.value()->root() != s.root());
    }
  }
  CHECK(rejected > 0);
}

TEST_CASE("check_supply reports a state whose counters do not match its holdings") {
  ChainFixture c(2, 2);
  c.advance({c.next_tx(c.user(0), Transfer{c.user_addr(1), 10})});
  CHECK(check_supply(*c.state).ok());
  CHECK(c.state->minted() == 1000);
  CHECK(c.state->burned() == 5);  // half of the 10 fee
}

TEST_CASE("account reads memoised on a shared state answer exactly, whatever the order and collisions") {
  // More accounts than the memo has entries, so addresses share entries and evict each other;
  // each answer must still be that account's own record (or the empty account).
  auto a = crypto::KeyPair::from_label("v").public_key();
  GenesisConfig config;
  config.params.chain_id = "test";
  config.validators = {{a, 10}};
  std::vector<Address> addrs;
  for (std::uint8_t i = 0; i < 12; ++i) {
    for (std::uint8_t j = 0; j < 250; ++j) {
      Address addr{};
      addr.data[0] = j;          // the memo's entry comes from the low bytes of the prefix...
      addr.data[7] = i;
      addr.data[31] = static_cast<std::uint8_t>(i ^ j);  // ...and the rest must be compared
      addrs.push_back(addr);
      config.accounts.push_back({addr, 1000 + 7 * static_cast<Amount>(addrs.size())});
    }
  }
  auto genesis = make_genesis(config);
  REQUIRE(genesis.ok());
  const State& s = *genesis.value();
  std::uint64_t x = 7;
  for (int step = 0; step < 20000; ++step) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const std::size_t k = (x >> 33) % (addrs.size() + 50);
    if (k < addrs.size()) {
      REQUIRE(s.account(addrs[k]).balance == 1000 + 7 * static_cast<Amount>(k + 1));
    } else {
      Address unknown{};
      unknown.data[0] = static_cast<std::uint8_t>(k);
      unknown.data[30] = 0xee;  // shares an entry with a funded account, is not one
      REQUIRE(s.account(unknown) == Account{});
    }
  }
}
