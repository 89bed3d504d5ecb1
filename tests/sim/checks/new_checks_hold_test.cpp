// On an honest run with two equivocating validators (slashed on real evidence) and crashed and
// restarted honest validators, honest_signs_once, final_blocks_valid, only_double_signers_slashed
// and client_view_consistent all hold and measure real work: signed slots, verified commit
// signatures, judged evidence, transactions finalized once; every transaction a node acknowledged
// is accounted for; and following the acknowledged transactions leaves the run's digest as it was.
#include <doctest/doctest.h>

#include "sim/runner/runner.hpp"
#include "sim/scenario/load_scenario.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
const char* kScenario = R"(version: 1
name: new-checks-hold
duration: 25s
warmup: 3s
chain: { block_time: 1s, timeouts: { propose: 1s, prevote: 500ms, precommit: 500ms } }
network:
  latency: { default: { dist: lognormal, median: 10ms, sigma: 0.3 }, jitter: 2ms }
  peers: full_mesh
validators:
  - { group: honest, count: 6, stake: 1000 }
  - { group: evil, count: 2, stake: 1000, byzantine: { behavior: equivocate_vote, from_height: 3 } }
load:
  - { kind: poisson, rate: 10/s, tx: transfer, accounts: 50 }
faults:
  - { id: r0, at: 5s, crash: "honest[0]", restart_after: 2s }
  - { id: r1, at: 9s, crash: "honest[1]", restart_after: 1s }
expect:
  - { check: honest_signs_once }
  - { check: final_blocks_valid }
  - { check: only_double_signers_slashed }
  - { check: client_view_consistent }
  - { check: equivocators_slashed, who: evil, within: 10 blocks }
)";
}  // namespace

TEST_CASE("the signing, validity and accountability checks hold on an honest run with equivocators and restarts") {
  auto s = load_scenario_text(kScenario, "new-checks-hold.yaml", {});
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  RunSettings settings;
  settings.seed = 5;
  auto out = run_scenario(s.value(), settings);
  REQUIRE_MESSAGE(out.error.empty(), out.error);
  CHECK(out.result.exit_code == 0);
  REQUIRE(out.result.expectations.size() == 5);
  for (const auto& e : out.result.expectations) CHECK_MESSAGE(e.passed, (e.name + ": " + e.detail));
  CHECK(out.result.expectations[0].measured.starts_with("0 double signs over "));
  CHECK(out.result.expectations[1].measured.find(" 0 commit signatures") == std::string::npos);
  CHECK(out.result.expectations[2].measured.starts_with("2 double-sign slashes"));
  CHECK(out.result.expectations[3].measured.find("0 transactions") == std::string::npos);
  CHECK(out.result.expectations[3].measured.find(" acknowledged: ") != std::string::npos);
  CHECK(out.result.expectations[3].measured.find("acknowledged: 0 finalized") == std::string::npos);
}

TEST_CASE("following acknowledged transactions (client_view_consistent) does not change the run") {
  std::string without = kScenario;
  const std::string line = "  - { check: client_view_consistent }\n";
  without.erase(without.find(line), line.size());
  auto with_check = load_scenario_text(kScenario, "with.yaml", {});
  auto without_check = load_scenario_text(without, "without.yaml", {});
  REQUIRE(with_check.ok());
  REQUIRE(without_check.ok());
  RunSettings settings;
  settings.seed = 5;
  auto a = run_scenario(with_check.value(), settings);
  auto b = run_scenario(without_check.value(), settings);
  REQUIRE(a.error.empty());
  REQUIRE(b.error.empty());
  CHECK(b.result.expectations.size() == 4);
  CHECK(a.result.digest == b.result.digest);
}
