// Shrinking keeps only simplifications under which the same expectation still fails: an
// unmeetable throughput bound survives losing the harmless fault, most validators and half the run.
#include <doctest/doctest.h>

#include "sim/runner/shrink.hpp"
#include "sim/scenario/load_scenario.hpp"

using namespace mt::sim;

namespace {
const char* kFailing = R"(version: 1
name: shrink-me
duration: 20s
chain: { block_time: 1s, crypto: fast }
network: { latency: { default: { dist: constant, value: 5ms } }, peers: full_mesh }
validators:
  - { group: a, count: 6, stake: 1000 }
  - { group: b, count: 2, stake: 1000 }
load:
  - { kind: constant, rate: 5/s, tx: transfer, accounts: 10 }
faults:
  - { id: blip, at: 5s, pause: "b[0]", duration: 1s }
expect:
  - { check: no_conflicting_finality }
  - { metric: tps.finalized.mean, window: always, min: 1000 }
)";
}  // namespace

TEST_CASE("shrinking an unmeetable bound drops the fault and validators and still fails the same way") {
  auto r = shrink_scenario(kFailing, "shrink-me.yaml", 1, 40);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  const auto& v = r.value();
  CHECK(v.failing == "tps.finalized.mean");
  CHECK(v.exit_code == 2);
  CHECK(v.before.validators == 8);
  CHECK(v.after.validators < v.before.validators);
  CHECK(v.after.faults == 0);
  CHECK(v.after.duration_us < v.before.duration_us);
  // The minimal scenario loads and is itself a scenario file.
  auto again = load_scenario_text(v.minimal_yaml, "min.yaml");
  REQUIRE_MESSAGE(again.ok(), (again.ok() ? "" : again.error().message));
  CHECK(again.value().validators.size() == v.after.validators);
}

TEST_CASE("a passing scenario is refused: there is nothing to shrink") {
  std::string passing = kFailing;
  passing.replace(passing.find("min: 1000"), 9, "min: 1");
  auto r = shrink_scenario(passing, "pass.yaml", 1, 10);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("nothing to shrink") != std::string::npos);
}

TEST_CASE("every expectation that failed must still fail, and the run never ends before an explicit window") {
  std::string text = kFailing;
  // Two failures; the throughput bound over an explicit window that ends with the run.
  text.replace(text.find("window: always, min: 1000 }"), 27, "window: [2s, 20s], min: 1000 }\n  - { check: chain_height, min: 100000 }");
  auto r = shrink_scenario(text, "shrink-two.yaml", 1, 40);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  const auto& v = r.value();
  CHECK(v.failing == "tps.finalized.mean, chain_height");
  CHECK(v.after.validators < v.before.validators);  // it still shrinks what it may
  CHECK(v.after.duration_us == v.before.duration_us);  // halving would cut the [2s, 20s] window short
  auto again = load_scenario_text(v.minimal_yaml, "min.yaml");
  REQUIRE(again.ok());
}
