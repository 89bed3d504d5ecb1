// A fresh proposal is prevoted only if its block is stamped at most max_block_time_drift_ms ahead
// of the validator's clock; deciding, and prevoting a re-proposal backed by a polka, never read
// the clock, so a validator with a slow clock still follows what a quorum did.
#include <doctest/doctest.h>

#include <limits>

#include "consensus_fixture.hpp"

using namespace mt;
using namespace mt::test;

namespace {

constexpr std::uint64_t kMaxTime = std::numeric_limits<std::uint64_t>::max();

// The prevote validator `me` casts in round 0 on a fresh proposal stamped `stamp_ms`, at local
// time `now_ms`.
Hash32 prevote_on(std::uint64_t stamp_ms, std::uint64_t now_ms) {
  const std::size_t me = Validators(4).proposer_index(3);
  SingleNode t(me);
  t.host.now_us = ms(static_cast<std::int64_t>(now_ms));
  t.start();
  (void)t.propose(0, -1, make_block(1, stamp_ms));
  REQUIRE(t.host.votes.size() == 1);
  return t.host.votes[0].block_hash;
}

}  // namespace

TEST_CASE("a fresh proposal stamped beyond the allowed drift gets a nil prevote") {
  const std::uint64_t drift = Params{}.max_block_time_drift_ms;
  const std::uint64_t now = 60'000;
  CHECK(prevote_on(now + drift, now) == make_block(1, now + drift)->hash());
  CHECK(prevote_on(now + drift + 1, now).is_zero());
  CHECK(prevote_on(kMaxTime, now).is_zero());
  CHECK(prevote_on(kMaxTime, 0).is_zero());
  CHECK(prevote_on(1, now) == make_block(1, 1)->hash());  // the past is the state transition's business
}

TEST_CASE("a block stamped far ahead is still decided on a quorum of precommits and prevoted with its polka") {
  const std::size_t me = Validators(4).proposer_index(3);
  const BlockPtr ahead = make_block(1, kMaxTime);
  {
    SingleNode t(me);
    t.start();
    (void)t.propose(0, -1, ahead);
    for (std::size_t i : t.others()) (void)t.precommit(i, 0, ahead->hash());
    REQUIRE(t.host.decisions.size() == 1);
    CHECK(t.host.decisions[0].block->hash() == ahead->hash());
  }
  {
    // A polka in round 0 (which this validator did not see in time), re-proposed in round 1.
    SingleNode t(me);
    t.start();
    for (std::size_t i : t.others()) (void)t.prevote(i, 0, ahead->hash());
    for (std::size_t i : t.others()) (void)t.precommit(i, 0, Hash32{});
    t.node->on_timeout(1, 0, ConsensusStep::precommit);
    REQUIRE(t.node->round() == 1);
    t.host.votes.clear();
    (void)t.propose(1, 0, ahead);
    REQUIRE_FALSE(t.host.votes.empty());
    CHECK(t.host.votes[0].block_hash == ahead->hash());
  }
}
