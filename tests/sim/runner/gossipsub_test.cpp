// The gossipsub router end to end: on a full mesh it keeps the chain going with each vote
// received about D times (flood: about N times) and far fewer bytes; with loss and a partition
// that heals, lazy pull (IHAVE / IWANT) and retransmission bring every node back; flood is still
// there when a scenario asks for it.
#include <doctest/doctest.h>

#include "sim/runner/runner.hpp"
#include "sim/scenario/load_scenario.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
const char* kMesh = R"(version: 1
name: gossipsub-mesh
duration: 20s
warmup: 4s
chain: { block_time: 1s }
network:
  latency: { default: { dist: lognormal, median: 10ms, sigma: 0.3 }, jitter: 2ms }
  peers: full_mesh
validators:
  - { group: val, count: 40, stake: 1000 }
load:
  - { kind: poisson, rate: 20/s, tx: transfer, accounts: 50 }
expect:
  - { check: no_conflicting_finality }
  - { check: state_root_agreement }
  - { check: chain_height, min: 12 }
)";

const char* kHeal = R"(version: 1
name: gossipsub-heal
duration: 40s
warmup: 3s
chain: { block_time: 1s, timeouts: { propose: 1s, prevote: 500ms, precommit: 500ms } }
network:
  latency: { default: { dist: lognormal, median: 10ms, sigma: 0.3 }, jitter: 2ms }
  loss: 5%
  peers: full_mesh
validators:
  - { group: left, count: 10, stake: 1000 }
  - { group: right, count: 10, stake: 1000 }
load:
  - { kind: poisson, rate: 10/s, tx: transfer, accounts: 50 }
faults:
  - { id: split, at: 8s, partition: { groups: [left, right] }, duration: 8s }
expect:
  - { check: no_conflicting_finality }
  - { check: state_root_agreement }
  - { check: supply_conserved }
  - { check: recovers, after: split, within: 10s }
)";

RunOutput run(const char* text, std::vector<std::string> sets = {}) {
  auto s = load_scenario_text(text, "gossipsub.yaml", sets);
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  RunSettings settings;
  settings.seed = 3;
  auto out = run_scenario(s.value(), settings);
  REQUIRE_MESSAGE(out.error.empty(), out.error);
  return out;
}

double copies(const RunOutput& out, const std::string& kind) {
  const auto& c = out.result.metrics.gossip_copies_per_message;
  REQUIRE(c.contains(kind));
  return c.at(kind);
}
}  // namespace

TEST_CASE("on a 40-validator full mesh, gossipsub receives each vote at most 1.5 D times and sends far fewer bytes") {
  const auto mesh = run(kMesh);
  const auto flood = run(kMesh, {"network.gossip.router=flood"});
  CHECK(mesh.result.exit_code == kExitOk);
  CHECK(flood.result.exit_code == kExitOk);
  CHECK(copies(mesh, "vote") <= 1.5 * 8);
  CHECK(copies(mesh, "tx") <= 1.5 * 8);
  CHECK(copies(flood, "vote") > 30);  // every peer relays every vote: about N - 1 copies
  const auto& m = mesh.result.metrics;
  const auto& f = flood.result.metrics;
  CHECK(m.bytes_received_per_node_s_mean * 2 < f.bytes_received_per_node_s_mean);
  CHECK(m.bytes_sent_per_node_s_max >= m.bytes_sent_per_node_s_mean);
  CHECK(mesh.result.digest != flood.result.digest);
}

TEST_CASE("with 5% loss and a partition that heals, gossipsub recovers and every node catches up") {
  const auto out = run(kHeal);
  CHECK(out.result.exit_code == kExitOk);
  for (const auto& e : out.result.expectations) CHECK_MESSAGE(e.passed, e.name << ": " << e.detail);
  CHECK(out.result.metrics.final_height >= 20);
}

TEST_CASE("a bad network.gossip section is an error that names the key") {
  auto bad = [](const std::string& set) {
    auto s = load_scenario_text(kMesh, "gossipsub.yaml", {set});
    REQUIRE_FALSE(s.ok());
    return s.error().message;
  };
  CHECK(bad("network.gossip.router=epidemic").find("router") != std::string::npos);
  CHECK(bad("network.gossip.mesh.d=20").find("d_lo <= d <= d_hi") != std::string::npos);
  CHECK(bad("network.gossip.heartbeat=5ms").find("heartbeat") != std::string::npos);
  CHECK(bad("network.gossip.history=0").find("history") != std::string::npos);
}
