// The fault plan: scripted faults plus the nemesis drawn from the seed before the run; the same
// scenario and seed give the same plan, the nemesis never exceeds max_concurrent, and the two
// runtimes (the simulator's fault injector and the testnet's fault driver) apply the same
// timeline: the same faults, to the same validators, over the same windows.
#include <doctest/doctest.h>

#include <algorithm>

#include "sim/run/fault_plan.hpp"
#include "sim/run/fault_timeline.hpp"
#include "sim/runner/runner.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "testnet/fault_driver.hpp"
#include "testnet/testnet_scope.hpp"

using namespace mt;
using namespace mt::sim;

namespace {

const char* kFaulty = R"(version: 1
name: fault-plan
duration: 30s
chain: { block_time: 1s, crypto: fast }
network:
  latency: { default: { dist: constant, value: 5ms } }
  peers: full_mesh
validators:
  - { group: val, count: 5, stake: 1000 }
faults:
  - { id: down, at: 2s, crash: one, restart_after: 3s }
  - { id: cut, at: 6s, partition: { isolate: "val[1]" }, duration: 2s }
  - { id: freeze, at: 9s, pause: "val[2]", duration: 1s }
  - { id: slow, at: 11s, link: { from: "val[3]", to: all, delay: 100ms }, duration: 2s }
  - { id: split, at: 14s, partition: { groups: ["val[0:2]", "val[2:5]"] } }
  - { at: 16s, heal: split }
nemesis:
  faults: [crash, pause, partition, link_delay]
  targets: [one, { count: 2 }]
  interval: 2s
  duration: 3s
  from: 18s
  until: 28s
  max_concurrent: 1
)";

Scenario load(const std::vector<std::string>& sets = {}) {
  auto s = load_scenario_text(kFaulty, "fault-plan.yaml", sets);
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return std::move(s).value();
}

std::vector<TimeUs> nemesis_starts(const FaultPlan& plan) {
  std::vector<TimeUs> out;
  for (const auto& p : plan.faults()) {
    if (p.nemesis) out.push_back(*p.start.at_us);
  }
  return out;
}

// Process hooks that only count what the testnet driver asked of its processes.
struct ProcessLog {
  int crashes = 0, restarts = 0, pauses = 0, resumes = 0, rule_pushes = 0;
  testnet::ProcessHooks hooks() {
    testnet::ProcessHooks h;
    h.crash = [this](std::size_t) { ++crashes; };
    h.restart = [this](std::size_t, bool) { ++restarts; };
    h.pause = [this](std::size_t) { ++pauses; };
    h.resume = [this](std::size_t) { ++resumes; };
    h.set_rules = [this](std::size_t, const testnet::LinkRules&) { return ++rule_pushes > 0; };
    return h;
  }
};

std::string describe(const std::vector<FaultWindow>& ws) {
  std::string s;
  for (const auto& w : ws) {
    s += w.id + " " + w.kind + " [" + w.targets + "] " + std::to_string(w.start_us) + ".." + std::to_string(w.end_us) + "\n";
  }
  return s;
}

}  // namespace

TEST_CASE("the fault plan is a pure function of the scenario and the seed") {
  const auto s = load();
  const auto a = FaultPlan::make(s, 7, sec(30));
  const auto b = FaultPlan::make(s, 7, sec(30));
  CHECK(a.faults() == b.faults());
  REQUIRE(a.faults().size() > s.faults.size());  // the nemesis added some
  CHECK(a.faults()[0].fault.id == "down");
  CHECK(a.faults()[s.faults.size()].fault.id == "nemesis-1");
  CHECK(a.nemesis_steps().from_us == sec(18));
  CHECK(a.nemesis_steps().every_us == sec(2));
  CHECK(a.nemesis_steps().last_us == sec(26));  // until 28s: a step at 28s would start nothing
  // A run that ends earlier plans no step after its end.
  CHECK(FaultPlan::make(s, 7, sec(23)).nemesis_steps().last_us == sec(22));
  CHECK(nemesis_starts(FaultPlan::make(s, 7, sec(23))).back() <= sec(22));
  // Another seed draws other nemesis faults (kinds, target shapes or parameters).
  bool differs = false;
  for (std::uint64_t seed = 8; seed < 12 && !differs; ++seed) differs = FaultPlan::make(s, seed, sec(30)).faults() != a.faults();
  CHECK(differs);
}

TEST_CASE("a nemesis step starts a fault only when fewer than max_concurrent are open") {
  // 3s faults every 2s, one at a time: a fault ending exactly at a step frees the slot for it.
  auto one = FaultPlan::make(load(), 3, sec(30));
  CHECK(nemesis_starts(one) == std::vector<TimeUs>{sec(18), sec(22), sec(26)});
  auto two = FaultPlan::make(load({"nemesis.max_concurrent=2"}), 3, sec(30));
  CHECK(nemesis_starts(two) == std::vector<TimeUs>{sec(18), sec(20), sec(22), sec(24), sec(26)});
  auto shorter = FaultPlan::make(load({"nemesis.duration=2s"}), 3, sec(30));
  CHECK(nemesis_starts(shorter) == std::vector<TimeUs>{sec(18), sec(20), sec(22), sec(24), sec(26)});
  for (const auto& p : one.faults()) {
    if (p.nemesis) CHECK(fault_lasts_us(p.fault) == sec(3));
  }
}

