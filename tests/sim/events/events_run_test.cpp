// events.jsonl from whole runs: two runs of one seed write byte-identical files, every line is a
// JSON object in (time, seq) order, turning events on changes nothing the run decides (same
// digest), the consensus steps and the world's faults are all there, and the filters hold.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/runner/runner.hpp"
#include "sim/scenario/load_scenario.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
const char* kCrashy = R"(version: 1
name: events-run
duration: 15s
chain: { block_time: 1s }
network:
  latency: { default: { dist: lognormal, median: 10ms, sigma: 0.3 } }
  peers: full_mesh
validators:
  - { group: v, count: 7, stake: 1000 }
load:
  - { kind: poisson, rate: 20/s, tx: transfer, accounts: 40 }
faults:
  - { id: crash2, at: 4s, crash: "v[2]", restart_after: 4s }
  - { id: split, at: 9s, partition: { isolate: "v[5]" }, duration: 2s }
expect:
  - { check: no_conflicting_finality }
)";

Scenario load() {
  auto s = load_scenario_text(kCrashy, "events-run.yaml");
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return std::move(s).value();
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

RunOutput run_with_events(const Scenario& s, const std::filesystem::path& path, EventRequest request = {}) {
  RunSettings settings;
  settings.seed = 3;
  request.path = path.string();
  settings.events = request;
  auto out = run_scenario(s, settings);
  REQUIRE_MESSAGE(out.error.empty(), out.error);
  return out;
}
}  // namespace

TEST_CASE("events.jsonl is byte-identical across two runs, parses line by line, and is in (t, seq) order") {
  const auto dir = std::filesystem::temp_directory_path();
  const Scenario s = load();
  auto a = run_with_events(s, dir / "mtsim-events-a.jsonl");
  auto b = run_with_events(s, dir / "mtsim-events-b.jsonl");
  const std::string text = slurp(dir / "mtsim-events-a.jsonl");
  CHECK(text == slurp(dir / "mtsim-events-b.jsonl"));
  CHECK(a.result.digest == b.result.digest);

  RunSettings off;
  off.seed = 3;
  CHECK(run_scenario(s, off).result.digest == a.result.digest);  // observing changes nothing

  std::istringstream in(text);
  std::string line;
  std::int64_t last_t = -1;
  std::int64_t last_seq = -1;
  std::set<std::string> kinds;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    REQUIRE_MESSAGE(j.is_object(), line);
    CHECK(j["t"].get<std::int64_t>() >= last_t);
    CHECK(j["seq"].get<std::int64_t>() == last_seq + 1);
    last_t = j["t"].get<std::int64_t>();
    last_seq = j["seq"].get<std::int64_t>();
    kinds.insert(j["kind"].get<std::string>());
  }
  for (const char* k : {"node_info", "height_started", "round_started", "proposal_received", "prevote_judged", "vote",
                        "polka", "lock", "valid_value", "timeout_scheduled", "decided", "committed", "proposal_made",
                        "crash", "restart", "node_started", "fault_begin", "fault_end"}) {
    CHECK_MESSAGE(kinds.count(k) == 1, k);
  }
  std::filesystem::remove(dir / "mtsim-events-a.jsonl");
  std::filesystem::remove(dir / "mtsim-events-b.jsonl");
}

TEST_CASE("the height and node filters keep only the chosen heights and validators") {
  const auto path = std::filesystem::temp_directory_path() / "mtsim-events-filtered.jsonl";
  EventRequest request;
  request.heights = parse_height_range("3..4").value();
  request.nodes = parse_selector_text("v[1]").value();
  (void)run_with_events(load(), path, request);
  std::istringstream in(slurp(path));
  std::string line;
  std::size_t events = 0;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    const std::string kind = j["kind"].get<std::string>();
    if (kind == "node_info" || kind == "fault_begin" || kind == "fault_end" || kind == "crash" || kind == "restart") {
      continue;
    }
    ++events;
    CHECK(j["node"].get<int>() == 1);
    if (j.contains("height") && kind != "node_started") {
      CHECK(j["height"].get<int>() >= 3);
      CHECK(j["height"].get<int>() <= 4);
    }
  }
  CHECK(events > 10);
  std::filesystem::remove(path);
}
