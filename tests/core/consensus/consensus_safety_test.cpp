// What keeps consensus safe and accountable: equivocation becomes evidence, forged or foreign
// votes never count, a weak quorum really allows forks, and a restarted validator never signs
// anything that conflicts with what it signed before the crash.
#include <doctest/doctest.h>

#include "consensus_fixture.hpp"

using namespace mt;
using namespace mt::test;

TEST_CASE("an equivocating validator yields evidence once; its second vote for an unbacked block never counts") {
  SingleNode t(0);
  t.start();
  const Hash32 a = make_block(1, 1)->hash();
  const Hash32 b = make_block(1, 2)->hash();
  CHECK(t.prevote(2, 0, a) == InputResult::accepted);
  CHECK(t.prevote(2, 0, b) == InputResult::equivocation);
  CHECK(t.prevote(2, 0, b) == InputResult::equivocation);
  CHECK(t.prevote(2, 0, Hash32{}) == InputResult::equivocation);
  CHECK(t.prevote(2, 0, a) == InputResult::duplicate);
  REQUIRE(t.host.evidence.size() == 1);
  const DuplicateVoteEvidence& e = t.host.evidence[0];
  CHECK(e.validator() == t.vals.addr(2));
  CHECK(e.height() == 1);
  CHECK(e.validate(Params{}.chain_id, t.verifier).ok());
  CHECK(t.node->votes(0, VoteType::prevote)->power_for(a) == 1);
  CHECK(t.node->votes(0, VoteType::prevote)->power_for(b) == 0);
  CHECK(t.node->stats().equivocations == 1);
  // Equivocating in another step is another offence.
  (void)t.precommit(2, 0, a);
  (void)t.precommit(2, 0, b);
  CHECK(t.host.evidence.size() == 2);
}

TEST_CASE("an equivocator's prevote for the proposed block completes the polka though its nil prevote came first") {
  // Explore seed 6 (issue #18): the equivocator's prevote for a was part of the round-0 polka some
  // validators locked on; those that held its other vote never counted it and never saw the POL
  // of a's re-proposals, so the locked and the unlocked halves split the power for good.
  Validators probe(4);
  const std::size_t p = probe.proposer_index(0);
  std::size_t me = 0;
  while (me == p) ++me;
  SingleNode t(me);
  std::size_t d = 0;
  while (d == p || d == me) ++d;
  t.start();
  const BlockPtr a = make_block(1, 1);
  REQUIRE(t.propose(0, -1, a) == InputResult::accepted);  // we prevote a
  CHECK(t.prevote(d, 0, Hash32{}) == InputResult::accepted);
  CHECK(t.prevote(p, 0, a->hash()) == InputResult::accepted);
  CHECK(t.node->locked_round() == -1);  // 2 of 4 for a
  CHECK(t.prevote(d, 0, a->hash()) == InputResult::accepted);  // backed by first votes: counted
  CHECK(t.host.evidence.size() == 1);
  CHECK(t.node->votes(0, VoteType::prevote)->power_for(a->hash()) == 3);
  CHECK(t.node->votes(0, VoteType::prevote)->power_any() == 3);  // d once among the voters
  CHECK(t.node->locked_round() == 0);
  REQUIRE(t.host.votes_of(VoteType::precommit).size() == 1);
  CHECK(t.host.votes_of(VoteType::precommit)[0].block_hash == a->hash());
  // The same for precommits: the commit carries d's precommit for a and verifies.
  CHECK(t.precommit(d, 0, Hash32{}) == InputResult::accepted);
  CHECK(t.precommit(p, 0, a->hash()) == InputResult::accepted);
  CHECK(t.host.decisions.empty());
  CHECK(t.precommit(d, 0, a->hash()) == InputResult::accepted);
  REQUIRE(t.host.decisions.size() == 1);
  const Commit& c = t.host.decisions[0].commit;
  CHECK(c.sigs.size() == 3);
  CHECK(c.signed_by(t.vals.addr(d)));
  CHECK(verify_commit(c, 1, a->hash(), t.vals.set(), Params{}, t.verifier).ok());
}

