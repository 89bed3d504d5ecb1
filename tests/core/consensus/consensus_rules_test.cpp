// The upon-rules of Algorithm 1 driven by scripted inputs against one validator with real keys:
// the happy path, timeouts and round changes, locking and unlocking, round skipping, and
// decisions in later rounds; what a stalled validator sends again.
#include <doctest/doctest.h>

#include <algorithm>

#include "consensus_fixture.hpp"

using namespace mt;
using namespace mt::test;

namespace {
// A validator that proposes none of rounds 0..2 at height 1 (with four equal validators).
std::size_t bystander() {
  Validators vals(4);
  const std::size_t me = vals.proposer_index(3);
  for (std::uint32_t r = 0; r < 3; ++r) REQUIRE(vals.proposer_index(r) != me);
  return me;
}
}  // namespace

TEST_CASE("with every message on time a validator decides the proposed block in round 0") {
  SingleNode t(bystander());
  t.start();
  CHECK(t.node->step() == ConsensusStep::propose);
  REQUIRE(t.host.last_timeout(ConsensusStep::propose) != nullptr);
  CHECK(t.host.last_timeout(ConsensusStep::propose)->delay == ms(3000));

  const BlockPtr block = make_block(1, 42);
  const Hash32 id = block->hash();
  CHECK(t.propose(0, -1, block) == InputResult::accepted);
  REQUIRE(t.host.votes_of(VoteType::prevote).size() == 1);
  CHECK(t.host.votes_of(VoteType::prevote)[0].block_hash == id);
  CHECK(t.node->step() == ConsensusStep::prevote);

  const auto o = t.others();
  CHECK(t.prevote(o[0], 0, id) == InputResult::accepted);
  CHECK(t.host.votes_of(VoteType::precommit).empty());  // 2 of 4 is no quorum
  CHECK(t.prevote(o[1], 0, id) == InputResult::accepted);
  REQUIRE(t.host.votes_of(VoteType::precommit).size() == 1);
  CHECK(t.host.votes_of(VoteType::precommit)[0].block_hash == id);
  CHECK(t.node->locked_round() == 0);
  CHECK(t.node->valid_round() == 0);
  CHECK(t.node->locked_value()->hash() == id);

  (void)t.precommit(o[0], 0, id);
  CHECK(t.host.decisions.empty());
  (void)t.precommit(o[1], 0, id);
  REQUIRE(t.host.decisions.size() == 1);
  const Decision& d = t.host.decisions[0];
  CHECK(d.height == 1);
  CHECK(d.round == 0);
  CHECK(d.block->hash() == id);
  CHECK(d.commit.sigs.size() == 3);
  CHECK(d.commit.signed_by(t.vals.addr(t.me)));
  CHECK(verify_commit(d.commit, 1, id, t.vals.set(), Params{}, t.verifier).ok());
  CHECK(t.node->decided());
  // The height is over: a late precommit for the decided block joins the next block's last
  // commit; anything else of the height is stale.
  CHECK(t.precommit(o[2], 0, id) == InputResult::accepted);
  CHECK(t.node->last_commit()->sigs.size() == 4);
  CHECK(t.prevote(o[2], 0, id) == InputResult::stale);
}

TEST_CASE("the proposer of round 0 proposes a fresh block and prevotes it at once") {
  Validators vals(4);
  SingleNode t(vals.proposer_index(0));
  t.start();
  REQUIRE(t.host.proposals.size() == 1);
  const Proposal& p = t.host.proposals[0];
  CHECK(p.height == 1);
  CHECK(p.round == 0);
  CHECK(p.pol_round == -1);
  CHECK(p.signature_valid(Params{}.chain_id, t.verifier));
  CHECK(t.host.persisted.front().signing.step == ConsensusStep::propose);
  REQUIRE(t.host.votes_of(VoteType::prevote).size() == 1);
  CHECK(t.host.votes_of(VoteType::prevote)[0].block_hash == p.block_hash());
}

