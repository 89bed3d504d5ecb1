// The mempool: admission rules, per-sender nonce order, fee priority across senders, dedup,
// bounds with tail eviction, held nonce gaps, cleanup after a block, and determinism of select().
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>

#include "core/mempool/mempool.hpp"

using namespace mt;

namespace {

constexpr auto kBackend = crypto::Backend::fast;  // signatures are not what these tests check

struct Fixture {
  Params params;
  crypto::Verifier verifier{kBackend};
  std::map<Address, AccountView> accounts;  // absent: balance 0, nonce 0
  std::map<std::string, crypto::KeyPair> keys;

  Fixture() { params.chain_id = "test"; params.min_fee = 1; }

  const crypto::KeyPair& key(const std::string& label) {
    auto it = keys.find(label);
    if (it == keys.end()) {
      it = keys.emplace(label, crypto::KeyPair::from_label(label)).first;
      accounts[it->second.public_key()] = AccountView{1'000'000, 0};
    }
    return it->second;
  }
  Address addr(const std::string& label) { return key(label).public_key(); }

  TxPtr tx(const std::string& from, std::uint64_t nonce, Amount fee, Amount amount = 1) {
    Transaction t;
    t.chain_id = params.chain_id;
    t.sender = addr(from);
    t.nonce = nonce;
    t.fee = fee;
    t.payload = Transfer{addr("sink"), amount};
    t.sign(key(from), kBackend);
    return SignedTx::make(t);
  }

  AccountLookup lookup() {
    return [this](const Address& a) {
      auto it = accounts.find(a);
      return it == accounts.end() ? AccountView{} : it->second;
    };
  }
  Mempool pool(MempoolLimits limits = {}) { return Mempool(params, limits, verifier); }
};

std::vector<std::pair<Address, std::uint64_t>> slots(const std::vector<TxPtr>& txs) {
  std::vector<std::pair<Address, std::uint64_t>> out;
  for (const auto& t : txs) out.emplace_back(t->tx().sender, t->tx().nonce);
  return out;
}

}  // namespace

TEST_CASE("mempool: a sender's transactions are selected in nonce order whatever the arrival order") {
  Fixture f;
  auto m = f.pool();
  for (std::uint64_t n : {3u, 0u, 2u, 1u}) CHECK(m.add(f.tx("alice", n, 5 + n), f.lookup()) == Admission::accepted);
  auto picked = m.select(100, 1 << 20, f.lookup());
  REQUIRE(picked.size() == 4);
  for (std::uint64_t i = 0; i < 4; ++i) CHECK(picked[i]->tx().nonce == i);
  m.assert_invariants();
}

TEST_CASE("mempool: across senders the higher fee goes first, ties broken by sender address") {
  Fixture f;
  auto m = f.pool();
  REQUIRE(m.add(f.tx("low", 0, 2), f.lookup()) == Admission::accepted);
  REQUIRE(m.add(f.tx("high", 0, 9), f.lookup()) == Admission::accepted);
  REQUIRE(m.add(f.tx("tie1", 0, 5), f.lookup()) == Admission::accepted);
  REQUIRE(m.add(f.tx("tie2", 0, 5), f.lookup()) == Admission::accepted);
  auto picked = m.select(100, 1 << 20, f.lookup());
  REQUIRE(picked.size() == 4);
  CHECK(picked[0]->tx().sender == f.addr("high"));
  auto a = f.addr("tie1");
  auto b = f.addr("tie2");
  CHECK(picked[1]->tx().sender == std::min(a, b));
  CHECK(picked[2]->tx().sender == std::max(a, b));
  CHECK(picked[3]->tx().sender == f.addr("low"));
}

