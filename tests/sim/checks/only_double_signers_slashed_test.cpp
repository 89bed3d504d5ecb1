// only_double_signers_slashed accepts a slash resting on two conflicting, validly signed votes of
// a real equivocator, and fires on forged evidence: a signature that does not verify, a vote an
// honest node never cast, and a double-sign slash with no evidence in its block.
#include <doctest/doctest.h>

#include <memory>

#include "sim/checks/only_double_signers_slashed.hpp"
#include "tests/sim/checks/check_events.hpp"

using namespace mt;
using namespace mt::sim;
using namespace mt::sim::test;

namespace {
const char* kChain = "test";

Vote signed_vote(int who, std::uint64_t height, const std::string& block) {
  Vote v;
  v.type = VoteType::prevote;
  v.height = height;
  v.round = 0;
  v.block_hash = h(block);
  auto key = crypto::KeyPair::from_label("v[" + std::to_string(who) + "]");
  v.validator = key.public_key();
  v.sign(key, kChain, crypto::Backend::real);
  return v;
}

Event block_with(std::uint64_t height, std::vector<Evidence> evidence) {
  auto b = std::make_shared<Block>();
  b->header.height = height;
  b->evidence = std::move(evidence);
  BlockCommitted c;
  c.height = height;
  c.block_hash = b->hash();
  c.block = b;
  return c;
}

Evidence evidence(const Vote& a, const Vote& b) {
  auto e = DuplicateVoteEvidence::from_votes(a, b);
  REQUIRE(e.has_value());
  return *e;
}

Event slash(int who, std::uint64_t height) {
  return SlashApplied{crypto::KeyPair::from_label("v[" + std::to_string(who) + "]").public_key(), height, true, 10};
}
}  // namespace

TEST_CASE("only_double_signers_slashed holds for a real equivocator slashed on its two signed votes") {
  auto view = make_view(3, 1);  // v[0] is byzantine
  OnlyDoubleSignersSlashed check(view, kChain, crypto::Backend::real);
  check.on_event(1, 10, slash(0, 8));
  check.on_event(1, 10, block_with(8, {evidence(signed_vote(0, 5, "A"), signed_vote(0, 5, "B"))}));
  check.on_event(2, 20, block_with(8, {}));  // another node's commit of height 8 is not judged again
  check.finish(100);
  CHECK_FALSE(check.failed());
  CHECK(check.measured() == "1 double-sign slashes, 1 pieces of evidence judged");
}

TEST_CASE("only_double_signers_slashed fires on evidence whose signature does not verify") {
  auto view = make_view(3, 1);
  OnlyDoubleSignersSlashed check(view, kChain, crypto::Backend::real);
  Vote a = signed_vote(0, 5, "A");
  Vote b = signed_vote(0, 5, "B");
  b.signature = a.signature;  // forged: a's signature on b's value
  check.on_event(1, 10, block_with(8, {evidence(a, b)}));
  REQUIRE(check.failed());
  CHECK(check.violation()->detail.find("does not verify") != std::string::npos);
  CHECK(check.violation()->detail.find("v[0]") != std::string::npos);
}

TEST_CASE("only_double_signers_slashed fires when an honest node is accused of a vote it never cast") {
  auto view = make_view(3, 1);
  OnlyDoubleSignersSlashed check(view, kChain, crypto::Backend::real);
  check.on_event(1, 5, VoteCast{VoteType::prevote, 5, 0, h("A")});  // v[1] cast only A
  // Validly signed with v[1]'s key (a leaked key or a signing bug), but v[1] never cast B.
  check.on_event(2, 10, block_with(8, {evidence(signed_vote(1, 5, "A"), signed_vote(1, 5, "B"))}));
  REQUIRE(check.failed());
  CHECK(check.violation()->detail.find("v[1] never cast the prevote") != std::string::npos);
}

TEST_CASE("only_double_signers_slashed fires on a double-sign slash with no evidence in its block") {
  auto view = make_view(3, 1);
  OnlyDoubleSignersSlashed check(view, kChain, crypto::Backend::real);
  check.on_event(1, 10, slash(2, 9));
  check.on_event(1, 10, block_with(9, {}));
  CHECK_FALSE(check.failed());  // settled at the end
  check.finish(100);
  REQUIRE(check.failed());
  CHECK(check.violation()->detail.find("v[2] was slashed for double signing at height 9") != std::string::npos);
}