TEST_CASE("a missing proposal leads through nil votes and timeouts to round 1 with the next proposer") {
  Validators vals(4);
  const std::size_t me = vals.proposer_index(1);
  REQUIRE(me != vals.proposer_index(0));
  SingleNode t(me);
  t.start();
  CHECK(t.host.proposals.empty());
  t.node->on_timeout(1, 0, ConsensusStep::propose);  // line 57
  REQUIRE(t.host.votes_of(VoteType::prevote).size() == 1);
  CHECK(t.host.votes_of(VoteType::prevote)[0].is_nil());

  const auto o = t.others();
  (void)t.prevote(o[0], 0, Hash32{});
  CHECK(t.host.last_timeout(ConsensusStep::prevote) == nullptr);
  (void)t.prevote(o[1], 0, Hash32{});
  // Line 34 scheduled the prevote timeout, and line 44 precommitted nil.
  REQUIRE(t.host.last_timeout(ConsensusStep::prevote) != nullptr);
  REQUIRE(t.host.votes_of(VoteType::precommit).size() == 1);
  CHECK(t.host.votes_of(VoteType::precommit)[0].is_nil());
  CHECK(t.node->step() == ConsensusStep::precommit);

  (void)t.precommit(o[0], 0, Hash32{});
  (void)t.precommit(o[1], 0, Hash32{});
  REQUIRE(t.host.last_timeout(ConsensusStep::precommit) != nullptr);  // line 47
  CHECK(t.host.last_timeout(ConsensusStep::precommit)->round == 0);
  CHECK(t.host.decisions.empty());

  t.node->on_timeout(1, 0, ConsensusStep::prevote);  // stale: already past prevote
  CHECK(t.host.votes_of(VoteType::precommit).size() == 1);
  t.node->on_timeout(1, 0, ConsensusStep::precommit);  // line 65
  CHECK(t.node->round() == 1);
  CHECK(t.node->proposer_for(1) != t.node->proposer_for(0));
  REQUIRE(t.host.proposals.size() == 1);  // our turn now
  CHECK(t.host.proposals[0].round == 1);
  CHECK(t.host.last_timeout(ConsensusStep::propose)->delay == ms(3500));
  // A proposal for round 1 from round 0's proposer is not accepted.
  Proposal wrong = vals.proposal(vals.proposer_index(0), 1, 1, -1, make_block(1, 9));
  CHECK(t.node->on_proposal(wrong) == InputResult::rejected);
}

TEST_CASE("a validator locked in round 0 prevotes nil on another block until a higher-round POL unlocks it") {
  SingleNode t(bystander());
  t.start();
  const auto o = t.others();
  const BlockPtr a = make_block(1, 1);
  const BlockPtr b = make_block(1, 2);
  (void)t.propose(0, -1, a);
  (void)t.prevote(o[0], 0, a->hash());
  (void)t.prevote(o[1], 0, a->hash());
  REQUIRE(t.node->locked_round() == 0);
  for (std::size_t i : o) (void)t.precommit(i, 0, Hash32{});
  t.node->on_timeout(1, 0, ConsensusStep::precommit);
  REQUIRE(t.node->round() == 1);

  // Round 1: a fresh proposal of another block. Locked on a, the validator prevotes nil.
  (void)t.propose(1, -1, b);
  REQUIRE(t.host.votes_of(VoteType::prevote).size() == 2);
  CHECK(t.host.votes_of(VoteType::prevote)[1].is_nil());
  CHECK(t.node->locked_value()->hash() == a->hash());
  for (std::size_t i : o) (void)t.precommit(i, 1, Hash32{});
  t.node->on_timeout(1, 1, ConsensusStep::precommit);
  REQUIRE(t.node->round() == 2);

  // Round 2: b again, claiming a POL in round 1. Without that POL the validator waits.
  (void)t.propose(2, 1, b);
  CHECK(t.host.votes_of(VoteType::prevote).size() == 2);
  CHECK(t.node->step() == ConsensusStep::propose);
  // The round-1 prevotes for b arrive: a POL newer than the lock (line 28) -> prevote b.
  (void)t.prevote(o[0], 1, b->hash());
  (void)t.prevote(o[1], 1, b->hash());
  CHECK(t.host.votes_of(VoteType::prevote).size() == 2);  // own nil + 2: not yet a quorum for b
  (void)t.prevote(o[2], 1, b->hash());
  REQUIRE(t.host.votes_of(VoteType::prevote).size() == 3);
  CHECK(t.host.votes_of(VoteType::prevote)[2].round == 2);
  CHECK(t.host.votes_of(VoteType::prevote)[2].block_hash == b->hash());
}

