// to_yaml writes the fully resolved scenario; loading that text gives back an equal Scenario, and
// every shipped scenario in scenarios/ loads and round-trips.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "sim/scenario/load_scenario.hpp"
#include "sim/scenario/scenario_summary.hpp"
#include "sim/scenario/scenario_writer.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
const char* kEverything = R"(version: 1
name: everything
description: "uses every section: \"quoted\" text"
seed: 7
duration: 5min
stop_at_height: 400
warmup: 30s
chain:
  block_time: 3s
  quorum: 2/3
  slash_double_sign: 10%
  timeouts: { propose: 2s, prevote_delta: 250ms }
  crypto: fast
network:
  zones: [a, b, c]
  latency:
    default: { dist: uniform, min: 10ms, max: 30ms }
    matrix: { a~b: 38ms, a->c: 95ms }
    jitter: 4ms
  bandwidth: 100Mbit
  loss: 0.2%
  duplicate: 0.01%
  reorder: 1%
  peers: { kind: small_world, k: 4, p: 0.1 }
validators:
  - { group: core, count: 5, stake: 2000000, zone: a }
  - { group: tail, count: 9, stake: { dist: lognormal, sigma: 0.5, total: 9000001 }, zone: [b, c] }
  - { group: listed, count: 2, stake: [5, 7], zone: c }
  - { group: late, count: 2, stake: 1000, at_genesis: false }
  - { group: evil, count: 1, stake: 1500000, byzantine: { behavior: selective_gossip, to: [core, "tail[0:2]"], at: 1min, duration: 30s } }
accounts: { count: 500, balance: 1e9 }
genesis: { accounts: [{ name: treasury, balance: 1000000 }] }
load:
  - { from: 10s, kind: constant, rate: 5/min, tx: mix, accounts: 50 }
  - { from: 1min, kind: ramp, to_rate: 2.5/s, over: 20s, until: 2min }
  - { from: 2min, kind: burst, count: 100, every: 10s }
faults:
  - { id: split, at: 90s, partition: { groups: [[core], [tail, listed]] }, duration: 40s }
  - { at: 100s, partition: { one_way: { from: core, to: { count: 2, from: tail } } }, until_height: 300, at_height: 250 }
  - { at: 2min, heal: split }
  - { at_height: 250, crash: "tail[0:5]", restart_after: 20s, wipe: true }
  - { at: 150s, clock_skew: { who: minority, offset: -2s, drift: 100ppm }, duration: 30s }
  - { at: 160s, link: { from: core, to: tail, delay: 200ms, loss: 5%, bandwidth: 1Mbit }, duration: 10s }
  - { at: 170s, stake: { who: "core[0]", amount: 5000 } }
  - { at: 180s, join: late }
  - { at: 190s, leave: "tail[8]" }
  - { at: 200s, pause: { stake_fraction: 0.1 }, duration: 5s }
  - { id: step, at: { height: 260, round: 1, step: prevote, node: "core[1]" }, pause: "tail[0]", duration: 5s }
  - { at: { height: 270 }, crash: "tail[1]", restart_after: 5s }
  - { at: 210s, messages: { kind: precommit, from: core, to: tail, heights: [5, 9], rounds: 0, drop: true }, duration: 5s }
  - { at: 220s, messages: { kind: block, to: "tail[2]", delay: 300ms }, until_height: 300 }
nemesis: { faults: [partition, crash], targets: [one, { count: 2, from: core }], interval: 30s, from: 3min, max_concurrent: 2 }
expect:
  - { check: no_conflicting_finality }
  - { check: equivocators_slashed, who: evil, within: 10 blocks }
  - { check: recovers, after: split, within: 30s }
  - { check: finality_progress, max_stall: 20s, window: after:split }
  - { check: chain_height, min: 50 }
  - { metric: tps.finalized.mean, window: [1min, 2min], min: 0.5, max: 1000 }
  - { metric: finality_latency.p99, window: { during: split }, max: 6s }
  - { metric: tps.offered.mean, min: 2/s }
