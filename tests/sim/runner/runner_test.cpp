// The runner end to end on a small scenario: a seed replays bit for bit, another seed does not,
// the simulation shortcuts (shared verification and transition caches, decode memo) change no
// outcome, and a missed threshold or a crashed majority gives the documented exit code.
#include <doctest/doctest.h>

#include "sim/runner/runner.hpp"
#include "sim/scenario/load_scenario.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
const char* kSmall = R"(version: 1
name: runner-small
duration: 20s
warmup: 5s
chain: { block_time: 1s }
network:
  zones: [a, b]
  latency: { default: { dist: lognormal, median: 10ms, sigma: 0.3 }, matrix: { a~b: 30ms }, jitter: 2ms }
  loss: 0.5%
  peers: full_mesh
validators:
  - { group: a, count: 2, stake: 1000, zone: a }
  - { group: b, count: 2, stake: 1000, zone: b }
load:
  - { kind: poisson, rate: 30/s, tx: transfer, accounts: 50 }
expect:
  - { check: no_conflicting_finality }
  - { check: state_root_agreement }
  - { check: supply_conserved }
  - { check: no_invalid_tx_committed }
  - { metric: tps.finalized.mean, window: steady, min: 20 }
)";

Scenario load(const std::string& extra_set = "") {
  std::vector<std::string> sets;
  if (!extra_set.empty()) sets.push_back(extra_set);
  auto s = load_scenario_text(kSmall, "runner-small.yaml", sets);
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return std::move(s).value();
}

RunOutput run(const Scenario& s, std::uint64_t seed, bool share = true) {
  RunSettings settings;
  settings.seed = seed;
  settings.share = share;
  auto out = run_scenario(s, settings);
  REQUIRE_MESSAGE(out.error.empty(), out.error);
  return out;
}
}  // namespace

TEST_CASE("a scenario and a seed replay bit for bit; another seed gives another run") {
  auto s = load();
  auto a = run(s, 7);
  auto b = run(s, 7);
  auto c = run(s, 8);
  CHECK(a.result.digest == b.result.digest);
  CHECK(a.result.metrics.txs_finalized == b.result.metrics.txs_finalized);
  CHECK(a.result.blocks.size() == b.result.blocks.size());
  CHECK(a.result.digest != c.result.digest);
  CHECK(a.result.exit_code == 0);
  CHECK(a.result.metrics.final_height >= 15);
  CHECK(a.result.metrics.txs_finalized > 300);
  for (const auto& e : a.result.expectations) CHECK_MESSAGE(e.passed, (e.name + ": " + e.detail));
}

TEST_CASE("turning the simulation shortcuts off changes no outcome") {
  auto s = load();
  auto shared = run(s, 3, true);
  auto alone = run(s, 3, false);
  CHECK(shared.result.digest == alone.result.digest);
  REQUIRE(shared.result.blocks.size() == alone.result.blocks.size());
  for (std::size_t i = 0; i < shared.result.blocks.size(); ++i) {
    CHECK(shared.result.blocks[i].hash == alone.result.blocks[i].hash);
  }
}

TEST_CASE("with batched relays, turning the shortcuts off still changes no outcome, and the chain agrees") {
  auto s = load("network.gossip_batch=15ms");
  auto shared = run(s, 3, true);
  auto alone = run(s, 3, false);
  CHECK(shared.result.digest == alone.result.digest);
  CHECK(shared.result.exit_code == 0);
  // Batching is a different message pattern, so a different run (but the same kind of chain).
  CHECK(shared.result.digest != run(load(), 3, true).result.digest);
  REQUIRE(shared.result.blocks.size() == alone.result.blocks.size());
  for (std::size_t i = 0; i < shared.result.blocks.size(); ++i) {
    CHECK(shared.result.blocks[i].hash == alone.result.blocks[i].hash);
  }
}

TEST_CASE("a node wiped and synced back from stores that share block bytes sees what it would alone") {
  // The wiped node syncs every block from its peers' stores: pooled block bytes and commits
  // served from the next block's last commit must give it exactly the unshared run's chain.
  const std::string faults = R"(
faults:
  - { id: wiped, at: 8s, crash: "b[0]", restart_after: 3s, wipe: true }
)";
  auto text = std::string(kSmall);
  text.insert(text.find("expect:"), faults.substr(1));
  auto s = load_scenario_text(text, "runner-wipe.yaml", {});
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  auto shared = run(s.value(), 5, true);
  auto alone = run(s.value(), 5, false);
  CHECK(shared.result.digest == alone.result.digest);
  CHECK(shared.result.exit_code == 0);
  for (const auto& e : shared.result.expectations) CHECK_MESSAGE(e.passed, (e.name + ": " + e.detail));
  REQUIRE(shared.result.blocks.size() == alone.result.blocks.size());
  for (std::size_t i = 0; i < shared.result.blocks.size(); ++i) {
    CHECK(shared.result.blocks[i].hash == alone.result.blocks[i].hash);
  }
}

TEST_CASE("a threshold the chain cannot meet fails with exit code 2 and says by how much") {
  auto s = load("expect[4].min=10000/s");
  auto out = run(s, 1);
  CHECK(out.result.exit_code == 2);
  const auto& e = out.result.expectations.at(4);
  CHECK_FALSE(e.passed);
  CHECK(e.detail.find("tps.finalized.mean") != std::string::npos);
}

TEST_CASE("crashing more than a third of the stake halts finality; a recovers check sees it resume") {
  std::string text = std::string(kSmall) +
                     "  - { check: recovers, after: halt, within: 10s }\n"
                     "faults:\n  - { id: halt, at: 6s, crash: \"a\", restart_after: 5s }\n";
  auto s = load_scenario_text(text, "halt.yaml");
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  auto out = run(s.value(), 2);
  REQUIRE(out.result.faults.size() == 1);
  CHECK(out.result.faults[0].end_us == sec(11));
  // No block is finalized while half of the stake is down.
  for (const auto& b : out.result.blocks) {
    CHECK_FALSE((b.commit_time_us > sec(6) + ms(500) && b.commit_time_us < sec(11)));
  }
  bool recovered = false;
  for (const auto& e : out.result.expectations) {
    if (e.name == "recovers") recovered = e.passed;
  }
  CHECK(recovered);
  CHECK(out.result.metrics.final_height >= 10);
}

TEST_CASE("a scenario built in code with an unknown byzantine behaviour is an error, not a crash") {
  auto s = load_scenario_text(R"(version: 1
name: byz
duration: 5s
validators:
  - { group: v, count: 4, stake: 1000 }
  - { group: b, count: 1, stake: 1000, byzantine: amnesia }
)", "byz.yaml");
  REQUIRE(s.ok());
  Scenario scenario = std::move(s).value();
  scenario.groups.back().byzantine->behavior = "no_such_behaviour";
  RunSettings settings;
  auto out = run_scenario(scenario, settings);
  CHECK(out.error.find("unknown byzantine behaviour 'no_such_behaviour'") != std::string::npos);
}