TEST_CASE("mempool: a high-fee tx waits behind its sender's lower nonces but interleaves with others") {
  Fixture f;
  auto m = f.pool();
  REQUIRE(m.add(f.tx("alice", 0, 1), f.lookup()) == Admission::accepted);
  REQUIRE(m.add(f.tx("alice", 1, 100), f.lookup()) == Admission::accepted);
  REQUIRE(m.add(f.tx("bob", 0, 50), f.lookup()) == Admission::accepted);
  auto picked = m.select(100, 1 << 20, f.lookup());
  auto alice = f.addr("alice");
  auto bob = f.addr("bob");
  CHECK(slots(picked) == std::vector<std::pair<Address, std::uint64_t>>{{bob, 0}, {alice, 0}, {alice, 1}});
  // With room for two, alice's nonce 1 cannot come without nonce 0.
  CHECK(slots(m.select(2, 1 << 20, f.lookup())) == std::vector<std::pair<Address, std::uint64_t>>{{bob, 0}, {alice, 0}});
}

TEST_CASE("mempool: the same transaction twice is a duplicate, and a same-nonce tx must pay strictly more") {
  Fixture f;
  auto m = f.pool();
  auto t = f.tx("alice", 0, 5);
  CHECK(m.add(t, f.lookup()) == Admission::accepted);
  CHECK(m.add(t, f.lookup()) == Admission::duplicate);
  CHECK(m.add(f.tx("alice", 0, 5, 2), f.lookup()) == Admission::nonce_taken);
  auto better = f.tx("alice", 0, 6, 2);
  CHECK(m.add(better, f.lookup()) == Admission::replaced);
  CHECK(m.size() == 1);
  CHECK(m.contains(*better));
  CHECK_FALSE(m.contains(*t));
  m.assert_invariants();
}

TEST_CASE("mempool: transactions that can never apply are rejected") {
  Fixture f;
  auto m = f.pool();
  f.accounts[f.addr("alice")].nonce = 5;
  CHECK(m.add(f.tx("alice", 4, 5), f.lookup()) == Admission::stale_nonce);
  CHECK(m.add(f.tx("alice", 5, 0), f.lookup()) == Admission::fee_too_low);

  Transaction other = f.tx("alice", 5, 5)->tx();
  other.chain_id = "other";
  other.sign(f.key("alice"), kBackend);
  CHECK(m.add(SignedTx::make(other), f.lookup()) == Admission::wrong_chain);

  Transaction forged = f.tx("alice", 5, 5)->tx();
  forged.fee = 6;  // signature no longer covers the fields
  CHECK(m.add(SignedTx::make(forged), f.lookup()) == Admission::bad_signature);

  f.params.max_tx_bytes = 100;  // smaller than any signed transfer
  auto strict = f.pool();
  CHECK(strict.add(f.tx("alice", 5, 5), f.lookup()) == Admission::oversize);

  CHECK(m.add(f.tx("alice", 5, 5, 2'000'000), f.lookup()) == Admission::insufficient_balance);
  CHECK(m.size() == 0);
}

TEST_CASE("mempool: a nonce gap is held but not selected until it is filled, and gaps are bounded") {
  Fixture f;
  MempoolLimits limits;
  limits.max_nonce_ahead = 4;
  limits.max_txs_per_sender = 3;
  auto m = f.pool(limits);
  CHECK(m.add(f.tx("alice", 2, 5), f.lookup()) == Admission::accepted);
  CHECK(m.add(f.tx("alice", 4, 5), f.lookup()) == Admission::nonce_too_far);
  CHECK(m.select(100, 1 << 20, f.lookup()).empty());
  CHECK(m.add(f.tx("alice", 0, 5), f.lookup()) == Admission::accepted);
  CHECK(m.select(100, 1 << 20, f.lookup()).size() == 1);  // nonce 0 only: 1 is missing
  CHECK(m.add(f.tx("alice", 3, 5), f.lookup()) == Admission::accepted);
  CHECK(m.add(f.tx("alice", 1, 5), f.lookup()) == Admission::sender_full);
  f.accounts[f.addr("alice")].nonce = 1;  // nonce 0 was committed by someone else's block
  m.update(f.lookup());
  CHECK(m.add(f.tx("alice", 1, 5), f.lookup()) == Admission::accepted);
  CHECK(slots(m.select(100, 1 << 20, f.lookup())).size() == 3);  // 1, 2, 3
  m.assert_invariants();
}

