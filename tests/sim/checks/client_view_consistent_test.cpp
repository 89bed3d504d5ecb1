// client_view_consistent holds when every transaction is finalized once along the chain (other
// nodes re-reporting the same heights included) and every acknowledged one ends finalized, dropped
// with a true reason, lost at a restart or still held; it fires on a transaction replayed in a
// later block or repeated within one, on a mempool that silently forgot an acknowledged one, and
// on a drop that claims a nonce the chain never used.
#include <doctest/doctest.h>

#include <set>

#include "core/crypto/keys.hpp"
#include "sim/checks/client_view_consistent.hpp"
#include "tests/sim/checks/check_events.hpp"

using namespace mt;
using namespace mt::sim;
using namespace mt::sim::test;

namespace {
Event block(std::uint64_t height, std::vector<std::string> txs) {
  auto e = commit(height, "b" + std::to_string(height));
  for (const auto& t : txs) std::get<BlockCommitted>(e).tx_hashes.push_back(h(t));
  return e;
}

TxPtr client_tx(std::uint64_t nonce, Amount fee = 1) {
  static const crypto::KeyPair key = crypto::KeyPair::from_label("client");
  Transaction t;
  t.chain_id = "test";
  t.sender = key.public_key();
  t.nonce = nonce;
  t.fee = fee;
  t.payload = Transfer{key.public_key(), 1};
  t.sign(key, crypto::Backend::fast);
  return SignedTx::make(std::move(t));
}

// A finalized block carrying `txs` (hashes and the block itself, for the nonces).
Event block_of(std::uint64_t height, const std::vector<TxPtr>& txs) {
  auto e = commit(height, "b" + std::to_string(height));
  auto& c = std::get<BlockCommitted>(e);
  auto b = std::make_shared<Block>();
  for (const auto& tx : txs) {
    c.tx_hashes.push_back(tx->hash());
    b->txs.push_back(tx);
  }
  c.block = b;
  return e;
}

// A view whose "mempools" are a set of (node, tx hash) the test controls.
struct Mempools {
  std::set<std::pair<std::size_t, Hash32>> held;
  std::set<std::size_t> down;
  void attach(RunView& view) {
    view.mempool_holds = [this](std::size_t node, const SignedTx& tx) -> std::optional<bool> {
      if (down.contains(node)) return std::nullopt;
      return held.contains({node, tx.hash()});
    };
  }
};
}  // namespace

TEST_CASE("client_view_consistent holds when each transaction is finalized once") {
  auto view = make_view(3, 1);
  ClientViewConsistent check(view);
  for (std::size_t node = 0; node < 3; ++node) {
    check.on_event(node, 10, block(1, {"t1", "t2"}));
    check.on_event(node, 20, block(2, {"t3"}));
  }
  check.on_event(0, 30, block(3, {"t1"}));  // a byzantine node's report is not the chain
  CHECK_FALSE(check.failed());
  check.finish(40);
  CHECK(check.measured() == "3 transactions finalized once each over 2 heights");
}

TEST_CASE("client_view_consistent fires on a transaction finalized again in a later block") {
  auto view = make_view(3);
  ClientViewConsistent check(view);
  check.on_event(1, 10, block(1, {"t1", "t2"}));
  check.on_event(2, 20, block(2, {"t2"}));
  REQUIRE(check.failed());
  CHECK(check.violation()->detail.find("finalized twice: at height 1 and again at height 2") != std::string::npos);
  CHECK(check.violation()->detail.find("v[2]") != std::string::npos);
}

TEST_CASE("client_view_consistent fires on a transaction repeated within one block") {
  auto view = make_view(2);
  ClientViewConsistent check(view);
  check.on_event(0, 10, block(1, {"t1", "t1"}));
  CHECK(check.failed());
}

