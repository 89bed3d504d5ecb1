// `mtsim run` and `mtsim testnet` read their shared options through one parser
// (cli/common_options.*): both accept --progress, --color, --quiet, --set, --out, --seed and
// --until, and refuse the same bad values with the same message naming the command.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "tests/cli/cli_harness.hpp"

namespace {

const std::string kQuickstart = std::string(MTSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml";

TEST_CASE("mtsim run and mtsim testnet refuse bad shared options alike, naming themselves") {
  const mt::testing::TempDir dir("mtsim-common-options");
  for (const std::string cmd : {"run", "testnet"}) {
    CAPTURE(cmd);
    auto p = mt::testing::mtsim(cmd + " " + kQuickstart + " --progress sideways", dir.path / "p.log");
    CHECK(p.exit_code == 64);
    CHECK(p.output.find("mtsim " + cmd + ": --progress must be auto, bar, lines or none") != std::string::npos);
    auto c = mt::testing::mtsim(cmd + " " + kQuickstart + " --color pink", dir.path / "c.log");
    CHECK(c.exit_code == 64);
    CHECK(c.output.find("mtsim " + cmd + ": --color must be") != std::string::npos);
    auto q = mt::testing::mtsim(cmd + " " + kQuickstart + " --quiet --progress bar", dir.path / "q.log");
    CHECK(q.exit_code == 64);
    CHECK(q.output.find("contradict") != std::string::npos);
    auto u = mt::testing::mtsim(cmd + " " + kQuickstart + " --until 0s", dir.path / "u.log");
    CHECK(u.exit_code == 64);
    CHECK(u.output.find("mtsim " + cmd + ": --until needs a duration above 0") != std::string::npos);
  }
}

TEST_CASE("mtsim testnet accepts every shared option (then refuses what processes cannot run)") {
  const mt::testing::TempDir dir("mtsim-common-options");
  // A byzantine group: the testnet refuses the scenario (65) only after every option parsed.
  const std::string scenario = (dir.path / "byz.yaml").string();
  std::ofstream(scenario) << "version: 1\nname: byz\nduration: 10s\nvalidators:\n"
                             "  - { group: val, count: 4, stake: 1000 }\n"
                             "  - { group: bad, count: 1, stake: 1000, byzantine: { behavior: equivocate_vote } }\n";
  auto ok = mt::testing::mtsim("testnet " + scenario + " --seed 3 --until 5s --out " + (dir.path / "out").string() +
                                   " --set chain.block_time=2s --progress none --color never -q",
                               dir.path / "t2.log");
  CHECK(ok.exit_code == 65);
  CHECK(ok.output.find("cannot run as real processes") != std::string::npos);
}

}  // namespace
