// VoteSet tallies, SigningState ordering and the Proposal encoding: the bookkeeping the
// consensus state machine is built on.
#include <doctest/doctest.h>

#include "consensus_fixture.hpp"
#include "core/consensus/proposal.hpp"
#include "core/consensus/signing_state.hpp"
#include "core/consensus/vote_set.hpp"

using namespace mt;
using namespace mt::test;

namespace {
std::shared_ptr<const ValidatorSet> shared_set(const Validators& vals) {
  return std::make_shared<const ValidatorSet>(vals.set());
}
}  // namespace

TEST_CASE("a vote set tallies power per block and reaches quorum only strictly above two thirds") {
  Validators vals(4);
  VoteSet set(1, 0, VoteType::prevote, shared_set(vals), 2, 3);
  const Hash32 a = make_block(1, 1)->hash();
  CHECK(set.add(vals.vote(0, VoteType::prevote, 1, 0, a)).result == VoteAddResult::added);
  CHECK(set.add(vals.vote(1, VoteType::prevote, 1, 0, a)).result == VoteAddResult::added);
  CHECK(set.power_for(a) == 2);
  CHECK(set.exceeds_one_third());
  CHECK_FALSE(set.has_quorum_for(a));
  CHECK(set.add(vals.vote(2, VoteType::prevote, 1, 0, Hash32{})).result == VoteAddResult::added);
  CHECK(set.has_quorum_any());
  CHECK_FALSE(set.has_quorum_for(a));
  CHECK_FALSE(set.quorum_hash().has_value());
  CHECK(set.add(vals.vote(3, VoteType::prevote, 1, 0, a)).result == VoteAddResult::added);
  CHECK(set.has_quorum_for(a));
  CHECK(set.quorum_hash() == a);
  CHECK(set.power_for(Hash32{}) == 1);
}

TEST_CASE("a vote set refuses votes of another slot and of non-validators, and ignores repeats") {
  Validators vals(4);
  Validators outsiders(5);  // v4 is not in vals
  VoteSet set(1, 2, VoteType::precommit, shared_set(vals), 2, 3);
  const Hash32 a = make_block(1, 1)->hash();
  CHECK(set.add(vals.vote(0, VoteType::prevote, 1, 2, a)).result == VoteAddResult::wrong_slot);
  CHECK(set.add(vals.vote(0, VoteType::precommit, 1, 1, a)).result == VoteAddResult::wrong_slot);
  CHECK(set.add(vals.vote(0, VoteType::precommit, 2, 2, a)).result == VoteAddResult::wrong_slot);
  CHECK(set.add(outsiders.vote(4, VoteType::precommit, 1, 2, a)).result == VoteAddResult::not_validator);
  CHECK(set.add(vals.vote(0, VoteType::precommit, 1, 2, a)).result == VoteAddResult::added);
  CHECK(set.add(vals.vote(0, VoteType::precommit, 1, 2, a)).result == VoteAddResult::duplicate);
  CHECK(set.power_any() == 1);
}

TEST_CASE("a vote set keeps the shared vote it is given, where a lookup by address finds it") {
  Validators vals(5);
  const auto validators = shared_set(vals);
  VoteSet set(1, 0, VoteType::prevote, validators, 2, 3);
  const Hash32 a = make_block(1, 1)->hash();
  for (std::size_t i : {3u, 0u, 4u}) {
    const auto v = std::make_shared<const Vote>(vals.vote(i, VoteType::prevote, 1, 0, a));
    const std::ptrdiff_t index = validators->index_of(v->validator);
    REQUIRE(index >= 0);
    CHECK(set.vote_at(static_cast<std::size_t>(index)) == nullptr);
    CHECK(set.add(v, index).result == VoteAddResult::added);
    CHECK(set.vote_at(static_cast<std::size_t>(index)) == v.get());  // the object, not a copy
    CHECK(set.vote_of(v->validator) == v.get());
    // An equal vote in another object is a duplicate; the first object stays.
    CHECK(set.add(std::make_shared<const Vote>(*v), index).result == VoteAddResult::duplicate);
    CHECK(set.vote_of(v->validator) == v.get());
  }
  CHECK(set.size() == 3);
  CHECK(set.power_for(a) == 3);
  CHECK(set.add(std::make_shared<const Vote>(vals.vote(1, VoteType::prevote, 1, 0, a)), -1).result ==
        VoteAddResult::not_validator);
  // A vote added by value is copied, and is found like the others.
  const Vote by_value = vals.vote(1, VoteType::prevote, 1, 0, a);
  CHECK(set.add(by_value).result == VoteAddResult::added);
  REQUIRE(set.vote_of(by_value.validator) != nullptr);
  CHECK(set.vote_of(by_value.validator) != &by_value);
  CHECK(*set.vote_of(by_value.validator) == by_value);
  CHECK(set.size() == 4);
}