TEST_CASE("client_view_consistent holds when each acknowledged tx is finalized, dropped, lost at a restart or held") {
  auto view = make_view(3);
  Mempools pools;
  pools.attach(view);
  ClientViewConsistent check(view);
  auto t0 = client_tx(0), t1 = client_tx(1), t1_dearer = client_tx(1, 5), t2 = client_tx(2), t3 = client_tx(3);
  check.on_event(0, 10, TxAdmitted{t0});
  check.on_event(0, 10, TxAdmitted{t1});
  check.on_event(0, 11, TxAdmitted{t1_dearer});
  check.on_event(0, 11, TxDropped{t1->hash(), DropReason::replaced});
  check.on_event(1, 12, TxAdmitted{t2});
  check.on_event(1, 13, NodeStarted{});  // v[1] restarted: t2 went with its mempool
  check.on_event(2, 14, TxAdmitted{t3});
  pools.held.insert({2, t3->hash()});  // a gap (nonce 2 lost) holds t3
  check.on_event(0, 20, block_of(1, {t0, t1_dearer}));
  check.finish(30);
  CHECK_FALSE(check.failed());
  CHECK(check.measured() == "2 transactions finalized once each over 1 heights; 5 acknowledged: 2 finalized, "
                            "1 dropped with a reason, 1 lost at a restart, 0 lost with a node down at the end, 1 pending");
}

TEST_CASE("client_view_consistent fires on a mempool that silently forgets an acknowledged tx") {
  auto view = make_view(2);
  Mempools pools;
  pools.attach(view);
  ClientViewConsistent check(view);
  auto kept = client_tx(0), forgotten = client_tx(1);
  check.on_event(1, 10, TxAdmitted{kept});
  check.on_event(1, 11, TxAdmitted{forgotten});
  pools.held.insert({1, kept->hash()});  // the planted bug: the pool let go of `forgotten` and said nothing
  check.finish(50);
  REQUIRE(check.failed());
  CHECK(check.violation()->detail.find("acknowledged by v[1] at") != std::string::npos);
  CHECK(check.violation()->detail.find("was forgotten: not finalized, no drop reported") != std::string::npos);
  CHECK(check.violation()->detail.find(forgotten->hash().short_hex()) != std::string::npos);
}

TEST_CASE("client_view_consistent counts a tx pending at a node that is down at the end as lost, not failed") {
  auto view = make_view(2);
  Mempools pools;
  pools.attach(view);
  pools.down.insert(0);
  ClientViewConsistent check(view);
  check.on_event(0, 10, TxAdmitted{client_tx(0)});
  check.finish(50);
  CHECK_FALSE(check.failed());
  CHECK(check.measured().find("1 lost with a node down at the end") != std::string::npos);
}

TEST_CASE("client_view_consistent fires on a drop for a nonce the finalized chain never used") {
  auto view = make_view(2);
  ClientViewConsistent check(view);
  auto t0 = client_tx(0), t1 = client_tx(1);
  check.on_event(0, 10, TxAdmitted{t0});
  check.on_event(0, 10, TxAdmitted{t1});
  check.on_event(0, 20, block_of(1, {t0}));
  check.on_event(0, 21, TxDropped{t1->hash(), DropReason::stale_nonce});  // nonce 1 is the next, not stale
  check.finish(30);
  REQUIRE(check.failed());
  CHECK(check.violation()->detail.find("dropped as stale_nonce, but nonce 1 of its sender was never used") !=
        std::string::npos);
}

TEST_CASE("client_view_consistent ignores what byzantine nodes acknowledge and drops at other nodes") {
  auto view = make_view(3, 1);
  Mempools pools;
  pools.attach(view);
  ClientViewConsistent check(view);
  auto t0 = client_tx(0);
  check.on_event(0, 10, TxAdmitted{client_tx(5)});  // v[0] is byzantine: its word is not the client's view
  check.on_event(1, 10, TxAdmitted{t0});
  check.on_event(2, 11, TxDropped{t0->hash(), DropReason::evicted});  // another node's pool: not v[1]'s answer
  pools.held.insert({1, t0->hash()});
  check.finish(30);
  CHECK_FALSE(check.failed());
  CHECK(check.measured().ends_with("1 acknowledged: 0 finalized, 0 dropped with a reason, 0 lost at a restart, "
                                   "0 lost with a node down at the end, 1 pending"));
}
