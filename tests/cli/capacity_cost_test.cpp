// The saturation point follows the machine: the same four-validator chain, searched by `mtsim
// capacity`, saturates far lower when its CPUs are made 100 times slower (and the verdict names a
// node's CPU) or its uplinks are cut to 1 Mbit/s (and the verdict names a link), and lower when
// each message copy costs more to send and receive (the transport cost terms).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_harness.hpp"

namespace fs = std::filesystem;

namespace {

// Blocks big enough (4000 per second) that the block is never the limit below --max-rate.
constexpr const char* kRoomyScenario = R"(version: 1
name: roomy
seed: 5
duration: 12s
warmup: 3s
chain: { block_time: 1s, max_block_txs: 4000 }
network:
  zones: [eu]
  latency:
    default: { dist: lognormal, median: 5ms, sigma: 0.3 }
  peers: full_mesh
validators:
  - { group: v, count: 4, stake: 1000000, zone: eu }
accounts: { count: 500, balance: 1000000000 }
load:
  - { kind: constant, rate: 20/s, tx: transfer, accounts: 500 }
expect:
  - { check: no_conflicting_finality }
)";

struct Search {
  int exit_code = -1;
  nlohmann::json capacity;
  std::string output;
};

Search capacity_of(const mt::testing::TempDir& dir, const std::string& name, const std::string& extra) {
  const fs::path file = dir.path / "roomy.yaml";
  if (!fs::exists(file)) std::ofstream(file) << kRoomyScenario;
  const fs::path out = dir.path / name;
  auto o = mt::testing::mtsim("capacity " + file.string() + " --jobs 2 --max-rate 400 --out " + out.string() + extra,
                              dir.path / (name + ".log"));
  Search s{o.exit_code, {}, o.output};
  std::ifstream in(out / "capacity.json");
  std::stringstream text;
  text << in.rdbuf();
  s.capacity = nlohmann::json::parse(text.str(), nullptr, false);
  return s;
}

}  // namespace

TEST_CASE("cutting CPU speed or uplink bandwidth lowers the saturation point and names the bottleneck") {
  mt::testing::TempDir dir("mtsim-capacity-cost");
  const auto full = capacity_of(dir, "full", "");
  CAPTURE(full.output);
  REQUIRE(full.exit_code == 0);
  CHECK(full.capacity["saturation"]["beyond_max_rate"] == true);  // 400 tx/s is easy for this chain

  const auto slow_cpu = capacity_of(dir, "slow-cpu", " --set validators[0].cpu.speed=0.01");
  CAPTURE(slow_cpu.output);
  REQUIRE(slow_cpu.exit_code == 0);
  REQUIRE(slow_cpu.capacity["saturation"]["rate_per_s"].is_number());
  CHECK(slow_cpu.capacity["saturation"]["rate_per_s"].get<double>() < 400);
  CHECK(slow_cpu.capacity["bottleneck"]["verdict"].get<std::string>().rfind("cpu of node v[", 0) == 0);

  const auto thin_link = capacity_of(dir, "thin-link", " --set validators[0].bandwidth.up=1Mbit/s");
  CAPTURE(thin_link.output);
  REQUIRE(thin_link.exit_code == 0);
  REQUIRE(thin_link.capacity["saturation"]["rate_per_s"].is_number());
  CHECK(thin_link.capacity["saturation"]["rate_per_s"].get<double>() < 400);
  CHECK(thin_link.capacity["bottleneck"]["verdict"].get<std::string>().rfind("link ", 0) == 0);
}

TEST_CASE("dearer message sends and receives lower the saturation point, and the CPU is the bottleneck") {
  mt::testing::TempDir dir("mtsim-capacity-transport");
  const auto dear = capacity_of(dir, "dear", " --set costs.send_message=1ms --set costs.receive_message=1ms");
  CAPTURE(dear.output);
  REQUIRE(dear.exit_code == 0);
  // Each transaction is relayed over the full mesh: a node sends and receives up to 3 copies at
  // 1 ms each, several ms a transaction, so well under 400 tx/s (measured: 214).
  REQUIRE(dear.capacity["saturation"]["rate_per_s"].is_number());
  CHECK(dear.capacity["saturation"]["rate_per_s"].get<double>() < 400);
  CHECK(dear.capacity["bottleneck"]["verdict"].get<std::string>().rfind("cpu of node v[", 0) == 0);
}