TEST_CASE("a second conflicting vote is not counted and yields evidence exactly once") {
  Validators vals(4);
  VoteSet set(3, 1, VoteType::prevote, shared_set(vals), 2, 3);
  const Hash32 a = make_block(3, 1)->hash();
  const Hash32 b = make_block(3, 2)->hash();
  REQUIRE(set.add(vals.vote(1, VoteType::prevote, 3, 1, a)).result == VoteAddResult::added);
  auto second = set.add(vals.vote(1, VoteType::prevote, 3, 1, b));
  CHECK(second.result == VoteAddResult::conflicting);
  REQUIRE(second.evidence.has_value());
  crypto::Verifier verifier;
  CHECK(second.evidence->validate(Params{}.chain_id, verifier).ok());
  CHECK(second.evidence->validator() == vals.addr(1));
  auto third = set.add(vals.vote(1, VoteType::prevote, 3, 1, Hash32{}));
  CHECK(third.result == VoteAddResult::conflicting);
  CHECK_FALSE(third.evidence.has_value());
  CHECK(set.power_for(a) == 1);
  CHECK(set.power_for(b) == 0);
}

TEST_CASE("an equivocator's second vote counts once for a block another validator's first vote backs") {
  Validators vals(4);
  VoteSet set(3, 1, VoteType::precommit, shared_set(vals), 2, 3);
  const Hash32 a = make_block(3, 1)->hash();
  const Hash32 b = make_block(3, 2)->hash();
  REQUIRE(set.add(vals.vote(1, VoteType::precommit, 3, 1, b)).result == VoteAddResult::added);
  auto unbacked = set.add(vals.vote(1, VoteType::precommit, 3, 1, a));
  CHECK(unbacked.result == VoteAddResult::conflicting);  // nobody else voted a yet
  CHECK(unbacked.evidence.has_value());
  for (std::size_t i : {0u, 2u}) {
    REQUIRE(set.add(vals.vote(i, VoteType::precommit, 3, 1, a)).result == VoteAddResult::added);
  }
  CHECK_FALSE(set.has_quorum_for(a));
  auto backed = set.add(vals.vote(1, VoteType::precommit, 3, 1, a));
  CHECK(backed.result == VoteAddResult::conflicting_counted);
  CHECK_FALSE(backed.evidence.has_value());  // reported once already
  CHECK(set.add(vals.vote(1, VoteType::precommit, 3, 1, a)).result == VoteAddResult::duplicate);
  CHECK(set.power_for(a) == 3);
  CHECK(set.power_for(b) == 1);
  CHECK(set.power_any() == 3);
  CHECK(set.size() == 3);
  CHECK(set.has_quorum_for(a));
  CHECK(set.vote_at(1)->block_hash == b);  // the first vote stays the counted one
  REQUIRE(set.vote_for(1, a) != nullptr);
  CHECK(set.vote_for(1, a)->block_hash == a);
  CHECK(set.vote_for(3, a) == nullptr);
  Commit c = set.make_commit(a);
  CHECK(c.sigs.size() == 3);
  CHECK(c.signed_by(vals.addr(1)));
  crypto::Verifier verifier;
  CHECK(verify_commit(c, 3, a, vals.set(), Params{}, verifier).ok());
}