TEST_CASE("a vote's signature is checked against its own block and round, whatever was verified before") {
  // Consensus keeps recent signing hashes (they are shared by every vote of one step for one
  // block). A signature made for another block, round or type must still fail.
  SingleNode t(0);
  t.start();
  const Hash32 a = make_block(1, 1)->hash();
  const Hash32 b = make_block(1, 2)->hash();
  CHECK(t.node->on_vote(t.vals.vote(1, VoteType::prevote, 1, 0, a)) == InputResult::accepted);  // hash of a known
  Vote moved = t.vals.vote(2, VoteType::prevote, 1, 0, a);
  moved.block_hash = b;  // signed over a, claims b
  CHECK(t.node->on_vote(moved) == InputResult::rejected);
  Vote retyped = t.vals.vote(2, VoteType::prevote, 1, 0, a);
  retyped.type = VoteType::precommit;
  CHECK(t.node->on_vote(retyped) == InputResult::rejected);
  Vote later = t.vals.vote(3, VoteType::prevote, 1, 0, b);
  later.round = 1;  // signed for round 0
  CHECK(t.node->on_vote(later) == InputResult::rejected);
  CHECK(t.node->stats().votes_rejected == 3);
  // Past the memo's few entries, genuine votes are still accepted and forgeries refused.
  for (std::uint32_t r = 1; r < 4; ++r) {
    CHECK(t.node->on_vote(t.vals.vote(1, VoteType::prevote, 1, r, r % 2 == 0 ? a : b)) == InputResult::accepted);
    CHECK(t.node->on_vote(t.vals.vote(1, VoteType::precommit, 1, r, r % 2 == 0 ? a : b)) == InputResult::accepted);
  }
  CHECK(t.node->on_vote(t.vals.vote(2, VoteType::prevote, 1, 0, a)) == InputResult::accepted);
  CHECK(t.node->stats().votes_rejected == 3);
}

TEST_CASE("votes with bad signatures or from non-validators are ignored") {
  SingleNode t(0);
  t.start();
  const Hash32 a = make_block(1, 1)->hash();
  Vote forged = t.vals.vote(1, VoteType::prevote, 1, 0, a);
  forged.signature.data[0] ^= 1;
  CHECK(t.node->on_vote(forged) == InputResult::rejected);
  Vote wrong_chain;
  wrong_chain.type = VoteType::prevote;
  wrong_chain.height = 1;
  wrong_chain.block_hash = a;
  wrong_chain.validator = t.vals.addr(1);
  wrong_chain.sign(t.vals.key(1), "another-chain", crypto::Backend::real);
  CHECK(t.node->on_vote(wrong_chain) == InputResult::rejected);
  Validators outsiders(6);  // v4, v5 are not in the set of four
  CHECK(t.node->on_vote(outsiders.vote(5, VoteType::prevote, 1, 0, a)) == InputResult::rejected);
  CHECK(t.node->stats().votes_rejected == 3);
  const VoteSet* set = t.node->votes(0, VoteType::prevote);
  CHECK((set == nullptr || set->power_for(a) == 0));
  // The genuine vote is still accepted after its forgery was refused.
  CHECK(t.node->on_vote(t.vals.vote(1, VoteType::prevote, 1, 0, a)) == InputResult::accepted);
}

TEST_CASE("proposals with bad signatures or from the wrong proposer are ignored") {
  Validators vals(4);
  const std::size_t proposer = vals.proposer_index(0);
  const std::size_t me = (proposer + 1) % 4;
  SingleNode t(me);
  t.start();
  Proposal forged = vals.proposal(proposer, 1, 0, -1, make_block(1, 1));
  forged.signature.data[5] ^= 1;
  CHECK(t.node->on_proposal(forged) == InputResult::rejected);
  const std::size_t impostor = (proposer + 2) % 4;
  CHECK(t.node->on_proposal(vals.proposal(impostor, 1, 0, -1, make_block(1, 1))) == InputResult::rejected);
  CHECK(t.host.votes.empty());
  CHECK(t.node->on_proposal(vals.proposal(proposer, 1, 0, -1, make_block(1, 1))) == InputResult::accepted);
  CHECK(t.host.votes.size() == 1);
  // A second, different proposal of the same proposer for the same round is refused.
  CHECK(t.node->on_proposal(vals.proposal(proposer, 1, 0, -1, make_block(1, 2))) == InputResult::rejected);
}

TEST_CASE("with a quorum of one half, two disjoint halves and one double voter decide different blocks") {
  // Five equal validators. The round-0 proposer d equivocates: block A to {a, b}, block B to {c, e}.
  // Each side sees 3 of 5 for its block, which is more than 1/2: both decide, a fork.
  Params weak;
  weak.quorum_num = 1;
  weak.quorum_den = 2;
  auto run = [](const Params& params, std::size_t me, std::size_t peer, const BlockPtr& block) {
    auto t = std::make_unique<SingleNode>(me, params, ConsensusRecord{}, 5);
    const std::size_t d = t->vals.proposer_index(0);
    t->start();
    (void)t->node->on_proposal(t->vals.proposal(d, 1, 0, -1, block));
    for (std::size_t i : {peer, d}) (void)t->prevote(i, 0, block->hash());
    for (std::size_t i : {peer, d}) (void)t->precommit(i, 0, block->hash());
    return t;
  };
  Validators vals(5);
  const std::size_t d = vals.proposer_index(0);
  std::vector<std::size_t> honest;
  for (std::size_t i = 0; i < 5; ++i) {
    if (i != d) honest.push_back(i);
  }
  const BlockPtr a = make_block(1, 1);
  const BlockPtr b = make_block(1, 2);

  auto left = run(weak, honest[0], honest[1], a);
  auto right = run(weak, honest[2], honest[3], b);
  REQUIRE(left->host.decisions.size() == 1);
  REQUIRE(right->host.decisions.size() == 1);
  CHECK(left->host.decisions[0].block->hash() == a->hash());
  CHECK(right->host.decisions[0].block->hash() == b->hash());
  crypto::Verifier verifier;
  CHECK(verify_commit(left->host.decisions[0].commit, 1, a->hash(), vals.set(), weak, verifier).ok());
  CHECK(verify_commit(right->host.decisions[0].commit, 1, b->hash(), vals.set(), weak, verifier).ok());
  // The double voter's two precommits are evidence against it.
  auto e = DuplicateVoteEvidence::from_votes(vals.vote(d, VoteType::precommit, 1, 0, a->hash()),
                                             vals.vote(d, VoteType::precommit, 1, 0, b->hash()));
  REQUIRE(e.has_value());
  CHECK(e->validate(Params{}.chain_id, verifier).ok());

  // The same script under the default quorum (more than 2/3) decides nothing.
  auto safe_left = run(Params{}, honest[0], honest[1], a);
  auto safe_right = run(Params{}, honest[2], honest[3], b);
  CHECK(safe_left->host.decisions.empty());
  CHECK(safe_right->host.decisions.empty());
}

