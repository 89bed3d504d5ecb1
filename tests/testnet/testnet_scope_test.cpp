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
