// honest_signs_once fires when an honest validator signs a second, different value at one
// (height, round, step) (a proposal, a prevote or a precommit), even much later (after a restart),
// and stays quiet for re-broadcasts of the same value and for configured byzantine nodes.
#include <doctest/doctest.h>

#include "sim/checks/honest_signs_once.hpp"
#include "tests/sim/checks/check_events.hpp"

using namespace mt;
using namespace mt::sim;
using namespace mt::sim::test;

namespace {
Event vote(VoteType type, std::uint64_t height, std::uint32_t round, const std::string& block) {
  return VoteCast{type, height, round, block.empty() ? Hash32{} : h(block)};
}
Event proposal(std::uint64_t height, std::uint32_t round, const std::string& block) {
  return ProposalMade{height, round, h(block), 0};
}
}  // namespace

TEST_CASE("honest_signs_once holds for one value per (height, round, step), re-broadcasts included") {
  auto view = make_view(3);
  HonestSignsOnce check(view);
  check.on_event(1, 1000, proposal(5, 0, "A"));
  check.on_event(1, 1100, vote(VoteType::prevote, 5, 0, "A"));
  check.on_event(1, 1200, vote(VoteType::prevote, 5, 0, "A"));  // the same vote again
  check.on_event(1, 1300, vote(VoteType::precommit, 5, 0, ""));  // nil precommit: another step
  check.on_event(1, 1400, vote(VoteType::prevote, 5, 1, "B"));   // another round
  check.on_event(2, 1500, vote(VoteType::prevote, 5, 0, "B"));   // another validator
  check.on_event(1, 1600, proposal(6, 0, "C"));
  CHECK_FALSE(check.failed());
  CHECK(check.measured().find("0 double signs") != std::string::npos);
}

TEST_CASE("honest_signs_once fires on a second prevote at one slot, across a long gap (a restart)") {
  auto view = make_view(3);
  HonestSignsOnce check(view);
  check.on_event(2, 1000, vote(VoteType::prevote, 7, 2, "A"));
  check.on_event(2, 90'000'000, vote(VoteType::prevote, 7, 2, ""));  // after a restart: nil instead
  REQUIRE(check.failed());
  const std::string& d = check.violation()->detail;
  CHECK(d.find("v[2]") != std::string::npos);
  CHECK(d.find("prevotes at height 7 round 2") != std::string::npos);
  CHECK(d.find("nil") != std::string::npos);
  CHECK(check.violation()->at_us == 90'000'000);
}

TEST_CASE("honest_signs_once fires on two proposals and on two precommits, never for a byzantine node") {
  auto view = make_view(3, 1);
  HonestSignsOnce proposals(view), precommits(view), byz(view);
  proposals.on_event(1, 10, proposal(3, 0, "A"));
  proposals.on_event(1, 20, proposal(3, 0, "B"));
  CHECK(proposals.failed());
  CHECK(proposals.violation()->detail.find("two proposals") != std::string::npos);
  precommits.on_event(2, 10, vote(VoteType::precommit, 4, 1, "A"));
  precommits.on_event(2, 20, vote(VoteType::precommit, 4, 1, "B"));
  CHECK(precommits.failed());
  for (const std::string b : {"A", "B", "C"}) {
    byz.on_event(0, 10, vote(VoteType::precommit, 4, 1, b));
    byz.on_event(0, 10, proposal(4, 1, b));
  }
  CHECK_FALSE(byz.failed());
}
