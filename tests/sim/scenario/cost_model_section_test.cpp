// The cost model in a scenario: `costs:` sets per-operation charges (unset keys keep today's
// numbers), `validators[].cpu: {speed}` and `validators[].bandwidth: {up, down}` resolve to
// integers, the writer round-trips them (and writes nothing for defaults), a calibrate-style
// fragment works through `extends:`, and bad values are clear loader errors at their line.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "sim/scenario/load_scenario.hpp"
#include "sim/scenario/scenario_writer.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
const std::string kHead = R"(version: 1
name: costs
duration: 10s
)";
const std::string kGroups = R"(validators:
  - { group: fast, count: 2, stake: 1000 }
  - { group: slow, count: 2, stake: 1000, cpu: { speed: 0.05 }, bandwidth: { up: 100Mbit/s, down: 1Gbit/s } }
)";

Scenario load_ok(const std::string& text) {
  auto s = load_scenario_text(text, "costs.yaml");
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  return std::move(s).value();
}

std::string error_of(const std::string& text) {
  auto s = load_scenario_text(text, "costs.yaml");
  REQUIRE_FALSE(s.ok());
  return s.error().message;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string group_with(const std::string& extra) {
  return kHead + "validators:\n  - { group: g, count: 4, stake: 1000, " + extra + " }\n";
}
}  // namespace

TEST_CASE("costs, cpu speed and node bandwidth resolve to integers; unset costs keep the defaults") {
  const Scenario s = load_ok(kHead + "costs: { verify: 80us, sign: 40us, store_block: 1ms }\n" + kGroups);
  CHECK(s.costs.verify_us == 80);
  CHECK(s.costs.sign_us == 40);
  CHECK(s.costs.store_block_us == 1000);
  CHECK(s.costs.execute_tx_us == CpuCosts{}.execute_tx_us);
  CHECK(s.costs.verify_known_us == CpuCosts{}.verify_known_us);
  REQUIRE(s.groups.size() == 2);
  CHECK(s.groups[0].cpu_speed_permille == 1000);
  CHECK(s.groups[0].uplink_bps == 0);
  CHECK(s.groups[1].cpu_speed_permille == 50);
  CHECK(s.groups[1].uplink_bps == 100'000'000);
  CHECK(s.groups[1].downlink_bps == 1'000'000'000);
}

TEST_CASE("the transport costs are read from costs: and otherwise keep their calibrated defaults") {
  const Scenario set = load_ok(kHead + "costs: { send_message: 12us, receive_message: 7us }\n" + kGroups);
  CHECK(set.costs.send_message_us == 12);
  CHECK(set.costs.receive_message_us == 7);
  CHECK(set.costs.verify_us == CpuCosts{}.verify_us);
  const Scenario unset = load_ok(kHead + kGroups);
  CHECK(unset.costs.send_message_us == CpuCosts{}.send_message_us);
  CHECK(unset.costs.receive_message_us == CpuCosts{}.receive_message_us);
  CHECK(CpuCosts{}.send_message_us > 0);
  CHECK(CpuCosts{}.receive_message_us > 0);
}

TEST_CASE("the writer round-trips the cost model and writes nothing for the defaults") {
  const Scenario s = load_ok(kHead + "costs: { verify: 80us, hash_per_kib: 3us }\n" + kGroups);
  const std::string yaml = to_yaml(s);
  CHECK(contains(yaml, "costs:"));
  CHECK(contains(yaml, "speed: 0.05"));
  const Scenario back = load_ok(yaml);
  CHECK(back == s);
  const std::string plain = to_yaml(load_ok(kHead + "validators:\n  - { group: g, count: 4, stake: 1000 }\n"));
  CHECK_FALSE(contains(plain, "costs:"));
  CHECK_FALSE(contains(plain, "speed"));
  CHECK_FALSE(contains(plain, "bandwidth"));
}

TEST_CASE("a costs fragment (as mtsim calibrate writes) applies through extends") {
  const auto dir = std::filesystem::temp_directory_path() / "mtsim-costs-extends-test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "costs.yaml") << "# measured\ncosts:\n  verify: 61us\n  execute_tx: 7us\n";
  std::ofstream(dir / "run.yaml") << "extends: costs.yaml\n" << kHead << kGroups;
  auto s = load_scenario((dir / "run.yaml").string());
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  CHECK(s.value().costs.verify_us == 61);
  CHECK(s.value().costs.execute_tx_us == 7);
  CHECK(s.value().costs.sign_us == CpuCosts{}.sign_us);
  std::filesystem::remove_all(dir);
}

TEST_CASE("bad cpu speeds are clear errors") {
  CHECK(contains(error_of(group_with("cpu: { speed: 0 }")), "must be above 0"));
  CHECK(contains(error_of(group_with("cpu: { speed: -0.5 }")), "negative CPU speed"));
  CHECK(contains(error_of(group_with("cpu: { speed: fast }")), "bad CPU speed"));
  CHECK(contains(error_of(group_with("cpu: { speed: 50% }")), "bad CPU speed"));
  CHECK(contains(error_of(group_with("cpu: { speed: 0.0001 }")), "validators[0].cpu.speed"));
  CHECK(contains(error_of(group_with("cpu: { speed: 5000 }")), "above 1000"));
  CHECK(contains(error_of(group_with("cpu: { sped: 0.5 }")), "sped"));
  CHECK(contains(error_of(group_with("cpu: 0.5")), "expected a mapping like {speed: 0.5}"));
  const std::string e = error_of(group_with("cpu: { speed: 0 }"));
  CHECK(contains(e, "costs.yaml:5:"));  // file and line of the value
}

TEST_CASE("bad bandwidths are clear errors") {
  CHECK(contains(error_of(group_with("bandwidth: { up: 0Mbit }")), "must be above 0"));
  CHECK(contains(error_of(group_with("bandwidth: { up: 100 }")), "validators[0].bandwidth.up"));
  CHECK(contains(error_of(group_with("bandwidth: { up: -5Mbit }")), "validators[0].bandwidth.up"));
  CHECK(contains(error_of(group_with("bandwidth: { down: 10parsecs }")), "validators[0].bandwidth.down"));
  CHECK(contains(error_of(group_with("bandwidth: {}")), "set 'up', 'down' or both"));
  CHECK(contains(error_of(group_with("bandwidth: { upp: 1Gbit }")), "upp"));
}

TEST_CASE("bad costs are clear errors") {
  const std::string groups = "validators:\n  - { group: g, count: 4, stake: 1000 }\n";
  CHECK(contains(error_of(kHead + "costs: { verify: 50 }\n" + groups), "costs.verify"));
  CHECK(contains(error_of(kHead + "costs: { verify: -5us }\n" + groups), "costs.verify"));
  CHECK(contains(error_of(kHead + "costs: { verify: 2s }\n" + groups), "at most 1s"));
  CHECK(contains(error_of(kHead + "costs: { verfy: 50us }\n" + groups), "verfy"));
  CHECK(contains(error_of(kHead + "costs: [verify]\n" + groups), "costs: expected a mapping"));
}
