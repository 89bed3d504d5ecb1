// slashed_at_most_once and evidence_within_age judge the evidence in finalized blocks: one piece
// per double signer passes, a second piece about the same validator (in the same block or a
// later one) fires the first; evidence inside the window passes, older evidence (or evidence not
// before its block) fires the second; each height is judged once, on an honest node's commit.
#include <doctest/doctest.h>

#include <memory>

#include "sim/checks/evidence_within_age.hpp"
#include "sim/checks/slashed_at_most_once.hpp"
#include "tests/sim/checks/check_events.hpp"

using namespace mt;
using namespace mt::sim;
using namespace mt::sim::test;

namespace {
const char* kChain = "test";

Evidence evidence_of(int who, std::uint64_t height, std::uint32_t round) {
  auto key = crypto::KeyPair::from_label("v[" + std::to_string(who) + "]");
  Vote a;
  a.type = VoteType::prevote;
  a.height = height;
  a.round = round;
  a.validator = key.public_key();
  Vote b = a;
  a.block_hash = h("A");
  b.block_hash = h("B");
  a.sign(key, kChain, crypto::Backend::fast);
  b.sign(key, kChain, crypto::Backend::fast);
  auto e = DuplicateVoteEvidence::from_votes(a, b);
  REQUIRE(e.has_value());
  return *e;
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
}  // namespace

TEST_CASE("slashed_at_most_once holds for one piece per double signer and judges a height once") {
  auto view = make_view(3, 1);
  SlashedAtMostOnce check(view);
  check.on_event(1, 10, block_with(5, {evidence_of(0, 4, 0)}));
  check.on_event(2, 11, block_with(5, {evidence_of(0, 4, 0)}));  // the same height seen by another node
  check.on_event(1, 20, block_with(6, {evidence_of(1, 5, 0)}));
  check.on_event(0, 30, block_with(7, {evidence_of(0, 6, 0)}));  // a byzantine node's commit: not judged
  CHECK_FALSE(check.failed());
  CHECK(check.measured() == "2 validators slashed for double signing");
}

TEST_CASE("slashed_at_most_once fires on a second piece about one validator, in a later block or the same") {
  auto view = make_view(3, 1);
  SlashedAtMostOnce later(view);
  later.on_event(1, 10, block_with(5, {evidence_of(0, 4, 0)}));
  later.on_event(1, 20, block_with(9, {evidence_of(0, 8, 3)}));
  REQUIRE(later.failed());
  CHECK(later.violation()->detail.find("already slashed by the block at height 5") != std::string::npos);

  SlashedAtMostOnce same(view);
  same.on_event(2, 10, block_with(5, {evidence_of(0, 4, 0), evidence_of(0, 4, 1)}));
  CHECK(same.failed());
}

TEST_CASE("evidence_within_age holds inside the window and fires beyond it or on evidence not before its block") {
  auto view = make_view(3, 1);
  EvidenceWithinAge ok(view, 8);
  ok.on_event(1, 10, block_with(9, {evidence_of(0, 1, 0)}));  // 8 blocks old: the edge of the window
  CHECK_FALSE(ok.failed());
  CHECK(ok.measured() == "1 pieces of evidence, the oldest 8 blocks (window 8)");

  EvidenceWithinAge stale(view, 8);
  stale.on_event(1, 10, block_with(10, {evidence_of(0, 1, 0)}));
  REQUIRE(stale.failed());
  CHECK(stale.violation()->detail.find("9 blocks old") != std::string::npos);

  EvidenceWithinAge future(view, 8);
  future.on_event(1, 10, block_with(4, {evidence_of(0, 4, 0)}));
  CHECK(future.failed());
}