TEST_CASE("the simulator and the testnet apply the same fault timeline from the same seed") {
  const auto s = load();
  REQUIRE(testnet::check_testnet_scope(s).refusals.empty());
  for (std::uint64_t seed : {1u, 5u}) {
    CAPTURE(seed);
    RunSettings settings;
    settings.seed = seed;
    auto sim_run = run_scenario(s, settings);
    REQUIRE_MESSAGE(sim_run.error.empty(), sim_run.error);

    std::vector<std::string> names;
    for (const auto& v : s.validators) names.push_back(v.name);
    ProcessLog log;
    testnet::FaultDriver driver(s, FaultPlan::make(s, seed, sec(30)), names, log.hooks());
    for (TimeUs t = 0; t <= sec(30); t += kUsPerMs) driver.tick(t, 0);
    driver.finish(sec(30));

    const auto& sim_windows = sim_run.result.faults;
    const auto& net_windows = driver.windows();
    CHECK_MESSAGE(describe(sim_windows) == describe(net_windows), "simulator:\n" << describe(sim_windows));
    REQUIRE(sim_windows.size() == FaultPlan::make(s, seed, sec(30)).faults().size() - 1);  // every fault but the heal
    const auto crashes = std::count_if(net_windows.begin(), net_windows.end(), [](const FaultWindow& w) { return w.kind == "crash"; });
    CHECK(log.crashes >= crashes);
    CHECK(log.restarts == log.crashes);
    CHECK(log.resumes == log.pauses);
    CHECK(log.rule_pushes > 0);
    for (const auto& w : net_windows) CHECK(w.end_us > w.start_us);  // everything ended within the run
  }
}

TEST_CASE("a heal ends the named partition and lifts its link rules") {
  const auto s = load();
  const auto plan = FaultPlan::make(s, 1, sec(30));
  std::vector<std::string> names;
  for (const auto& v : s.validators) names.push_back(v.name);
  ProcessLog log;
  testnet::FaultDriver driver(s, plan, names, log.hooks());
  driver.tick(sec(14), 0);
  const auto split = std::find_if(driver.windows().begin(), driver.windows().end(),
                                  [](const FaultWindow& w) { return w.id == "split"; });
  REQUIRE(split != driver.windows().end());
  CHECK(split->end_us == -1);
  driver.tick(sec(16), 0);
  const auto healed = std::find_if(driver.windows().begin(), driver.windows().end(),
                                   [](const FaultWindow& w) { return w.id == "split"; });
  CHECK(healed->end_us == sec(16));
  CHECK(driver.rules_of(0).blocked_out.empty());
}

TEST_CASE("a protocol-point trigger starts its fault right after the named validator casts that vote") {
  const std::string text = R"(version: 1
name: step-trigger
duration: 8s
chain: { block_time: 1s, crypto: fast }
network:
  latency: { default: { dist: constant, value: 5ms } }
validators:
  - { group: v, count: 4, stake: 1000 }
faults:
  - { id: cut, at: { height: 3, step: precommit, node: "v[1]" }, crash: "v[2]", restart_after: 2s }
)";
  auto s = load_scenario_text(text, "step.yaml");
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  const auto plan = FaultPlan::make(s.value(), 1, sec(8));
  REQUIRE(plan.faults()[0].start.at_step.has_value());
  CHECK(plan.faults()[0].start.at_step->height == 3);
  RunSettings settings;
  auto out = run_scenario(s.value(), settings);
  REQUIRE(out.error.empty());
  const auto& windows = out.result.faults;
  REQUIRE(windows.size() == 1);
  const auto& blocks = out.result.blocks;
  REQUIRE(blocks.size() >= 3);
  // v[1] precommits height 3 after height 2 is final and no later than height 3 is.
  CHECK(windows[0].start_us > blocks[1].commit_time_us);
  CHECK(windows[0].start_us <= blocks[2].commit_time_us);
  CHECK(windows[0].end_us == windows[0].start_us + sec(2));
  // The testnet does not see every node's votes: it refuses the trigger.
  CHECK(testnet::check_testnet_scope(s.value()).refusals.size() == 1);
  // A point no validator reaches (round 7 of height 3) never starts its fault.
  auto never = load_scenario_text(text, "step.yaml", {"faults[0].at.round=7"});
  REQUIRE_MESSAGE(never.ok(), (never.ok() ? "" : never.error().message));
  CHECK(run_scenario(never.value(), settings).result.faults.empty());
}