TEST_CASE("a commit from a vote set holds only the decided block's precommits, sorted, and verifies") {
  Validators vals(4);
  VoteSet set(5, 0, VoteType::precommit, shared_set(vals), 2, 3);
  const Hash32 a = make_block(5, 1)->hash();
  for (std::size_t i : {3u, 1u, 0u}) (void)set.add(vals.vote(i, VoteType::precommit, 5, 0, a));
  (void)set.add(vals.vote(2, VoteType::precommit, 5, 0, Hash32{}));
  Commit c = set.make_commit(a);
  CHECK(c.sigs.size() == 3);
  CHECK(std::is_sorted(c.sigs.begin(), c.sigs.end(),
                       [](const CommitSig& x, const CommitSig& y) { return x.validator < y.validator; }));
  CHECK_FALSE(c.signed_by(vals.addr(2)));
  crypto::Verifier verifier;
  CHECK(verify_commit(c, 5, a, vals.set(), Params{}, verifier).ok());
}

TEST_CASE("a weak quorum of one half counts three of five as enough") {
  Validators vals(5);
  VoteSet set(1, 0, VoteType::precommit, shared_set(vals), 1, 2);
  const Hash32 a = make_block(1, 1)->hash();
  for (std::size_t i : {0u, 1u}) (void)set.add(vals.vote(i, VoteType::precommit, 1, 0, a));
  CHECK_FALSE(set.has_quorum_for(a));
  (void)set.add(vals.vote(2, VoteType::precommit, 1, 0, a));
  CHECK(set.has_quorum_for(a));
}

TEST_CASE("the signing state allows only later positions or the identical statement") {
  const Hash32 a = make_block(1, 1)->hash();
  const Hash32 b = make_block(1, 2)->hash();
  SigningState none;
  CHECK(none.allows({7, 3, ConsensusStep::precommit, a}));
  SigningState s{7, 3, ConsensusStep::prevote, a};
  CHECK(s.allows({7, 3, ConsensusStep::prevote, a}));          // the same vote again
  CHECK_FALSE(s.allows({7, 3, ConsensusStep::prevote, b}));    // a conflicting vote
  CHECK_FALSE(s.allows({7, 3, ConsensusStep::prevote, Hash32{}}));
  CHECK_FALSE(s.allows({7, 3, ConsensusStep::propose, a}));    // an earlier step
  CHECK_FALSE(s.allows({7, 2, ConsensusStep::precommit, a}));  // an earlier round
  CHECK_FALSE(s.allows({6, 9, ConsensusStep::precommit, a}));  // an earlier height
  CHECK(s.allows({7, 3, ConsensusStep::precommit, b}));
  CHECK(s.allows({7, 4, ConsensusStep::propose, b}));
  CHECK(s.allows({8, 0, ConsensusStep::propose, b}));

  codec::Writer w;
  s.encode(w);
  auto back = codec::decode_all<SigningState>(w.data(), [](codec::Reader& r) { return SigningState::decode(r); },
                                              "signing state");
  REQUIRE(back.ok());
  CHECK(back.value() == s);
}

TEST_CASE("a proposal round-trips, its signature covers pol_round, and malformed bytes are rejected") {
  Validators vals(4);
  Proposal p = vals.proposal(2, 9, 3, 1, make_block(9, 77));
  crypto::Verifier verifier;
  CHECK(p.signature_valid(Params{}.chain_id, verifier));
  Bytes bytes = p.encode();
  auto back = Proposal::decode(bytes);
  REQUIRE(back.ok());
  CHECK(back.value() == p);
  CHECK(back.value().signature_valid(Params{}.chain_id, verifier));

  Proposal fresh = vals.proposal(2, 9, 3, -1, make_block(9, 77));
  auto fresh_back = Proposal::decode(fresh.encode());
  REQUIRE(fresh_back.ok());
  CHECK(fresh_back.value().pol_round == -1);

  Proposal tampered = p;
  tampered.pol_round = 2;
  CHECK_FALSE(tampered.signature_valid(Params{}.chain_id, verifier));

  Bytes trailing = bytes;
  trailing.push_back(0);
  CHECK_FALSE(Proposal::decode(trailing).ok());
  CHECK_FALSE(Proposal::decode(ByteView(bytes).first(bytes.size() - 1)).ok());
  Bytes bad_pol = bytes;
  bad_pol[8 + 4] = 3;  // pol_round (after height and round) set to the round itself
  CHECK_FALSE(Proposal::decode(bad_pol).ok());
  Proposal other_height = vals.proposal(2, 10, 3, 1, make_block(9, 77));
  CHECK_FALSE(Proposal::decode(other_height.encode()).ok());
}