TEST_CASE("mempool: a full pool evicts the lowest-fee sender tail for a better payer, never an equal one") {
  Fixture f;
  MempoolLimits limits;
  limits.max_txs = 4;
  auto m = f.pool(limits);
  REQUIRE(m.add(f.tx("cheap", 0, 2), f.lookup()) == Admission::accepted);
  REQUIRE(m.add(f.tx("cheap", 1, 3), f.lookup()) == Admission::accepted);
  REQUIRE(m.add(f.tx("mid", 0, 5), f.lookup()) == Admission::accepted);
  REQUIRE(m.add(f.tx("rich", 0, 9), f.lookup()) == Admission::accepted);
  CHECK(m.add(f.tx("newcomer", 0, 3), f.lookup()) == Admission::pool_full);  // equal to the lowest tail
  CHECK(m.add(f.tx("newcomer", 0, 4), f.lookup()) == Admission::accepted);
  // cheap's tail (nonce 1, fee 3) went, its nonce 0 stayed: no hole in a sender's run.
  CHECK(slots(m.pending_of(f.addr("cheap"))) == std::vector<std::pair<Address, std::uint64_t>>{{f.addr("cheap"), 0}});
  CHECK(m.evicted_count() == 1);
  CHECK(m.size() == 4);
  m.assert_invariants();
}

TEST_CASE("mempool: the byte bound evicts several tails when one newcomer needs their room") {
  Fixture f;
  auto small = [&](const std::string& from, Amount fee) {
    Transaction t = f.tx(from, 0, fee)->tx();
    t.payload = Unjail{};  // the smallest payload
    t.sign(f.key(from), kBackend);
    return SignedTx::make(t);
  };
  auto probe_small = small("probe", 1);
  auto probe_big = f.tx("probe", 0, 1);
  REQUIRE(probe_big->size_bytes() > probe_small->size_bytes());
  MempoolLimits limits;
  limits.max_bytes = probe_small->size_bytes() * 3;
  auto m = f.pool(limits);
  REQUIRE(m.add(small("a", 2), f.lookup()) == Admission::accepted);
  REQUIRE(m.add(small("b", 3), f.lookup()) == Admission::accepted);
  REQUIRE(m.add(small("c", 7), f.lookup()) == Admission::accepted);
  CHECK(m.add(f.tx("d", 0, 3), f.lookup()) == Admission::pool_full);  // would have to evict b at an equal fee
  CHECK(m.size() == 3);
  CHECK(m.add(f.tx("d", 0, 5), f.lookup()) == Admission::accepted);
  CHECK(m.pending_of(f.addr("a")).empty());
  CHECK(m.pending_of(f.addr("b")).empty());
  CHECK(m.pending_of(f.addr("c")).size() == 1);
  CHECK(m.evicted_count() == 2);
  CHECK(m.size_bytes() <= limits.max_bytes);
  m.assert_invariants();
}

TEST_CASE("mempool: after a block, included and now-stale transactions are dropped") {
  Fixture f;
  auto m = f.pool();
  for (std::uint64_t n = 0; n < 3; ++n) REQUIRE(m.add(f.tx("alice", n, 5), f.lookup()) == Admission::accepted);
  REQUIRE(m.add(f.tx("bob", 0, 5), f.lookup()) == Admission::accepted);
  // A block carried alice's nonce 1 in a different tx (a replacement we never saw) and bob's tx.
  auto foreign = f.tx("alice", 1, 7, 3);
  m.remove_committed({foreign, m.pending_of(f.addr("bob"))[0]});
  CHECK(slots(m.pending_of(f.addr("alice"))) == std::vector<std::pair<Address, std::uint64_t>>{{f.addr("alice"), 2}});
  CHECK(m.pending_of(f.addr("bob")).empty());
  CHECK(m.sender_count() == 1);
  f.accounts[f.addr("alice")].nonce = 3;
  m.update(f.lookup());
  CHECK(m.size() == 0);
  CHECK(m.size_bytes() == 0);
  m.assert_invariants();
}

