// Staking through blocks: double-sign slashing with tombstones, downtime jail and unjail, epoch
// rotation of the validator set, unbonding release, delegations slashed pro rata, and stake that
// began unbonding after an offence slashed when the evidence lands.
#include <doctest/doctest.h>

#include "tests/core/state/chain_fixture.hpp"

using namespace mt;
using namespace mt::state;
using mt::state::testing::ChainFixture;

namespace {

Evidence double_sign(const ChainFixture& c, std::size_t val, std::uint64_t height) {
  Vote a;
  a.type = VoteType::precommit;
  a.height = height;
  a.validator = c.val_addr(val);
  a.block_hash.data[0] = 1;
  Vote b = a;
  b.block_hash.data[0] = 2;
  a.sign(c.vals[val], "test", crypto::Backend::real);
  b.sign(c.vals[val], "test", crypto::Backend::real);
  return *DuplicateVoteEvidence::from_votes(a, b);
}

}  // namespace

TEST_CASE("double-sign evidence slashes 10%, jails, tombstones and removes the validator at once") {
  ChainFixture c(4, 1);
  c.advance();
  c.advance();
  const Address bad = c.val_addr(2);
  auto built = c.advance({}, {double_sign(c, 2, 1)});
  CHECK(built.block->evidence.size() == 1);
  auto v = c.state->validator(bad);
  REQUIRE(v.has_value());
  CHECK(v->self_stake == 900'000);
  CHECK(v->jailed);
  CHECK(v->tombstoned);
  CHECK(c.state->validator_set().find(bad) == nullptr);
  CHECK(c.state->validator_set().size() == 3);
  CHECK(c.state->burned() == 100'000);
  CHECK(check_supply(*c.state).ok());
  // The same evidence again is rejected by the producer and makes an imported block invalid.
  auto again = c.build({}, {double_sign(c, 2, 1)});
  REQUIRE(again.ok());
  CHECK(again.value().block->evidence.empty());
  CHECK(again.value().rejected_evidence.size() == 1);
  // Tombstoned validators cannot unjail, even after the jail period.
  for (int i = 0; i < 6; ++i) c.advance();
  auto unjail = c.build({c.tx(c.vals[2], Unjail{}, 0)});
  REQUIRE(unjail.ok());
  CHECK(unjail.value().block->txs.empty());
}

TEST_CASE("evidence older than evidence_max_age_blocks or from the future is rejected") {
  ChainFixture c(4, 1);
  for (int i = 0; i < 12; ++i) c.advance();
  auto built = c.build({}, {double_sign(c, 1, 1), double_sign(c, 1, 13)});
  REQUIRE(built.ok());
  CHECK(built.value().block->evidence.empty());
  CHECK(built.value().rejected_evidence.size() == 2);
}

TEST_CASE("a validator that misses most of a downtime window is slashed 1%, jailed, and can unjail later") {
  ChainFixture c(4, 1);
  const Address lazy = c.val_addr(3);
  auto skip_lazy = [&](const Address& a) { return a != lazy; };
  // Windows close when the commit for a multiple of 4 is applied; lazy signs nothing.
  for (int i = 0; i < 5 && !c.state->validator(lazy)->jailed; ++i) c.advance({}, {}, skip_lazy);
  auto v = c.state->validator(lazy);
  REQUIRE(v->jailed);
  CHECK_FALSE(v->tombstoned);
  CHECK(v->self_stake == 990'000);
  CHECK(c.state->validator_set().find(lazy) == nullptr);
  CHECK(check_supply(*c.state).ok());
  // Unjail is refused before jailed_until and accepted after.
  auto early = c.build({c.tx(c.vals[3], Unjail{}, 0)});
  REQUIRE(early.ok());
  CHECK(early.value().block->txs.empty());
  while (c.state->height() + 1 < v->jailed_until) c.advance();
  c.advance({c.tx(c.vals[3], Unjail{}, 0)});
  CHECK_FALSE(c.state->validator(lazy)->jailed);
  // It rejoins the set at the next epoch step.
  while (c.state->height() % c.state->params().epoch_blocks != 0) c.advance();
  CHECK(c.state->validator_set().find(lazy) != nullptr);
}

TEST_CASE("the epoch step picks the top max_validators by stake and only at epoch boundaries") {
  auto p = testing::small_params();
  p.max_validators = 3;
  ChainFixture c(3, 2, p, 1'000'000, 2'000'000);
  const Address newcomer = c.user_addr(0);
  c.advance({c.next_tx(c.user(0), RegisterValidator{500'000})});
  REQUIRE(c.state->validator(newcomer).has_value());
  CHECK(c.state->validator_set().find(newcomer) == nullptr);  // activation waits for the epoch
  c.advance({c.next_tx(c.user(0), Bond{400'000})});  // 900k: still below the others' 1M
  while (c.state->height() % 5 != 0) c.advance();
  CHECK(c.state->validator_set().find(newcomer) == nullptr);
  c.advance({c.next_tx(c.user(0), Bond{200'000})});  // 1.1M: now in the top three
  CHECK(c.state->validator_set().find(newcomer) == nullptr);
  while (c.state->height() % 5 != 0) c.advance();
  REQUIRE(c.state->validator_set().find(newcomer) != nullptr);
  CHECK(c.state->validator_set().size() == 3);
  CHECK(c.state->validator_set().find(newcomer)->power == 1'100'000);
  CHECK(check_supply(*c.state).ok());
}

TEST_CASE("unbonded stake is released to the balance after unbonding_blocks, not before") {
  ChainFixture c(3, 1);
  const auto v0 = c.val_addr(0);
  c.advance({c.tx(c.vals[0], Unbond{100'000}, 0, 0)});  // fee 0 is below min_fee: rejected
  CHECK(c.state->validator(v0)->self_stake == 1'000'000);
  // Pay the fee from a transfer first, then unbond.
  c.advance({c.next_tx(c.user(0), Transfer{v0, 1000})});
  c.advance({c.next_tx(c.vals[0], Unbond{100'000})});
  const auto unbond_height = c.state->height();
  const std::uint64_t delay = c.state->params().unbonding_blocks;
  CHECK(c.state->validator(v0)->self_stake == 900'000);
  CHECK(c.state->unbonding_at(unbond_height + delay).size() == 1);
  const Amount before = c.state->account(v0).balance;
  for (std::uint64_t i = 1; i < delay; ++i) c.advance();
  CHECK(c.state->account(v0).balance - before < 100'000);
  c.advance();
  CHECK(c.state->account(v0).balance - before >= 100'000);
  CHECK(c.state->unbonding_at(unbond_height + delay).empty());
  CHECK(check_supply(*c.state).ok());
}

TEST_CASE("stake unbonded after a double sign is still slashed when the evidence lands later") {
  ChainFixture c(4, 2);
  const auto v0 = c.val_addr(0);
  const auto val = c.val_addr(1);
  const std::uint64_t delay = c.state->params().unbonding_blocks;
  // Before the offence: user 0 undelegates from validator 1 (this stake is not at stake).
  c.advance({c.next_tx(c.user(0), Delegate{val, 100'000}), c.next_tx(c.user(1), Delegate{val, 300'000}),
             c.next_tx(c.user(0), Transfer{v0, 1000})});
  c.advance({c.next_tx(c.user(0), Undelegate{val, 50'000})});
  const std::uint64_t early = c.state->height();
  c.advance();
  const std::uint64_t offence = c.state->height();  // validator 1 double-signs here
  // After the offence, before any evidence: its delegator and another validator's owner leave.
  c.advance({c.next_tx(c.user(1), Undelegate{val, 300'000}), c.next_tx(c.vals[0], Unbond{100'000})});
  const std::uint64_t late = c.state->height();
  c.advance();
  c.advance({}, {double_sign(c, 1, offence)});
  CHECK(c.state->validator(val)->tombstoned);
  // 10% of the delegator's late unbonding is burned; the early one and validator 0's are untouched.
  const auto late_entries = c.state->unbonding_at(late + delay);
  REQUIRE(late_entries.size() == 2);
  for (const auto& e : late_entries) {
    if (e.validator == val) CHECK(e.amount == 270'000);
    if (e.validator == v0) CHECK(e.amount == 100'000);
  }
  REQUIRE(c.state->unbonding_at(early + delay).size() == 1);
  CHECK(c.state->unbonding_at(early + delay)[0].amount == 50'000);
  CHECK(check_supply(*c.state).ok());
  // Released as slashed.
  const Amount before = c.state->account(c.user_addr(1)).balance;
  while (c.state->height() < late + delay) c.advance();
  CHECK(c.state->account(c.user_addr(1)).balance - before == 270'000);
  CHECK(check_supply(*c.state).ok());
}

TEST_CASE("delegations are shares: slashing the validator slashes the delegator pro rata") {
  ChainFixture c(4, 2);
  const auto val = c.val_addr(1);
  c.advance({c.next_tx(c.user(0), Delegate{val, 100'000}), c.next_tx(c.user(1), Delegate{val, 300'000})});
  CHECK(c.state->delegation(c.user_addr(0), val) == 100'000);
  CHECK(c.state->validator(val)->delegated == 400'000);
  c.advance({}, {double_sign(c, 1, 1)});
  CHECK(c.state->delegation(c.user_addr(0), val) == 90'000);
  CHECK(c.state->delegation(c.user_addr(1), val) == 270'000);
  // Undelegating more than the shares are worth fails; their value succeeds and is released later.
  auto too_much = c.build({c.next_tx(c.user(0), Undelegate{val, 90'001})});
  REQUIRE(too_much.ok());
  CHECK(too_much.value().block->txs.empty());
  c.advance({c.next_tx(c.user(0), Undelegate{val, 90'000})});
  CHECK(c.state->delegation_shares(c.user_addr(0), val) == 0);
  CHECK(c.state->validator(val)->delegated == 270'000);
  for (std::uint64_t i = 0; i < c.state->params().unbonding_blocks; ++i) c.advance();
  CHECK(c.state->account(c.user_addr(0)).balance == 1'000'000 - 100'000 - 20 + 90'000);
  CHECK(check_supply(*c.state).ok());
}
