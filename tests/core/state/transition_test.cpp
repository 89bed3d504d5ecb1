// The state transition: build_block and apply_block agree; transfers, fees and rewards conserve
// supply over random sequences; replays, double spends and malformed blocks are rejected.
#include <doctest/doctest.h>

#include <map>

#include "core/crypto/hash.hpp"
#include "tests/core/state/chain_fixture.hpp"

using namespace mt;
using namespace mt::state;
using mt::state::testing::ChainFixture;

namespace {

std::uint64_t splitmix(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Re-seals a block after its body was edited, so only the edit itself can make it invalid.
Block resealed(Block b) {
  b.header.tx_root = b.compute_tx_root();
  b.header.evidence_root = b.compute_evidence_root();
  b.header.last_commit_hash = b.last_commit.hash();
  return b;
}

std::string error_of(const Result<StatePtr>& r) { return r.ok() ? std::string("ok") : r.error().message; }

}  // namespace

TEST_CASE("a transfer block moves balances, pays the proposer, burns half the fees and keeps supply") {
  ChainFixture c(3, 3);
  const Address proposer = c.state->validator_set().proposer();
  auto built = c.advance({c.next_tx(c.user(0), Transfer{c.user_addr(1), 250}, 0, 20),
                          c.next_tx(c.user(0), Transfer{c.user_addr(2), 50}, 1, 20)});
  CHECK(built.block->txs.size() == 2);
  CHECK(built.rejected_txs.empty());
  const State& s = *c.state;
  CHECK(s.height() == 1);
  CHECK(s.account(c.user_addr(0)) == Account{1'000'000 - 300 - 40, 2});
  CHECK(s.account(c.user_addr(1)).balance == 1'000'250);
  CHECK(s.account(c.user_addr(2)).balance == 1'000'050);
  CHECK(s.account(proposer).balance == 20 + 1000);  // fees minus the burnt half, plus the reward
  CHECK(s.burned() == 20);
  CHECK(s.minted() == 1000);
  CHECK(check_supply(s).ok());
  CHECK(s.last_validator_set().size() == 3);
}

TEST_CASE("supply is conserved and balances match a model over random transaction sequences") {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    ChainFixture c(3, 6, testing::small_params(), 1'000'000, 10'000);
    std::uint64_t rng = seed;
    std::map<Address, Amount> model;
    for (std::size_t i = 0; i < 6; ++i) model[c.user_addr(i)] = 10'000;
    for (int height = 0; height < 12; ++height) {
      std::vector<TxPtr> txs;
      std::map<std::size_t, std::uint64_t> next_nonce;
      for (int k = 0; k < 8; ++k) {
        const auto from = splitmix(rng) % 6;
        const auto to = splitmix(rng) % 6;
        const Amount amount = splitmix(rng) % 4000;  // sometimes more than the balance
        auto nonce = c.state->account(c.user_addr(from)).nonce + next_nonce[from];
        if (splitmix(rng) % 5 == 0) nonce += 1;  // a gap: can never apply in this block
        txs.push_back(c.tx(c.user(from), Transfer{c.user_addr(to), amount}, nonce, 10));
        ++next_nonce[from];
      }
      auto built = c.advance(txs);
      CHECK(built.block->txs.size() + built.rejected_txs.size() == txs.size());
      for (const auto& t : built.block->txs) {
        const auto& tr = std::get<Transfer>(t->tx().payload);
        model[t->tx().sender] -= tr.amount + 10;
        model[tr.to] += tr.amount;
      }
      for (std::size_t i = 0; i < 6; ++i) CHECK(c.state->account(c.user_addr(i)).balance == model[c.user_addr(i)]);
      REQUIRE_MESSAGE(check_supply(*c.state).ok(), check_supply(*c.state).error().message);
    }
  }
}

TEST_CASE("a replayed or double-spent transaction is rejected by the producer and the importer") {
  ChainFixture c(2, 3, testing::small_params(), 1'000'000, 1'000);
  auto t1 = c.next_tx(c.user(0), Transfer{c.user_addr(1), 900});
  auto t2 = c.next_tx(c.user(0), Transfer{c.user_addr(2), 900});  // same nonce, other recipient
  auto built = c.build({t1, t1, t2});
  REQUIRE(built.ok());
  CHECK(built.value().block->txs.size() == 1);
  CHECK(built.value().rejected_txs.size() == 2);
  // A block carrying both spends is invalid as a whole.
  Block both = *built.value().block;
  both.txs.push_back(t2);
  CHECK_FALSE(apply_block(c.state, resealed(both), c.verifier).ok());
  c.advance({t1});
  // Replaying t1 in a later block fails: its nonce is used.
  auto replay = c.build({t1});
  REQUIRE(replay.ok());
  CHECK(replay.value().block->txs.empty());
  Block forced = *replay.value().block;
  forced.txs.push_back(t1);
  CHECK(error_of(apply_block(c.state, resealed(forced), c.verifier)).find("nonce") != std::string::npos);
  CHECK_FALSE(check_tx(*c.state, *t1, c.verifier).ok());
  CHECK(c.state->account(c.user_addr(0)).balance == 1'000 - 910);
}

TEST_CASE("blocks with a wrong root, bad signature, wrong height or bad last commit are rejected") {
  ChainFixture c(4, 2);
  c.advance({c.next_tx(c.user(0), Transfer{c.user_addr(1), 1})});
  auto built = c.build({c.next_tx(c.user(0), Transfer{c.user_addr(1), 1})});
  REQUIRE(built.ok());
  const Block good = *built.value().block;
  REQUIRE(apply_block(c.state, good, c.verifier).ok());

  Block wrong_root = good;
  wrong_root.header.state_root.data[0] ^= 1;
  CHECK(error_of(apply_block(c.state, wrong_root, c.verifier)).find("state root") != std::string::npos);

  Transaction forged = good.txs[0]->tx();
  forged.signature.data[5] ^= 1;
  Block bad_sig = good;
  bad_sig.txs[0] = SignedTx::make(forged);
  CHECK(error_of(apply_block(c.state, resealed(bad_sig), c.verifier)).find("signature") != std::string::npos);

  Block wrong_height = good;
  wrong_height.header.height += 1;
  CHECK(error_of(apply_block(c.state, wrong_height, c.verifier)).find("height") != std::string::npos);

  Block wrong_parent = good;
  wrong_parent.header.parent_hash.data[0] ^= 1;
  CHECK_FALSE(apply_block(c.state, wrong_parent, c.verifier).ok());

  Block old_time = good;
  old_time.header.timestamp_ms = c.state->last_block_time_ms();
  CHECK_FALSE(apply_block(c.state, old_time, c.verifier).ok());

  Block stranger = good;
  stranger.header.proposer = c.user_addr(0);
  CHECK(error_of(apply_block(c.state, stranger, c.verifier)).find("proposer") != std::string::npos);

  Block tampered_body = good;  // body edited without resealing: roots no longer match
  tampered_body.txs.clear();
  CHECK_FALSE(apply_block(c.state, tampered_body, c.verifier).ok());

  // Two of four signatures is not a quorum; a forged one is not a signature.
  Block thin_commit = good;
  thin_commit.last_commit.sigs.resize(2);
  CHECK(error_of(apply_block(c.state, resealed(thin_commit), c.verifier)).find("last commit") != std::string::npos);
  Block forged_commit = good;
  forged_commit.last_commit.sigs[0].signature.data[0] ^= 1;
  CHECK(error_of(apply_block(c.state, resealed(forged_commit), c.verifier)).find("last commit") != std::string::npos);
  // The producer refuses the same bad commit.
  Commit bad = c.last_commit;
  bad.sigs.resize(2);
  CHECK_FALSE(build_block(c.state, c.next_header(), {}, {}, bad, c.verifier).ok());
}

TEST_CASE("check_tx admits future nonces but not used ones, low fees, unpaid fees or bad signatures") {
  ChainFixture c(2, 2, testing::small_params(), 1'000'000, 100);
  CHECK(check_tx(*c.state, *c.next_tx(c.user(0), Transfer{c.user_addr(1), 1}), c.verifier).ok());
  CHECK(check_tx(*c.state, *c.next_tx(c.user(0), Transfer{c.user_addr(1), 1}, 5), c.verifier).ok());
  CHECK_FALSE(check_tx(*c.state, *c.next_tx(c.user(0), Transfer{c.user_addr(1), 1}, 0, 0), c.verifier).ok());
  CHECK_FALSE(check_tx(*c.state, *c.next_tx(c.user(0), Transfer{c.user_addr(1), 1}, 0, 101), c.verifier).ok());
  Transaction t = c.next_tx(c.user(0), Transfer{c.user_addr(1), 1})->tx();
  t.signature.data[1] ^= 1;
  CHECK_FALSE(check_tx(*c.state, *SignedTx::make(t), c.verifier).ok());
  t = c.next_tx(c.user(0), Transfer{c.user_addr(1), 1})->tx();
  t.chain_id = "other";
  CHECK_FALSE(check_tx(*c.state, *SignedTx::make(t), c.verifier).ok());
}

TEST_CASE("the producer stops at max_block_txs and the block still applies") {
  auto p = testing::small_params();
  p.max_block_txs = 3;
  ChainFixture c(2, 1, p);
  std::vector<TxPtr> txs;
  for (std::uint64_t i = 0; i < 6; ++i) txs.push_back(c.next_tx(c.user(0), Transfer{c.val_addr(0), 1}, i));
  auto built = c.advance(txs);
  CHECK(built.block->txs.size() == 3);
  CHECK(c.state->account(c.user_addr(0)).nonce == 3);
}
