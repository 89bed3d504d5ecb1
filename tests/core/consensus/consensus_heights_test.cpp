// Consensus across heights: block pacing by the commit wait, messages for the next height kept
// until it starts, the next height started from inside decide(), and proposer rotation that
// follows stake over many heights; the last commit that late precommits still join.
#include <doctest/doctest.h>

#include <map>

#include "consensus_fixture.hpp"

using namespace mt;
using namespace mt::test;

namespace {
// Drives height 1 of `t` to a decision of a fresh block at time `decide_at`.
void decide_height_one(SingleNode& t, TimeUs decide_at) {
  const BlockPtr a = make_block(1, 1);
  (void)t.propose(0, -1, a);
  const auto o = t.others();
  for (std::size_t i : o) (void)t.prevote(i, 0, a->hash());
  t.host.now_us = decide_at;
  for (std::size_t i : o) (void)t.precommit(i, 0, a->hash());
  REQUIRE(t.host.decisions.size() == 1);
}

std::size_t non_proposer(const Validators& vals) {
  return (vals.proposer_index(0) + 1) % vals.size();
}
}  // namespace

TEST_CASE("the next height waits so that heights start one block time apart") {
  Validators vals(4);
  SingleNode t(non_proposer(vals));
  t.host.now_us = sec(10);
  t.start();  // round 0 of height 1 starts at 10 s
  decide_height_one(t, sec(11));
  t.node->start_height(2, vals.set().advanced());
  CHECK_FALSE(t.node->round_started());
  CHECK(t.node->step() == ConsensusStep::commit);
  const TimeoutCall* wait = t.host.last_timeout(ConsensusStep::commit);
  REQUIRE(wait != nullptr);
  CHECK(wait->height == 2);
  CHECK(wait->delay == sec(2));  // 10 s + 3 s block time - 11 s
  t.host.now_us = sec(13);
  t.node->on_timeout(2, 0, ConsensusStep::commit);
  CHECK(t.node->round_started());
  CHECK(t.node->round() == 0);
  CHECK(t.host.last_timeout(ConsensusStep::propose)->height == 2);
}

TEST_CASE("a height that took longer than the block time is followed at once") {
  Validators vals(4);
  SingleNode t(non_proposer(vals));
  t.start();
  decide_height_one(t, sec(5));
  t.node->start_height(2, vals.set().advanced());
  CHECK(t.node->round_started());
  CHECK(t.host.last_timeout(ConsensusStep::commit) == nullptr);
}

TEST_CASE("messages for the next height are buffered and count once it starts") {
  Validators vals(4);
  const ValidatorSet set2 = vals.set().advanced();
  const std::size_t proposer2 = vals.index_of(set2.proposer_for_round(0));
  std::size_t me = 0;
  while (me == proposer2 || me == vals.proposer_index(0)) ++me;
  SingleNode t(me);
  t.start();
  const BlockPtr next = make_block(2, 7);
  CHECK(t.node->on_proposal(vals.proposal(proposer2, 2, 0, -1, next)) == InputResult::buffered);
  std::vector<std::size_t> voters;
  for (std::size_t i : t.others()) {
    if (voters.size() < 2) voters.push_back(i);
  }
  for (std::size_t i : voters) {
    CHECK(t.node->on_vote(vals.vote(i, VoteType::prevote, 2, 0, next->hash())) == InputResult::buffered);
  }
  CHECK(t.node->on_vote(vals.vote(voters[0], VoteType::prevote, 3, 0, next->hash())) == InputResult::ahead);
  decide_height_one(t, sec(5));
  t.node->start_height(2, set2);
  // The buffered proposal got our prevote; with the two buffered prevotes that is a polka.
  std::size_t height2_prevotes = 0;
  for (const auto& v : t.host.votes_of(VoteType::prevote)) height2_prevotes += v.height == 2 ? 1 : 0;
  CHECK(height2_prevotes == 1);
  CHECK(t.node->locked_round() == 0);
  CHECK(t.node->locked_value()->hash() == next->hash());
}

TEST_CASE("decide may start the next height directly") {
  Validators vals(4);
  SingleNode t(non_proposer(vals));
  t.host.on_decide = [&](const Decision& d) { t.node->start_height(d.height + 1, vals.set().advanced()); };
  t.start();
  decide_height_one(t, sec(5));
  CHECK(t.node->height() == 2);
  CHECK_FALSE(t.node->decided());
  CHECK(t.node->round_started());
}

