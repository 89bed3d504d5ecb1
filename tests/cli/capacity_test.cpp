// `mtsim capacity` through the built binary on a four-validator chain whose blocks hold at most
// 100 transactions a second: the search finds the knee below that cap, prints the table and the
// saturation line, writes capacity.json and capacity.html, judges capacity.saturation_tps, and
// refuses a load it cannot scale; `mtsim run` says the metric needs `mtsim capacity`.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_harness.hpp"

namespace fs = std::filesystem;

namespace {

constexpr const char* kCappedScenario = R"(version: 1
name: capped
seed: 3
duration: 12s
warmup: 3s
chain: { block_time: 1s, max_block_txs: 100 }
network:
  zones: [eu]
  latency:
    default: { dist: lognormal, median: 5ms, sigma: 0.3 }
  peers: full_mesh
validators:
  - { group: v, count: 4, stake: 1000000, zone: eu }
accounts: { count: 200, balance: 1000000000 }
load:
  - { kind: constant, rate: 20/s, tx: transfer, accounts: 200 }
expect:
  - { check: no_conflicting_finality }
)";

struct CapacityDir : mt::testing::TempDir {
  CapacityDir() : mt::testing::TempDir("mtsim-capacity") {}
  fs::path scenario(const std::string& extra_expect) const {
    const fs::path file = path / "capped.yaml";
    std::ofstream(file) << kCappedScenario << extra_expect;
    return file;
  }
};

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("mtsim capacity finds the knee under a block-size cap and writes its files") {
  CapacityDir dir;
  const auto file = dir.scenario("  - { metric: capacity.saturation_tps, min: 50 }\n");
  const auto out = dir.path / "out";
  auto o = mt::testing::mtsim("capacity " + file.string() + " --jobs 2 --max-rate 400 --out " + out.string(),
                              dir.path / "log.txt");
  CAPTURE(o.output);
  CHECK(o.exit_code == 0);
  CHECK(o.output.find("PASS capacity.saturation_tps") != std::string::npos);
  const auto json = nlohmann::json::parse(read_text(out / "capacity.json"));
  const auto rate = json["saturation"]["rate_per_s"].get<std::uint64_t>();
  CHECK(rate >= 50);
  CHECK(rate <= 105);  // blocks carry 100 tx/s, and 100 of 105 is the 95% that still keeps up
  CHECK(json["saturation"]["first_failing_rate_per_s"].get<std::uint64_t>() > rate);
  CHECK(o.output.find("saturation: " + std::to_string(rate) + " tx/s (bottleneck: block size)") != std::string::npos);
  for (const auto& p : json["points"]) CHECK(p["rate_per_s"].get<std::uint64_t>() < 400);  // stopped at the knee
  CHECK(read_text(out / "capacity.html").find("capacity-throughput") != std::string::npos);
}

TEST_CASE("a capacity expectation above the saturation point fails with exit code 2") {
  CapacityDir dir;
  const auto file = dir.scenario("  - { metric: capacity.saturation_tps, min: 40 }\n");
  auto o = mt::testing::mtsim("capacity " + file.string() + " --jobs 2 --max-rate 30 --out " + (dir.path / "out").string(),
                              dir.path / "log.txt");
  CAPTURE(o.output);
  CHECK(o.exit_code == 2);
  CHECK(o.output.find("saturation: >= 30 tx/s") != std::string::npos);
  CHECK(o.output.find("FAIL capacity.saturation_tps") != std::string::npos);
}

TEST_CASE("mtsim run passes over a capacity expectation and says it needs mtsim capacity") {
  CapacityDir dir;
  const auto file = dir.scenario("  - { metric: capacity.saturation_tps, min: 50 }\n");
  auto o = mt::testing::mtsim("run " + file.string() + " --out " + (dir.path / "run").string() + " --color never",
                              dir.path / "log.txt");
  CAPTURE(o.output);
  CHECK(o.exit_code == 0);
  CHECK(o.output.find("needs `mtsim capacity`") != std::string::npos);
}

TEST_CASE("mtsim capacity refuses a load it cannot set to one rate, and a bad command line") {
  CapacityDir dir;
  const fs::path ramp = dir.path / "ramp.yaml";
  std::string text = kCappedScenario;
  const std::string load = "{ kind: constant, rate: 20/s";
  text.replace(text.find(load), load.size(), "{ kind: ramp, rate: 1/s, to_rate: 50/s, over: 5s");
  std::ofstream(ramp) << text;
  auto o = mt::testing::mtsim("capacity " + ramp.string() + " --out " + (dir.path / "out").string(), dir.path / "log.txt");
  CAPTURE(o.output);
  CHECK(o.exit_code == 65);
  CHECK(o.output.find("constant or poisson") != std::string::npos);
  const auto file = dir.scenario("");
  CHECK(mt::testing::mtsim("capacity " + file.string(), dir.path / "log.txt").exit_code == 64);  // no --out
  CHECK(mt::testing::mtsim("capacity " + file.string() + " --max-rate 0 --out x", dir.path / "log.txt").exit_code == 64);
}