TEST_CASE("a locked validator prevotes nil when the claimed POL never arrives") {
  SingleNode t(bystander());
  t.start();
  const auto o = t.others();
  const BlockPtr a = make_block(1, 1);
  const BlockPtr b = make_block(1, 2);
  (void)t.propose(0, -1, a);
  (void)t.prevote(o[0], 0, a->hash());
  (void)t.prevote(o[1], 0, a->hash());
  for (std::size_t i : o) (void)t.precommit(i, 0, Hash32{});
  t.node->on_timeout(1, 0, ConsensusStep::precommit);
  (void)t.propose(1, 0, b);  // claims a POL for b in round 0, where a had the polka
  CHECK(t.node->step() == ConsensusStep::propose);
  t.node->on_timeout(1, 1, ConsensusStep::propose);
  REQUIRE(t.host.votes_of(VoteType::prevote).size() == 2);
  CHECK(t.host.votes_of(VoteType::prevote)[1].is_nil());
}

TEST_CASE("a locked validator prevotes its locked block when it is proposed again") {
  SingleNode t(bystander());
  t.start();
  const auto o = t.others();
  const BlockPtr a = make_block(1, 1);
  (void)t.propose(0, -1, a);
  (void)t.prevote(o[0], 0, a->hash());
  (void)t.prevote(o[1], 0, a->hash());
  for (std::size_t i : o) (void)t.precommit(i, 0, Hash32{});
  t.node->on_timeout(1, 0, ConsensusStep::precommit);
  (void)t.propose(1, -1, a);
  REQUIRE(t.host.votes_of(VoteType::prevote).size() == 2);
  CHECK(t.host.votes_of(VoteType::prevote)[1].block_hash == a->hash());
}

TEST_CASE("a proposer holding a valid value re-proposes it with its valid round") {
  Validators vals(4);
  const std::size_t me = vals.proposer_index(1);
  SingleNode t(me);
  t.start();
  const auto o = t.others();
  const BlockPtr a = make_block(1, 1);
  (void)t.propose(0, -1, a);
  (void)t.prevote(o[0], 0, a->hash());
  (void)t.prevote(o[1], 0, a->hash());
  REQUIRE(t.node->valid_round() == 0);
  for (std::size_t i : o) (void)t.precommit(i, 0, Hash32{});
  t.node->on_timeout(1, 0, ConsensusStep::precommit);
  REQUIRE(t.host.proposals.size() == 1);
  CHECK(t.host.proposals[0].round == 1);
  CHECK(t.host.proposals[0].pol_round == 0);
  CHECK(t.host.proposals[0].block_hash() == a->hash());
  CHECK(t.host.blocks_built == 0);
}

TEST_CASE("an invalid proposed block gets a nil prevote") {
  SingleNode t(bystander());
  const BlockPtr bad = make_block(1, 5);
  t.host.invalid_blocks.push_back(bad->hash());
  t.start();
  (void)t.propose(0, -1, bad);
  REQUIRE(t.host.votes_of(VoteType::prevote).size() == 1);
  CHECK(t.host.votes_of(VoteType::prevote)[0].is_nil());
  // A block for another height is invalid without asking the host.
  SingleNode u(bystander());
  u.start();
  (void)u.propose(0, -1, make_block(2, 5));
  REQUIRE(u.host.votes_of(VoteType::prevote).size() == 1);
  CHECK(u.host.votes_of(VoteType::prevote)[0].is_nil());
  CHECK(u.host.validate_calls == 0);
}

TEST_CASE("messages from more than a third of the power in a higher round make a validator skip to it") {
  SingleNode t(bystander());
  t.start();
  const auto o = t.others();
  (void)t.prevote(o[0], 5, Hash32{});
  CHECK(t.node->round() == 0);  // 1 of 4 is not more than a third
  (void)t.precommit(o[1], 5, Hash32{});
  CHECK(t.node->round() == 5);
  CHECK(t.node->step() == ConsensusStep::propose);
  CHECK(t.node->stats().rounds_skipped == 1);
  CHECK(t.host.last_timeout(ConsensusStep::propose)->round == 5);
  CHECK(t.host.last_timeout(ConsensusStep::propose)->delay == ms(3000 + 5 * 500));
  // Rounds too far ahead are not buffered (the node forgets them as seen).
  CHECK(t.prevote(o[2], 5 + Consensus::kMaxRoundsAhead + 1, Hash32{}) == InputResult::ahead);
}

