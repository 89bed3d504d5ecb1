// Transaction size matters where bytes do: on a chain whose uplinks are thin, `mtsim capacity`
// finds a lower saturation point when the load's transactions grow from their natural ~190 bytes
// to a mix of mostly 2 KiB, and names a link (or the block's byte limit) as the bottleneck.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_harness.hpp"

namespace fs = std::filesystem;

namespace {

// 4 Mbit/s uplinks: plenty for 400 small transactions a second, short for 2 KiB ones.
constexpr const char* kThinLinks = R"(version: 1
name: thin-links
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
  - { group: v, count: 4, stake: 1000000, zone: eu, bandwidth: { up: 4Mbit/s, down: 100Mbit/s } }
accounts: { count: 500, balance: 1000000000 }
load:
  - { kind: constant, rate: 20/s, tx: transfer, accounts: 500 }
expect:
  - { check: no_conflicting_finality }
)";

nlohmann::json capacity_of(const mt::testing::TempDir& dir, const std::string& name, const std::string& size) {
  std::string text = kThinLinks;
  if (!size.empty()) text.insert(text.find("accounts: 500 }") + 14, ", size: " + size);
  const fs::path file = dir.path / (name + ".yaml");
  std::ofstream(file) << text;
  const fs::path out = dir.path / name;
  auto o = mt::testing::mtsim("capacity " + file.string() + " --jobs 2 --max-rate 400 --out " + out.string(),
                              dir.path / (name + ".log"));
  INFO(o.output);
  REQUIRE(o.exit_code == 0);
  std::ifstream in(out / "capacity.json");
  std::stringstream json;
  json << in.rdbuf();
  return nlohmann::json::parse(json.str(), nullptr, false);
}

double saturation_of(const nlohmann::json& c) {
  const auto& sat = c["saturation"];
  return sat["rate_per_s"].is_number() ? sat["rate_per_s"].get<double>() : 0.0;
}

}  // namespace

TEST_CASE("a size mix of bigger transactions lowers the saturation point on thin links and names the bottleneck") {
  mt::testing::TempDir dir("mtsim-capacity-size");
  const auto natural = capacity_of(dir, "natural", "");
  const auto big = capacity_of(dir, "big", "{ mix: [ { bytes: 250, weight: 20 }, { bytes: 2KiB, weight: 80 } ] }");
  CAPTURE(natural.dump());
  CAPTURE(big.dump());
  REQUIRE(big["saturation"]["rate_per_s"].is_number());
  const bool natural_beyond = natural["saturation"]["beyond_max_rate"] == true;
  CHECK((natural_beyond || saturation_of(natural) > 1.5 * saturation_of(big)));
  CHECK(saturation_of(big) < 400);
  const std::string verdict = big["bottleneck"]["verdict"].get<std::string>();
  CHECK((verdict.rfind("link ", 0) == 0 || verdict == "block size"));
}