TEST_CASE("mempool: select respects max_txs, max_bytes and each sender's balance") {
  Fixture f;
  auto m = f.pool();
  for (int s = 0; s < 5; ++s) {
    for (std::uint64_t n = 0; n < 4; ++n) {
      REQUIRE(m.add(f.tx("s" + std::to_string(s), n, 10 + static_cast<unsigned>(s)), f.lookup()) == Admission::accepted);
    }
  }
  CHECK(m.select(7, 1 << 20, f.lookup()).size() == 7);
  std::size_t one = m.pending_of(f.addr("s0"))[0]->size_bytes();
  auto by_bytes = m.select(100, one * 5 + one / 2, f.lookup());
  CHECK(by_bytes.size() == 5);
  // A sender whose balance covers two transfers gets two in the block.
  f.accounts[f.addr("s4")].balance = 2 * (14 + 1);
  auto all = m.select(100, 1 << 20, f.lookup());
  CHECK(all.size() == 18);
}

TEST_CASE("mempool: select is deterministic and independent of arrival order") {
  auto build = [](bool reversed) {
    Fixture f;
    auto m = f.pool();
    std::vector<TxPtr> txs;
    for (int s = 0; s < 12; ++s) {
      for (std::uint64_t n = 0; n < 5; ++n) {
        txs.push_back(f.tx("user" + std::to_string(s), n, 1 + static_cast<unsigned>((s * 7 + static_cast<int>(n) * 3) % 5)));
      }
    }
    if (reversed) std::reverse(txs.begin(), txs.end());
    for (const auto& t : txs) REQUIRE(admitted(m.add(t, f.lookup())));
    std::vector<Hash32> out;
    for (const auto& t : m.select(40, 1 << 20, f.lookup())) out.push_back(t->hash());
    return out;
  };
  auto a = build(false);
  CHECK(a.size() == 40);
  CHECK(a == build(false));
  CHECK(a == build(true));
}

TEST_CASE("mempool: the tail index stays exact through random adds, replacements, evictions and blocks") {
  // Tail keys move only when a sender's highest-nonce fee changes; every other step leaves the
  // ordered index alone. assert_invariants checks each sender's tail is indexed, and nothing else.
  Fixture f;
  MempoolLimits limits;
  limits.max_txs = 40;
  auto m = f.pool(limits);
  std::uint64_t x = 12345;
  auto next = [&x] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return x >> 33;
  };
  std::size_t accepted = 0;
  for (int step = 0; step < 3000; ++step) {
    const std::string who = "s" + std::to_string(next() % 12);
    const Address a = f.addr(who);
    if (step % 500 == 499) {
      // A big block empties the pool: the index is dropped and must be rebuilt exactly.
      for (int s = 0; s < 12; ++s) {
        const Address b = f.addr("s" + std::to_string(s));
        const auto pending = m.pending_of(b);
        if (pending.empty()) continue;
        m.remove_committed({pending.back()});
        f.accounts[b].nonce = pending.back()->tx().nonce + 1;
      }
      CHECK(m.size() == 0);
    } else if (next() % 10 == 0) {
      // A block commits this sender's lowest pending nonce (or a foreign tx at its account nonce).
      const auto pending = m.pending_of(a);
      const std::uint64_t n = pending.empty() ? f.accounts[a].nonce : pending.front()->tx().nonce;
      m.remove_committed({f.tx(who, n, 1)});
      f.accounts[a].nonce = std::max(f.accounts[a].nonce, n + 1);
    } else {
      const std::uint64_t nonce = f.accounts[a].nonce + next() % 4;
      const Amount fee = 1 + static_cast<Amount>(next() % 5);  // same fees are common, some differ
      if (admitted(m.add(f.tx(who, nonce, fee), f.lookup()))) ++accepted;
    }
    m.assert_invariants();
  }
  CHECK(accepted > 500);
  CHECK(m.evicted_count() > 0);
  CHECK(m.tail_index_builds() >= 6);  // built when the pool first fills after each emptying
}

TEST_CASE("mempool: a pool that never fills never builds its eviction index") {
  Fixture f;
  auto m = f.pool();
  for (int i = 0; i < 50; ++i) {
    const auto tx = f.tx("s" + std::to_string(i % 7), static_cast<std::uint64_t>(i / 7), 2);
    CHECK(m.add(tx, f.lookup()) == Admission::accepted);
  }
  m.assert_invariants();
  CHECK(m.tail_index_builds() == 0);
}

