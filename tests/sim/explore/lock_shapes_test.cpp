// The explore fault kinds aimed at the lock rules and at timeouts: `lock` draws a height where a
// decider is cut off right after its precommit while validators under 1/3 of the stake never see
// the proposal (or, for the POL shape, see the polka late), and runs of it reach lock changes and
// POL re-proposals on the honest code without failing; `slow` keeps every link slower than the
// propose timeout and widens the liveness bound by the rounds the timeouts need to outgrow it.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>

#include "sim/explore/explore_run.hpp"
#include "sim/explore/generator.hpp"

using namespace mt;
using namespace mt::sim;
using namespace mt::sim::explore;

namespace {

Envelope envelope_of(const char* text) {
  auto env = parse_envelope(text, "test-envelope.yaml");
  REQUIRE_MESSAGE(env.ok(), (env.ok() ? std::string() : env.error().message));
  return env.value();
}

// The stake of validators named one by one (`"v[3]"` or a list of such), as the shapes name them.
Amount stake_of(const Scenario& s, const Selector& sel) {
  if (sel.kind == Selector::Kind::any_of) {
    Amount t = 0;
    for (const auto& item : sel.items) t += stake_of(s, item);
    return t;
  }
  REQUIRE(sel.kind == Selector::Kind::node);
  const std::string name = fmt::format("{}[{}]", sel.group, sel.index);
  Amount t = 0;
  for (const auto& v : s.validators) t += v.name == name ? v.stake : 0;
  return t;
}

Amount total_stake(const Scenario& s) {
  Amount t = 0;
  for (const auto& v : s.validators) t += v.stake;
  return t;
}

}  // namespace

TEST_CASE("explore: a lock shape blinds less than 1/3 of the stake and cuts its decider off right after its precommit") {
  const Envelope env = envelope_of("validators: [4, 10]\nfaults: [lock]\nbehaviours: []\n");
  int shapes = 0;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    auto g = generate_scenario(env, seed, {});
    REQUIRE(g.ok());
    const Scenario& s = g.value().scenario;
    const auto cut = std::find_if(s.faults.begin(), s.faults.end(), [](const FaultConfig& f) {
      return f.at_step && f.at_step->step == ProtocolPoint::Step::precommit && f.action == FaultAction::partition &&
             f.partition_mode == FaultConfig::PartitionMode::one_way;
    });
    if (cut == s.faults.end()) continue;
    ++shapes;
    INFO("seed " << seed);
    for (const auto& f : s.faults) {
      if (f.action != FaultAction::messages || f.message_rule.kind != "proposal" || !f.message_rule.rounds ||
          f.message_rule.rounds->first != 0) {
        continue;
      }
      CHECK(stake_of(s, f.to) * 3 < total_stake(s));  // those who never see the round-0 proposal
      CHECK(f.message_rule.drop);
      CHECK(f.at_height == cut->at_step->height - 1);  // in place before the height starts
    }
    CHECK(cut->duration_us.has_value());  // everything heals: liveness is expected after
  }
  CHECK(shapes >= 20);
}

TEST_CASE("explore: runs of the lock kind reach lock changes and POL re-proposals, and pass on the honest code") {
  const Envelope env = envelope_of("validators: [4, 7]\nfaults: [lock]\nbehaviours: []\nload_tps: 0\n");
  int lock_change = 0, pol_reproposal = 0;
  for (std::uint64_t seed = 1; seed <= 16; ++seed) {
    auto g = generate_scenario(env, seed, {});
    REQUIRE(g.ok());
    const ExploredRun run = run_explored(g.value().scenario, seed);
    INFO("seed " << seed);
    REQUIRE(run.output.error.empty());
    CHECK(run.output.result.exit_code == 0);
    lock_change += run.coverage.count("lock_change") > 0 ? 1 : 0;
    pol_reproposal += run.coverage.count("pol_reproposal") > 0 ? 1 : 0;
  }
  // Before the lock kind: a lock change in about 1 seed of 200 and a POL re-proposal in none.
  CHECK(lock_change >= 2);
  CHECK(pol_reproposal >= 2);
}

TEST_CASE("explore: a slow network is slower than the propose timeout, and its liveness bound counts the extra rounds") {
  const Envelope env = envelope_of("faults: [slow]\nbehaviours: []\ntopologies: [full_mesh]\n");
  int slow = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    auto g = generate_scenario(env, seed, {});
    REQUIRE(g.ok());
    const Scenario& s = g.value().scenario;
    const auto link = std::find_if(s.faults.begin(), s.faults.end(), [](const FaultConfig& f) { return f.action == FaultAction::link; });
    if (link == s.faults.end()) continue;
    ++slow;
    INFO("seed " << seed);
    const TimeUs propose = static_cast<TimeUs>(s.chain.params.timeout_propose_ms) * kUsPerMs;
    REQUIRE(link->link_delay_us.has_value());
    CHECK(*link->link_delay_us > propose);
    CHECK_FALSE(link->duration_us.has_value());  // to the end of the run
    const auto progress = std::find_if(s.expect.begin(), s.expect.end(), [](const Expectation& e) { return e.name == "finality_progress"; });
    REQUIRE(progress != s.expect.end());
    // Each round of the bound waits for a late proposal and two late vote steps.
    CHECK(*progress->max_stall_us >= 9 * *link->link_delay_us);
  }
  CHECK(slow >= 10);
}
