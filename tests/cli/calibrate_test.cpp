// `mtsim calibrate`: writes a costs fragment with every key (the transport's two measured over
// loopback TCP), whose values a scenario takes through `extends:`; bad arguments are usage errors
// (exit 64).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "sim/run/exit_codes.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "tests/cli/cli_harness.hpp"

using namespace mt;
using mt::testing::mtsim;
using mt::testing::TempDir;

TEST_CASE("calibrate writes a costs fragment a scenario extends, with every key measured") {
  TempDir dir("mtsim-calibrate");
  const auto out = dir.path / "costs.yaml";
  const auto r = mtsim("calibrate --budget 5 --out " + out.string(), dir.path / "log.txt");
  REQUIRE_MESSAGE(r.exit_code == kExitOk, r.output);
  CHECK(r.output.find("wrote " + out.string()) != std::string::npos);
  std::ofstream(dir.path / "run.yaml") << "extends: costs.yaml\nversion: 1\nname: c\nduration: 5s\n"
                                          "validators:\n  - { group: v, count: 4, stake: 1 }\n";
  auto s = sim::load_scenario((dir.path / "run.yaml").string());
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  const CpuCosts& c = s.value().costs;
  for (TimeUs v : {c.verify_us, c.verify_known_us, c.sign_us, c.execute_tx_us, c.block_overhead_us, c.hash_per_kib_us,
                   c.store_block_us, c.send_message_us, c.receive_message_us}) {
    CHECK(v >= 1);
    CHECK(v <= kUsPerSec);
  }
  // A verification costs more than a cache lookup on any machine.
  CHECK(c.verify_us > c.verify_known_us);
  // The transport ops were measured here, not left at their defaults.
  std::ifstream in(out);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  CHECK(text.find("not measured") == std::string::npos);
  CHECK(text.find("#   send_message") != std::string::npos);
  CHECK(text.find("#   receive_message") != std::string::npos);
}

TEST_CASE("calibrate refuses bad arguments with a usage error") {
  TempDir dir("mtsim-calibrate");
  CHECK(mtsim("calibrate --budget 0", dir.path / "a.txt").exit_code == kExitUsage);
  CHECK(mtsim("calibrate --budget soon", dir.path / "b.txt").exit_code == kExitUsage);
  CHECK(mtsim("calibrate --out", dir.path / "c.txt").exit_code == kExitUsage);
  const auto r = mtsim("calibrate --frobnicate", dir.path / "d.txt");
  CHECK(r.exit_code == kExitUsage);
  CHECK(r.output.find("unknown argument '--frobnicate'") != std::string::npos);
}
