// What `mtsim testnet` accepts: a nemesis now comes from the run's fault plan, so real processes
// take one whose faults they can apply (crash, pause, partition, link_delay) and refuse the rest
// with a reason, like any other fault.
#include <doctest/doctest.h>

#include "sim/scenario/load_scenario.hpp"
#include "testnet/testnet_scope.hpp"

using namespace mt;

namespace {
testnet::ScopeCheck scope_with(const std::string& nemesis) {
  const std::string text = "version: 1\nname: n\nduration: 20s\nvalidators:\n  - { group: v, count: 4, stake: 1 }\n"
                           "nemesis: " + nemesis + "\n";
  auto s = sim::load_scenario_text(text, "n.yaml");
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return testnet::check_testnet_scope(s.value());
}
}  // namespace

TEST_CASE("the testnet takes a nemesis of process faults and refuses one that needs the simulator") {
  CHECK(scope_with("{ faults: [crash, pause, partition, link_delay], interval: 4s }").refusals.empty());
  const auto skew = scope_with("{ faults: [crash, clock_skew], interval: 4s }");
  REQUIRE(skew.refusals.size() == 1);
  CHECK(skew.refusals[0].find("clock_skew") != std::string::npos);
  CHECK(scope_with("{ faults: [link_loss], interval: 4s }").refusals.size() == 1);
  CHECK(scope_with("{ faults: [crash], targets: [proposer], interval: 4s }").refusals.size() == 1);
}

TEST_CASE("the testnet refuses twins and round partitions, saying why") {
  const std::string text =
      "version: 1\nname: t\nduration: 20s\nvalidators:\n  - { group: v, count: 3, stake: 1 }\n"
      "  - { group: t, count: 1, stake: 1, twin: true }\n"
      "faults:\n  - { id: rp, at: 2s, duration: 5s, round_partitions: { heights: 3, schedule: [[[t, \"v[0]\"]]] } }\n";
  auto s = sim::load_scenario_text(text, "t.yaml");
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  const auto scope = testnet::check_testnet_scope(s.value());
  REQUIRE(scope.refusals.size() >= 2);
  CHECK(scope.refusals[0].find("twins (twin: true)") != std::string::npos);
  CHECK(scope.refusals[1].find("round_partitions") != std::string::npos);
  CHECK(scope.refusals[1].find("rp.r0.g0") != std::string::npos);
}