TEST_CASE("mempools that check signatures through the tx's memo admit exactly what table lookups admit") {
  Fixture f;
  // Real signatures, so a forged one really fails.
  auto signed_by = [&](const std::string& from, const std::string& signer, std::uint64_t nonce) {
    Transaction t;
    t.chain_id = f.params.chain_id;
    t.sender = f.addr(from);
    t.nonce = nonce;
    t.fee = 2;
    t.payload = Transfer{f.addr("sink"), 1};
    t.signature = f.key(signer).sign(t.signing_hash().view(), crypto::Backend::real);
    return SignedTx::make(t);
  };
  crypto::Verifier shared(crypto::Backend::real);
  // Three "nodes" share the tx objects (as nodes share decoded txs); one checks without memos.
  Mempool memo_a(f.params, {}, shared, true);
  Mempool memo_b(f.params, {}, shared, true);
  Mempool plain(f.params, {}, shared, false);
  std::vector<TxPtr> txs;
  for (std::uint64_t n = 0; n < 6; ++n) {
    txs.push_back(signed_by("alice", "alice", n));
    txs.push_back(signed_by("bob", n % 2 == 0 ? "mallory" : "bob", n));  // every other one forged
  }
  int forged = 0;
  for (const auto& tx : txs) {
    const Admission a = memo_a.add(tx, f.lookup());
    CHECK(memo_b.add(tx, f.lookup()) == a);  // b's check is a memo hit on the same object
    CHECK(plain.add(tx, f.lookup()) == a);
    const bool genuine = tx->tx().sender == f.addr("alice") || tx->tx().nonce % 2 == 1;
    CHECK(a == (genuine ? Admission::accepted : Admission::bad_signature));  // bob's gaps are held
    if (!genuine) ++forged;
  }
  CHECK(forged == 3);
  CHECK(memo_a.size() == plain.size());
  CHECK(memo_b.size() == plain.size());
  // Each distinct signature was verified once; every other check was a hit (memo or table).
  CHECK(shared.misses() == txs.size());
  CHECK(shared.hits() == 2 * txs.size());
}

TEST_CASE("mempool: every tx that leaves other than by its own commit is reported with its reason") {
  Fixture f;
  MempoolLimits limits;
  limits.max_txs = 3;
  auto m = f.pool(limits);
  std::vector<std::pair<Hash32, DropReason>> drops;
  m.set_drop_observer([&](const SignedTx& tx, DropReason r) { drops.emplace_back(tx.hash(), r); });
  auto cheap = f.tx("alice", 0, 2);
  auto dearer = f.tx("alice", 0, 4);
  auto bob0 = f.tx("bob", 0, 3);
  auto bob1 = f.tx("bob", 1, 3);
  auto carol = f.tx("carol", 0, 9);
  REQUIRE(m.add(cheap, f.lookup()) == Admission::accepted);
  REQUIRE(m.add(dearer, f.lookup()) == Admission::replaced);
  REQUIRE(m.add(bob0, f.lookup()) == Admission::accepted);
  REQUIRE(m.add(bob1, f.lookup()) == Admission::accepted);
  REQUIRE(m.add(carol, f.lookup()) == Admission::accepted);  // full: bob's tail (nonce 1, fee 3) goes
  // A block with another tx at alice's nonce 0 and carol's own tx: alice's pending one is dropped,
  // carol's leaves by its commit (not a drop).
  m.remove_committed({f.tx("alice", 0, 7, 2), carol});
  f.accounts[f.addr("bob")].nonce = 1;  // bob's nonce 0 was used by a block we never saw
  m.update(f.lookup());
  CHECK(m.size() == 0);
  using D = DropReason;
  CHECK(drops == std::vector<std::pair<Hash32, DropReason>>{{cheap->hash(), D::replaced}, {bob1->hash(), D::evicted},
                                                            {dearer->hash(), D::nonce_used}, {bob0->hash(), D::stale_nonce}});
  m.assert_invariants();
}
