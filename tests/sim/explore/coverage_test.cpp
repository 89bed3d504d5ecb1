// Coverage counts the protocol events a run reached from node events and the fault timeline;
// byzantine nodes' precommits do not count as lock changes; the aggregate names what no seed
// reached, survives its JSON form, and the bias raises exactly the kinds tied to unreached events.
#include <doctest/doctest.h>

#include <algorithm>

#include "sim/explore/bias.hpp"
#include "sim/explore/coverage.hpp"
#include "sim/explore/kinds.hpp"

using namespace mt;
using namespace mt::sim;
using namespace mt::sim::explore;

namespace {

Hash32 block(std::uint8_t b) {
  Hash32 h;
  h.data[0] = b;
  return h;
}

VoteCast precommit(std::uint64_t height, std::uint32_t round, const Hash32& hash) {
  return VoteCast{VoteType::precommit, height, round, hash};
}

BlockCommitted commit(std::uint64_t height, std::uint32_t round, std::size_t evidence) {
  BlockCommitted c;
  c.height = height;
  c.round = round;
  c.evidence_count = evidence;
  return c;
}

}  // namespace

TEST_CASE("coverage: rounds, nil precommits, lock changes and re-proposals from node events") {
  CoverageCollector c({true, true, false});  // node 2 is byzantine
  c.on_event(0, 100, ProposalMade{5, 0, block(1), 0});
  c.on_event(0, 200, precommit(5, 0, block(1)));
  c.on_event(1, 200, precommit(5, 0, Hash32{}));
  c.on_event(2, 200, precommit(5, 0, block(1)));
  c.on_event(2, 300, precommit(5, 1, block(2)));      // byzantine: not a lock change
  c.on_event(1, 400, ProposalMade{5, 3, block(1), 0});  // the same block again, later round
  c.on_event(0, 500, precommit(5, 3, block(2)));       // honest node 0 moves from block 1 to 2
  c.on_event(0, 600, commit(5, 3, 2));
  const Coverage cov = c.finish(RunResult{});
  CHECK(cov.at("second_round") == 2);
  CHECK(cov.at("round_3_plus") == 1);
  CHECK(cov.at("nil_precommit") == 1);
  CHECK(cov.at("lock_change") == 1);
  CHECK(cov.at("pol_reproposal") == 1);
  CHECK(cov.at("commit_in_later_round") == 1);
  CHECK(cov.at("evidence_committed") == 2);
  CHECK(cov.count("sync_after_restart") == 0);
}

TEST_CASE("coverage: sync after a restart and a set change inside an open height need the fault timeline") {
  CoverageCollector c({true, true});
  c.on_event(0, 1'000, ProposalMade{2, 0, block(1), 0});
  c.on_event(0, 1'500, VoteCast{VoteType::prevote, 2, 1, block(1)});
  c.on_event(0, 3'000, commit(2, 1, 0));
  c.on_event(1, 9'000, SyncStarted{1, 2});
  RunResult r;
  r.node_names = {"v[0]", "v[1]"};
  r.faults.push_back(FaultWindow{"f1-crash", "crash", "v[1]", 4'000, 8'000});
  r.faults.push_back(FaultWindow{"f2-stake", "stake", "v[0]", 2'000, 2'000});
  const Coverage cov = c.finish(r);
  CHECK(cov.at("sync_started") == 1);
  CHECK(cov.at("sync_after_restart") == 1);
  CHECK(cov.at("set_change_mid_height") == 1);
  CHECK(cov.at("set_change_in_later_round") == 1);

  RunResult other = r;
  other.faults[0].targets = "v[0]";  // the syncing node was not the one restarted
  other.faults[1].start_us = 5'000;  // after the height committed
  const Coverage none = c.finish(other);
  CHECK(none.count("sync_after_restart") == 0);
  CHECK(none.count("set_change_mid_height") == 0);
}

TEST_CASE("coverage: the aggregate names unreached events and round-trips through JSON") {
  Aggregate a;
  a.add({{"second_round", 3}, {"sync_started", 1}});
  a.add({{"second_round", 1}});
  CHECK(a.seeds == 2);
  CHECK(a.seeds_reaching.at("second_round") == 2);
  const auto never = a.unreached();
  CHECK(never.size() == kCoverageEvents.size() - 2);
  CHECK(std::find(never.begin(), never.end(), "lock_change") != never.end());

  const Coverage c{{"lock_change", 4}, {"nil_precommit", 1}};
  auto back = coverage_from_json(coverage_to_json(7, c, {"crash"}));
  REQUIRE(back.ok());
  CHECK(back.value() == c);
  CHECK_FALSE(coverage_from_json("{\"events\": {\"x\": -1}}").ok());
  CHECK_FALSE(coverage_from_json("not json").ok());
}

TEST_CASE("bias: kinds tied to unreached events weigh more, and only after enough seeds") {
  Aggregate a;
  for (const auto& e : kCoverageEvents) {
    if (e != "evidence_found" && e != "slash_double_sign") a.seeds_reaching[e] = 1;
  }
  a.seeds = kBiasAfterSeeds - 1;
  CHECK(bias_weights(a).empty());
  a.seeds = kBiasAfterSeeds;
  const KindWeights w = bias_weights(a);
  CHECK(weight_of(w, "equivocate_vote") == 1 + 2 * kBiasPerUnreachedEvent);
  CHECK(weight_of(w, "unbond_then_equivocate") == 1 + 2 * kBiasPerUnreachedEvent);
  CHECK(weight_of(w, "double_evidence") == 1 + kBiasPerUnreachedEvent);  // reaches slash_double_sign only
  CHECK(weight_of(w, "twins") == 1 + 2 * kBiasPerUnreachedEvent);  // a twinned key is caught and slashed too
  CHECK(weight_of(w, "crash") == 1);
  CHECK(w.size() == 4);
}