TEST_CASE("proposers rotate in proportion to stake over many heights") {
  Validators vals(4, {1, 2, 3, 4});
  SingleNode t(4, Params{}, ConsensusRecord{}, 4);  // a follower: it only reads the rotation
  ValidatorSet set = vals.set();
  std::map<Address, int> proposals;
  for (std::uint64_t h = 1; h <= 1000; ++h) {
    t.node->start_height(h, set);
    ++proposals[t.node->proposer_for(0)];
    set = set.advanced();
  }
  for (std::size_t i = 0; i < 4; ++i) {
    const int expected = 100 * static_cast<int>(i + 1);  // power i+1 of total 10, over 1000 heights
    CHECK(proposals[vals.addr(i)] >= expected - 2);
    CHECK(proposals[vals.addr(i)] <= expected + 2);
  }
  // Within one height, rounds rotate by stake too.
  std::map<Address, int> by_round;
  for (std::uint32_t r = 0; r < 100; ++r) ++by_round[t.node->proposer_for(r)];
  CHECK(by_round[vals.addr(3)] >= 38);
  CHECK(by_round[vals.addr(3)] <= 42);
}

TEST_CASE("the next-height buffer keeps only verified messages of members, a few per sender") {
  Validators vals(4);
  SingleNode t(non_proposer(vals));
  t.start();
  const BlockPtr next = make_block(2, 7);
  const std::size_t other = (t.me + 1) % 4;
  Vote forged = vals.vote(other, VoteType::prevote, 2, 0, next->hash());
  forged.signature.data[0] ^= 1;
  CHECK(t.node->on_vote(forged) == InputResult::rejected);
  Validators outsiders(6);
  CHECK(t.node->on_vote(outsiders.vote(5, VoteType::prevote, 2, 0, next->hash())) == InputResult::rejected);
  CHECK(t.node->on_proposal(outsiders.proposal(5, 2, 0, -1, next)) == InputResult::rejected);
  // One sender fills only its own share; the others still get in.
  for (std::uint32_t r = 0; r < Consensus::kMaxNextHeightVotesPerSender; ++r) {
    CHECK(t.node->on_vote(vals.vote(other, VoteType::prevote, 2, r, next->hash())) == InputResult::buffered);
  }
  CHECK(t.node->on_vote(vals.vote(other, VoteType::precommit, 2, 0, next->hash())) == InputResult::overflow);
  CHECK(t.node->on_vote(vals.vote((other + 1) % 4, VoteType::prevote, 2, 0, next->hash())) == InputResult::buffered);
  for (std::uint32_t r = 0; r < Consensus::kMaxNextHeightProposalsPerSender; ++r) {
    CHECK(t.node->on_proposal(vals.proposal(other, 2, r, -1, make_block(2, 10 + r))) == InputResult::buffered);
  }
  CHECK(t.node->on_proposal(vals.proposal(other, 2, 5, -1, make_block(2, 20))) == InputResult::overflow);
  CHECK(t.node->stats().next_height_dropped == 2);
  CHECK(t.node->stats().votes_rejected == 2);
}

TEST_CASE("precommits for the decided block that arrive after the decision join the last commit") {
  // Explore seed 110 (issue #18): with a whale deciding alone, the small validators' precommits
  // came after the quorum, the next block's last commit never held them, and honest validators
  // were slashed for downtime.
  Validators vals(4);
  SingleNode t(vals.proposer_index(0));  // proposes a and prevotes it
  t.start();
  CHECK_FALSE(t.node->last_commit().has_value());
  (void)t.propose(0, -1, make_block(1, 1));  // its own proposal, gossiped back: a duplicate
  REQUIRE(t.host.proposals.size() == 1);
  const Hash32 a = t.host.proposals[0].block_hash();
  const auto o = t.others();
  for (std::size_t i : o) (void)t.prevote(i, 0, a);
  (void)t.precommit(o[0], 0, a);
  (void)t.precommit(o[1], 0, a);  // with ours, 3 of 4: decided
  REQUIRE(t.host.decisions.size() == 1);
  CHECK(t.host.decisions[0].commit.sigs.size() == 3);
  t.node->start_height(2, vals.set().advanced());
  REQUIRE(t.node->last_commit().has_value());
  CHECK(t.node->last_commit()->sigs.size() == 3);
  // Not for the decided block or round: not taken.
  CHECK(t.precommit(o[2], 1, a) == InputResult::stale);
  CHECK(t.node->on_vote(vals.vote(o[2], VoteType::precommit, 1, 0, Hash32{})) == InputResult::stale);
  // The late one for the decided block is.
  CHECK(t.precommit(o[2], 0, a) == InputResult::accepted);
  CHECK(t.precommit(o[2], 0, a) == InputResult::duplicate);
  const std::optional<Commit> c = t.node->last_commit();
  REQUIRE(c.has_value());
  CHECK(c->sigs.size() == 4);
  CHECK(c->signed_by(vals.addr(o[2])));
  CHECK(verify_commit(*c, 1, a, vals.set(), Params{}, t.verifier).ok());
}
