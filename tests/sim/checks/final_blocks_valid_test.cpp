// final_blocks_valid, on blocks built by the real chain code from a small genesis: an honest chain
// passes (re-proposals from earlier rounds included), and it fires on a block built by a validator
// that proposes in no round up to the decision round, and on a commit with a forged signature, a
// signer outside the validator set, or too little power, before the replica even takes the block;
// and on a block stamped at or before its parent, or far ahead of the time it was committed.
#include <doctest/doctest.h>

#include <memory>

#include "sim/checks/final_blocks_valid.hpp"
#include "tests/core/state/chain_fixture.hpp"
#include "tests/sim/checks/check_events.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
struct Setup {
  state::testing::ChainFixture fx{4, 2};
  RunView view = test::make_view(1);
  std::shared_ptr<ReferenceReplica> replica = std::make_shared<ReferenceReplica>(fx.state, crypto::Backend::real);
  FinalBlocksValid check{view, replica, crypto::Backend::real};

  void feed(const BlockPtr& block, std::uint32_t round = 0) {
    BlockCommitted c;
    c.height = block->header.height;
    c.round = round;
    c.block_hash = block->hash();
    c.state_root = block->header.state_root;
    c.proposer = block->header.proposer;
    c.block = block;
    check.on_event(0, static_cast<TimeUs>(c.height) * 1000, c);
  }
  // The next block, built and committed by the fixture (all validators sign), not yet fed.
  BlockPtr next() { return fx.advance().block; }
  // A copy of the next block whose last commit `tamper` edits (the header no longer matches).
  BlockPtr tampered(const std::function<void(Commit&)>& tamper) {
    auto b = std::make_shared<Block>(*next());
    tamper(b->last_commit);
    return b;
  }
};

Address proposer_in_no_round_up_to(const ValidatorSet& set, std::uint32_t round) {
  for (const auto& e : set.entries()) {
    bool proposes = false;
    for (std::uint32_t r = 0; r <= round; ++r) proposes = proposes || set.proposer_for_round(r) == e.address;
    if (!proposes) return e.address;
  }
  FAIL("every validator proposes by round " << round);
  return {};
}
}  // namespace

TEST_CASE("final_blocks_valid holds on an honest chain and verifies every commit signature") {
  Setup s;
  for (int i = 0; i < 4; ++i) s.feed(s.next());
  CHECK_FALSE(s.check.failed());
  CHECK(s.check.measured() == "4 blocks, 12 commit signatures verified");  // heights 2..4, 4 signers each
  CHECK(s.replica->height() == 4);
}

TEST_CASE("final_blocks_valid fires on a block built by a validator that proposes in no round up to its decision") {
  Setup s;
  const ValidatorSet& set = s.fx.state->validator_set();
  const Address outsider = proposer_in_no_round_up_to(set, 1);
  auto header = s.fx.next_header();
  header.proposer = outsider;  // a member of the set (the executor allows it), but not a proposer
  auto built = state::build_block(s.fx.state, header, {}, {}, s.fx.last_commit, s.fx.verifier);
  REQUIRE(built.ok());
  s.feed(built.value().block, 1);
  REQUIRE(s.check.failed());
  CHECK(s.check.violation()->detail.find("decided in round 1 was built by " + outsider.short_hex()) !=
        std::string::npos);
}

TEST_CASE("final_blocks_valid accepts a block re-proposed in a later round by its original builder's round") {
  Setup s;
  const ValidatorSet& set = s.fx.state->validator_set();
  auto header = s.fx.next_header();
  header.proposer = set.proposer_for_round(1);  // built in round 1, decided in round 3
  auto built = state::build_block(s.fx.state, header, {}, {}, s.fx.last_commit, s.fx.verifier);
  REQUIRE(built.ok());
  s.feed(built.value().block, 3);
  CHECK_FALSE(s.check.failed());
}

TEST_CASE("final_blocks_valid fires on a forged commit signature") {
  Setup s;
  s.feed(s.next());
  s.feed(s.tampered([](Commit& c) { c.sigs[0].signature = c.sigs[1].signature; }));
  REQUIRE(s.check.failed());
  CHECK(s.check.violation()->detail.find("height 2: block") != std::string::npos);
  CHECK(s.check.violation()->detail.find("does not verify") != std::string::npos);
  CHECK(s.replica->halted());  // the replica rejected the block too, after the check judged it
}

TEST_CASE("final_blocks_valid fires on a commit signer outside the validator set") {
  Setup s;
  s.feed(s.next());
  const Address user = s.fx.user_addr(0);
  s.feed(s.tampered([&](Commit& c) { c.sigs[0].validator = user; }));
  REQUIRE(s.check.failed());
  CHECK(s.check.violation()->detail.find("not in that height's validator set") != std::string::npos);
}

TEST_CASE("final_blocks_valid fires on a commit without a quorum of power") {
  Setup s;
  s.feed(s.next());
  s.feed(s.tampered([](Commit& c) { c.sigs.resize(2); }));  // 2 of 4 equal validators: not above 2/3
  REQUIRE(s.check.failed());
  CHECK(s.check.violation()->detail.find("not above 2/3") != std::string::npos);
}

TEST_CASE("final_blocks_valid fires on a block stamped at its parent's time, and on one far ahead of its commit") {
  Setup back;
  back.feed(back.next());
  auto same = std::make_shared<Block>(*back.next());
  same->header.timestamp_ms = back.replica->state()->last_block_time_ms();
  back.feed(same);
  REQUIRE(back.check.failed());
  CHECK(back.check.violation()->detail.find("not after its parent's") != std::string::npos);

  Setup ahead;
  auto future = std::make_shared<Block>(*ahead.next());
  // Fed at 1 ms of world time: an hour is beyond the 5 s drift and the 60 s clock allowance.
  future->header.timestamp_ms = 3'600'000;
  ahead.feed(future);
  REQUIRE(ahead.check.failed());
  CHECK(ahead.check.violation()->detail.find("ahead of the time it was committed") != std::string::npos);
}
