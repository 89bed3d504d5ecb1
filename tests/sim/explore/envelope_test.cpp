// The envelope file is read strictly: defaults without keys, every key honoured, and unknown keys,
// bad units, inverted ranges and unknown kinds are errors at their file:line:column.
#include <doctest/doctest.h>

#include "sim/explore/envelope.hpp"
#include "sim/explore/kinds.hpp"

using namespace mt;
using namespace mt::sim;
using namespace mt::sim::explore;

TEST_CASE("envelope: an empty file is the defaults") {
  auto e = parse_envelope("", "e.yaml");
  REQUIRE(e.ok());
  Envelope d = default_envelope();
  d.file = "e.yaml";
  CHECK(e.value() == d);
  CHECK(d.faults == kFaultKinds);
  CHECK(d.behaviours.size() == behaviour_kinds().size());
}

TEST_CASE("envelope: keys set ranges and lists") {
  auto e = parse_envelope("version: 1\nvalidators: [6, 10]\nblock_time: 1s\nfault_phase: [8s, 12s]\n"
                          "loss: [0%, 1%]\nfaults: [crash, split]\nbehaviours: [amnesia]\nover_third_fraction: 0\n",
                          "e.yaml");
  REQUIRE_MESSAGE(e.ok(), (e.ok() ? std::string() : e.error().message));
  CHECK(e.value().validators == Span<std::uint64_t>{6, 10});
  CHECK(e.value().block_time == Span<TimeUs>{kUsPerSec, kUsPerSec});
  CHECK(e.value().fault_phase == Span<TimeUs>{8 * kUsPerSec, 12 * kUsPerSec});
  CHECK(e.value().loss == Span<Ppm>{0, 10'000});
  CHECK(e.value().faults == std::vector<std::string>{"crash", "split"});
  CHECK(e.value().behaviours == std::vector<std::string>{"amnesia"});
  CHECK(e.value().over_third_fraction == 0);
}

TEST_CASE("envelope: errors name the position and every problem") {
  auto e = parse_envelope("validators: [10, 4]\nfautls: [crash]\nblock_time: [1, 2s]\nbehaviours: [amnesiac]\n", "e.yaml");
  REQUIRE_FALSE(e.ok());
  const std::string& m = e.error().message;
  CHECK(m.find("e.yaml:1:") != std::string::npos);
  CHECK(m.find("low end is above the high end") != std::string::npos);
  CHECK(m.find("e.yaml:2:1: unknown key 'fautls'") != std::string::npos);
  CHECK(m.find("did you mean 'faults'") != std::string::npos);
  CHECK(m.find("e.yaml:3:") != std::string::npos);
  CHECK(m.find("amnesiac") != std::string::npos);
}

TEST_CASE("envelope: limits keep a seed a seed") {
  CHECK_FALSE(parse_envelope("validators: [2, 8]\n", "e.yaml").ok());
  CHECK_FALSE(parse_envelope("validators: [4, 100000]\n", "e.yaml").ok());
  CHECK_FALSE(parse_envelope("block_time: 10ms\n", "e.yaml").ok());
  CHECK_FALSE(parse_envelope("stake_shapes: []\n", "e.yaml").ok());
  CHECK_FALSE(parse_envelope("- a list\n", "e.yaml").ok());
  CHECK(parse_envelope("faults: []\nbehaviours: []\n", "e.yaml").ok());  // nothing but the network
}