TEST_CASE("precommits of a later round decide the height before the validator ever prevotes there") {
  SingleNode t(bystander());
  t.start();
  const auto o = t.others();
  const BlockPtr c = make_block(1, 3);
  for (std::size_t i : o) (void)t.precommit(i, 1, c->hash());
  CHECK(t.host.decisions.empty());  // no proposal yet: the block itself is unknown
  CHECK(t.node->round() == 1);      // skipped on the way (line 55)
  CHECK(t.propose(1, -1, c) == InputResult::accepted);
  REQUIRE(t.host.decisions.size() == 1);
  CHECK(t.host.decisions[0].round == 1);
  CHECK(t.host.decisions[0].block->hash() == c->hash());
  for (const auto& v : t.host.votes) CHECK(v.block_hash != c->hash());
}

TEST_CASE("a round-0 decision still happens when its precommits arrive after the validator moved on") {
  SingleNode t(bystander());
  t.start();
  const auto o = t.others();
  const BlockPtr a = make_block(1, 1);
  (void)t.propose(0, -1, a);
  for (std::size_t i : o) (void)t.precommit(i, 1, Hash32{});  // skip to round 1 (line 55)
  t.node->on_timeout(1, 1, ConsensusStep::precommit);           // and on to round 2 (line 65)
  REQUIRE(t.node->round() == 2);
  (void)t.precommit(o[0], 0, a->hash());
  (void)t.precommit(o[1], 0, a->hash());
  CHECK(t.host.decisions.empty());
  (void)t.precommit(o[2], 0, a->hash());
  REQUIRE(t.host.decisions.size() == 1);
  CHECK(t.host.decisions[0].round == 0);
}

TEST_CASE("timeouts grow linearly with the round for every step") {
  SingleNode t(bystander());
  Params p;
  for (std::uint32_t r = 0; r < 10; ++r) {
    CHECK(t.node->timeout_for(ConsensusStep::propose, r) ==
          ms(static_cast<std::int64_t>(p.timeout_propose_ms + p.timeout_propose_delta_ms * r)));
    CHECK(t.node->timeout_for(ConsensusStep::prevote, r + 1) > t.node->timeout_for(ConsensusStep::prevote, r));
    CHECK(t.node->timeout_for(ConsensusStep::precommit, r + 1) > t.node->timeout_for(ConsensusStep::precommit, r));
  }
}

TEST_CASE("a stalled validator re-sends every vote it holds of its round and the round's proposal, not only its own") {
  // Explore seed 174 (issue #18): on a sparse peer graph a vote missed across a healed partition
  // reaches a node only through a neighbour; the signer's own re-send dies at neighbours that
  // already have it. Each node re-sending what it holds carries the vote one hop per re-send.
  SingleNode t(bystander());
  t.start();
  const auto o = t.others();
  const BlockPtr a = make_block(1, 1);
  REQUIRE(t.propose(0, -1, a) == InputResult::accepted);
  (void)t.prevote(o[0], 0, a->hash());
  (void)t.prevote(o[1], 0, Hash32{});
  (void)t.precommit(o[2], 0, Hash32{});
  const Consensus::Retransmit again = t.node->retransmit_messages();
  REQUIRE(again.proposals.size() == 1);
  CHECK(again.proposals[0].block_hash() == a->hash());
  REQUIRE(again.votes.size() == 4);  // ours and the three others', each once
  auto holds = [&](std::size_t i, VoteType type, const Hash32& hash) {
    return std::count(again.votes.begin(), again.votes.end(), t.vals.vote(i, type, 1, 0, hash)) == 1;
  };
  CHECK(holds(t.me, VoteType::prevote, a->hash()));
  CHECK(holds(o[0], VoteType::prevote, a->hash()));
  CHECK(holds(o[1], VoteType::prevote, Hash32{}));
  CHECK(holds(o[2], VoteType::precommit, Hash32{}));
}
