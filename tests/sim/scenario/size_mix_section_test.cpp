// A load segment's `size:`: one size or a weighted mix loads, is inherited by the next segment,
// round-trips through to_yaml, and every malformed mix is an error that says what to write.
#include <doctest/doctest.h>

#include "sim/scenario/load_scenario.hpp"
#include "sim/scenario/scenario_writer.hpp"

using namespace mt;
using namespace mt::sim;

namespace {

const std::string kHead = R"(version: 1
name: sizes
duration: 30s
warmup: 5s
chain: { block_time: 1s, max_tx_bytes: 16KiB }
validators:
  - { group: v, count: 4, stake: 1000000 }
load:
)";

Scenario load_ok(const std::string& load) {
  auto s = load_scenario_text(kHead + load, "sizes.yaml");
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  return s.value();
}

std::string error_of(const std::string& load) {
  auto s = load_scenario_text(kHead + load, "sizes.yaml");
  REQUIRE_FALSE(s.ok());
  return s.error().message;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a size mix loads, the next segment inherits it, and it round-trips through to_yaml") {
  const Scenario s = load_ok(
      "  - { kind: poisson, rate: 50/s, size: { mix: [ { bytes: 250, weight: 80 }, { bytes: 2KiB, weight: 20 } ] } }\n"
      "  - { from: 10s, kind: constant, rate: 20/s }\n"
      "  - { from: 20s, kind: constant, rate: 20/s, size: 600 }\n");
  REQUIRE(s.load.size() == 3);
  CHECK(s.load[0].size == SizeMix{{250, 80}, {2048, 20}});
  CHECK(s.load[1].size == s.load[0].size);
  CHECK(s.load[2].size == SizeMix{{600, 1}});

  auto back = load_scenario_text(to_yaml(s), "resolved.yaml");
  REQUIRE_MESSAGE(back.ok(), back.error().message);
  CHECK(back.value().load[0].size == s.load[0].size);
  CHECK(back.value().load[2].size == s.load[2].size);
}

TEST_CASE("a load without size keeps natural sizes") {
  CHECK(load_ok("  - { kind: constant, rate: 10/s }\n").load[0].size.empty());
}

TEST_CASE("a malformed size mix is an error that names the field") {
  CHECK(contains(error_of("  - { kind: constant, rate: 10/s, size: { mix: [] } }\n"), "load[0].size.mix: expected a list"));
  CHECK(contains(error_of("  - { kind: constant, rate: 10/s, size: { mix: 250 } }\n"), "load[0].size.mix: expected a list"));
  CHECK(contains(error_of("  - { kind: constant, rate: 10/s, size: { mix: [ { weight: 3 } ] } }\n"),
                 "load[0].size.mix[0]: needs 'bytes'"));
  CHECK(contains(error_of("  - { kind: constant, rate: 10/s, size: { mix: [ { bytes: 0 } ] } }\n"),
                 "load[0].size.mix[0].bytes: must be 1 byte"));
  CHECK(contains(error_of("  - { kind: constant, rate: 10/s, size: { mix: [ { bytes: 300, weight: 0 } ] } }\n"),
                 "load[0].size.mix[0].weight: must be 1 to"));
  CHECK(contains(error_of("  - { kind: constant, rate: 10/s, size: { mix: [ { bytes: 300, weight: 1.5 } ] } }\n"),
                 "weight"));
  CHECK(contains(error_of("  - { kind: constant, rate: 10/s, size: { mix: [ { bytes: 300, share: 2 } ] } }\n"),
                 "share"));
  CHECK(contains(error_of("  - { kind: constant, rate: 10/s, size: { avg: 300 } }\n"), "avg"));
  CHECK(contains(error_of("  - { kind: constant, rate: 10/s, size: lots }\n"), "load[0].size"));
  CHECK(contains(error_of("  - { kind: constant, rate: 10/s, size: 20KiB }\n"),
                 "load[0].size: 20480 bytes is above chain.max_tx_bytes (16384)"));
}