TEST_CASE("a restarted validator refuses to sign a vote conflicting with its restored signing state") {
  Validators vals(4);
  const std::size_t me = vals.proposer_index(3);
  const std::size_t proposer = vals.proposer_index(0);
  const BlockPtr a = make_block(1, 1);
  const BlockPtr b = make_block(1, 2);

  SingleNode before(me);
  before.start();
  (void)before.node->on_proposal(vals.proposal(proposer, 1, 0, -1, a));
  REQUIRE(before.host.votes.size() == 1);
  const ConsensusRecord durable = before.host.persisted.back();
  CHECK(durable.signing == SigningState{1, 0, ConsensusStep::prevote, a->hash()});
  REQUIRE(durable.own_votes.size() == 1);
  CHECK(durable.own_votes[0] == before.host.votes[0]);

  // After the restart it resumes in round 0's prevote step with its prevote counted, and the
  // (equivocating) proposer's block b gets nothing from it.
  SingleNode after(me, Params{}, durable);
  after.start();
  CHECK(after.node->round() == 0);
  CHECK(after.node->step() == ConsensusStep::prevote);
  CHECK(after.node->votes(0, VoteType::prevote)->power_for(a->hash()) == 1);
  (void)after.node->on_proposal(vals.proposal(proposer, 1, 0, -1, b));
  CHECK(after.host.votes.empty());
  CHECK(after.host.persisted.empty());
  // What it sends again is the very vote it signed before the crash.
  const auto again = after.node->retransmit_messages();
  REQUIRE(again.votes.size() == 1);
  CHECK(again.votes[0] == before.host.votes[0]);
  // Later steps are new statements and may be signed.
  for (std::size_t i : after.others()) (void)after.prevote(i, 0, Hash32{});
  REQUIRE(after.host.votes.size() == 1);
  CHECK(after.host.votes[0].type == VoteType::precommit);

  // With only the signing state (say, a record of an older format), it still never signs a
  // conflicting prevote in that round.
  SingleNode bare(me, Params{}, record_of(durable.signing));
  bare.start();
  bare.node->on_timeout(1, 0, ConsensusStep::propose);
  (void)bare.node->on_proposal(vals.proposal(proposer, 1, 0, -1, b));
  CHECK(bare.host.votes.empty());
}

TEST_CASE("a validator restored past a round signs nothing until it reaches a later round") {
  Validators vals(4);
  const std::size_t me = vals.proposer_index(3);
  SingleNode t(me, Params{}, record_of(SigningState{1, 1, ConsensusStep::precommit, Hash32{}}));
  t.start();
  t.node->on_timeout(1, 0, ConsensusStep::propose);
  CHECK(t.host.votes.empty());
  for (std::size_t i : t.others()) (void)t.precommit(i, 2, Hash32{});  // skip to round 2
  REQUIRE(t.node->round() == 2);
  t.node->on_timeout(1, 2, ConsensusStep::propose);
  REQUIRE(t.host.votes.size() == 1);
  CHECK(t.host.votes[0].round == 2);
}

TEST_CASE("a non-validator follows consensus and decides without signing anything") {
  Validators vals(4);
  SingleNode t(4);  // index 4: no key in the set of four
  t.start();
  const BlockPtr a = make_block(1, 1);
  (void)t.propose(0, -1, a);
  for (std::size_t i = 0; i < 3; ++i) (void)t.prevote(i, 0, a->hash());
  for (std::size_t i = 0; i < 3; ++i) (void)t.precommit(i, 0, a->hash());
  CHECK(t.host.votes.empty());
  REQUIRE(t.host.decisions.size() == 1);
  CHECK(t.host.decisions[0].block->hash() == a->hash());
}