report: { outputs: [console, json, junit], resolution: 500ms }
)";
}  // namespace

TEST_CASE("a scenario using every section survives to_yaml and back unchanged") {
  auto first = load_scenario_text(kEverything, "everything.yaml");
  // The one_way fault above has two triggers: expected error, then fix it.
  REQUIRE_FALSE(first.ok());
  CHECK(first.error().message.find("exactly one trigger") != std::string::npos);
  std::string text = kEverything;
  text.replace(text.find("at: 100s, partition"), 10, "");
  auto s = load_scenario_text(text, "everything.yaml");
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  const std::string yaml = to_yaml(s.value());
  auto back = load_scenario_text(yaml, "resolved.yaml");
  REQUIRE_MESSAGE(back.ok(), (back.error().message + "\n" + yaml));
  CHECK(back.value() == s.value());
  CHECK(to_yaml(back.value()) == yaml);  // a fixed point
  CHECK(s.value().groups[2].stake.values == std::vector<Amount>{5, 7});
  CHECK(!describe_scenario(s.value()).empty());
}

TEST_CASE("frozen stake values are used as written instead of being drawn again") {
  const char* text = R"(version: 1
duration: 1min
validators:
  - { group: v, count: 3, stake: { dist: pareto, alpha: 2, total: 100, values: [50, 30, 20] } }
)";
  auto s = load_scenario_text(text, "frozen.yaml");
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  CHECK(s.value().validators[1].stake == Amount{30});
  CHECK_FALSE(load_scenario_text(std::string(text).replace(std::string(text).find("20]"), 3, "]"), "f.yaml").ok());
}

TEST_CASE("every shipped scenario loads, is described and round-trips through to_yaml") {
  const auto dir = std::filesystem::path(MTSIM_SOURCE_DIR) / "scenarios";
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  CHECK(files.size() >= 3);
  for (const auto& f : files) {
    CAPTURE(f.string());
    auto s = load_scenario(f.string());
    REQUIRE_MESSAGE(s.ok(), s.error().message);
    CHECK(!s.value().expect.empty());
    CHECK(describe_scenario(s.value()).find("validators") != std::string::npos);
    auto back = load_scenario_text(to_yaml(s.value()), (dir / "resolved.yaml").string());
    REQUIRE_MESSAGE(back.ok(), back.error().message);
    CHECK(back.value() == s.value());
  }
}

TEST_CASE("a matrix file is loaded into directed pairs that inline entries override") {
  const auto dir = std::filesystem::path(MTSIM_SOURCE_DIR) / "scenarios";
  const std::string text = R"(version: 1
duration: 1min
network:
  latency: { matrix_file: data/aws-latencies.csv, matrix: { London~Tokyo: 100ms } }
validators: [{ group: v, count: 4, stake: 10, zone: [London, Tokyo] }]
)";
  auto s = load_scenario_text(text, (dir / "inline.yaml").string());
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  const auto& net = s.value().network;
  CHECK(net.zones.size() == 13);
  CHECK(net.matrix.size() == 13 * 13 - 2 + 1);
  int london_tokyo = 0;
  for (const auto& p : net.matrix) {
    if ((p.from == "London" && p.to == "Tokyo") || (p.from == "Tokyo" && p.to == "London")) {
      ++london_tokyo;
      CHECK(p.one_way_us == 100 * kUsPerMs);
    }
    if (p.from == "N_Virginia" && p.to == "Canada") CHECK(p.one_way_us == 7 * kUsPerMs);
  }
  CHECK(london_tokyo == 1);
  auto back = load_scenario_text(to_yaml(s.value()), "/elsewhere/resolved.yaml");
  REQUIRE_MESSAGE(back.ok(), back.error().message);
  CHECK(back.value() == s.value());
  CHECK(back.value().network.matrix_file.empty());
}
