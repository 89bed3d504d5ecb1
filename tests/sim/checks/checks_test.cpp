// Every check can fail: each is fed a scripted event stream that violates it, and one that does
// not, and must tell them apart (and name the nodes, heights and times involved).
#include <doctest/doctest.h>

#include "core/crypto/hash.hpp"
#include "core/crypto/keys.hpp"
#include "sim/checks/liveness_checks.hpp"
#include "sim/checks/no_conflicting_finality.hpp"
#include "sim/checks/slashing_checks.hpp"
#include "sim/checks/state_root_agreement.hpp"
#include "tests/sim/checks/check_events.hpp"

using namespace mt;
using namespace mt::sim;

using namespace mt::sim::test;

TEST_CASE("no_conflicting_finality fires on two honest nodes finalizing different blocks at one height") {
  auto view = make_view(4, 1);
  NoConflictingFinality ok(view), bad(view), byz(view);
  for (std::size_t n = 1; n < 4; ++n) ok.on_event(n, sec(3), commit(1, "a"));
  CHECK_FALSE(ok.failed());

  bad.on_event(1, sec(3), commit(1, "a"));
  bad.on_event(2, sec(4), commit(1, "b"));
  REQUIRE(bad.failed());
  CHECK(bad.violation()->detail.find("height 1") != std::string::npos);
  CHECK(bad.violation()->detail.find("v[1]") != std::string::npos);
  CHECK(bad.violation()->detail.find("v[2]") != std::string::npos);
  CHECK(bad.violation()->at_us == sec(4));

  // A byzantine node's own view does not count as a conflict among honest nodes.
  byz.on_event(0, sec(3), commit(1, "evil"));
  byz.on_event(1, sec(3), commit(1, "a"));
  CHECK_FALSE(byz.failed());
}

TEST_CASE("state_root_agreement fires when one block yields two state roots") {
  auto view = make_view(3);
  StateRootAgreement c(view);
  c.on_event(0, sec(3), commit(1, "a", "x"));
  c.on_event(1, sec(3), commit(1, "a", "x"));
  CHECK_FALSE(c.failed());
  c.on_event(2, sec(3), commit(1, "a", "y"));
  REQUIRE(c.failed());
  CHECK(c.violation()->detail.find("v[2]") != std::string::npos);
}

TEST_CASE("honest_never_slashed fires only for honest validators") {
  auto view = make_view(4, 1);
  HonestNeverSlashed c(view);
  SlashApplied byz_slash{view.nodes[0].address, 10, true, 100};
  c.on_event(1, sec(30), byz_slash);
  CHECK_FALSE(c.failed());
  SlashApplied honest_slash{view.nodes[2].address, 11, false, 5};
  c.on_event(1, sec(33), honest_slash);
  REQUIRE(c.failed());
  CHECK(c.violation()->detail.find("v[2]") != std::string::npos);
  CHECK(c.violation()->detail.find("downtime") != std::string::npos);
}

TEST_CASE("equivocators_slashed needs a double-sign slash within the bound for every target") {
  auto view = make_view(4, 1);
  EvidenceFound ev{view.nodes[0].address, 20, 0, VoteType::prevote};
  SlashApplied late{view.nodes[0].address, 35, true, 100};
  SlashApplied soon{view.nodes[0].address, 22, true, 100};

  EquivocatorsSlashed never(view, {0}, 10);
  never.on_event(1, sec(60), ev);
  never.finish(sec(100));
  REQUIRE(never.failed());
  CHECK(never.violation()->detail.find("never slashed") != std::string::npos);

  EquivocatorsSlashed slow(view, {0}, 10);
  slow.on_event(1, sec(60), ev);
  slow.on_event(1, sec(105), late);
  slow.finish(sec(200));
  CHECK(slow.failed());

  EquivocatorsSlashed fine(view, {0}, 10);
  fine.on_event(1, sec(60), ev);
  fine.on_event(1, sec(66), soon);
  fine.finish(sec(200));
  CHECK_FALSE(fine.failed());
  CHECK(fine.measured().find("1/1") != std::string::npos);
}

TEST_CASE("recovers measures from the end of the named fault to the next finalized height") {
  auto view = make_view(4);
  view.faults.push_back({"split", "partition", "core[0]", sec(30), sec(60)});
  Recovers fast(view, "split", sec(10));
  Recovers slow(view, "split", sec(10));
  for (auto* c : {static_cast<Check*>(&fast), static_cast<Check*>(&slow)}) {
    for (std::uint64_t ht = 1; ht <= 10; ++ht) c->on_event(0, sec(static_cast<std::int64_t>(3 * ht)), commit(ht, "b" + std::to_string(ht)));
  }
  fast.on_event(0, sec(65), commit(11, "b11"));
  slow.on_event(0, sec(75), commit(11, "b11"));
  fast.finish(sec(90));
  slow.finish(sec(90));
  CHECK_FALSE(fast.failed());
  CHECK(fast.measured() == "recovered in 5.000s");
  REQUIRE(slow.failed());
  CHECK(slow.violation()->detail.find("15.000s") != std::string::npos);

  Recovers missing(view, "nope", sec(10));
  missing.finish(sec(90));
  CHECK(missing.failed());
}

TEST_CASE("finality_progress reports the longest stall, including one that lasts to the end") {
  auto view = make_view(2);
  FinalityProgress c(view, sec(10), 0, -1);
  for (std::uint64_t ht = 1; ht <= 5; ++ht) c.on_event(0, sec(static_cast<std::int64_t>(3 * ht)), commit(ht, "x" + std::to_string(ht)));
  c.finish(sec(40));  // last commit at 15s, run ends at 40s: a 25 s stall
  REQUIRE(c.failed());
  CHECK(c.measured() == "longest stall 25.000s");
  FinalityProgress ok(view, sec(10), 0, -1);
  for (std::uint64_t ht = 1; ht <= 5; ++ht) ok.on_event(0, sec(static_cast<std::int64_t>(3 * ht)), commit(ht, "x" + std::to_string(ht)));
  ok.finish(sec(16));
  CHECK_FALSE(ok.failed());
}

TEST_CASE("chain_height compares the highest honest height with the minimum") {
  auto view = make_view(2);
  ChainHeight c(view, 3);
  c.on_event(0, sec(3), commit(1, "a"));
  c.on_event(0, sec(6), commit(2, "b"));
  c.finish(sec(10));
  CHECK(c.failed());
  ChainHeight ok(view, 2);
  ok.on_event(1, sec(6), commit(2, "b"));
  ok.finish(sec(10));
  CHECK_FALSE(ok.failed());
}
