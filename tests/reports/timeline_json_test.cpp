// timeline.json: a run with a crash gives valid Chrome-trace JSON with one named track per node
// and one per fault, slices on each track nest (height > round > step), proposal flows pair up,
// and two runs of the same seed give the same bytes; the recorder turns votes and decisions into
// the right (height, round, step) slices.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "reports/output_set.hpp"
#include "reports/timeline_json.hpp"
#include "tests/cli/cli_harness.hpp"
#include "sim/runner/runner.hpp"
#include "sim/scenario/load_scenario.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
const char* kTimeline = R"(version: 1
name: timeline-small
duration: 12s
chain: { block_time: 1s }
network:
  latency: { default: { dist: lognormal, median: 10ms, sigma: 0.3 } }
  peers: full_mesh
validators:
  - { group: v, count: 4, stake: 1000 }
load:
  - { kind: poisson, rate: 20/s, tx: transfer, accounts: 20 }
faults:
  - { id: down, at: 4s, crash: "v[1]", restart_after: 3s }
)";

std::string timeline_of_run(std::uint64_t seed, const std::string& extra = "") {
  auto s = load_scenario_text(std::string(kTimeline) + extra, "timeline-small.yaml");
  REQUIRE(s.ok());
  RunSettings settings;
  settings.seed = seed;
  settings.record_consensus = true;
  auto out = run_scenario(s.value(), settings);
  REQUIRE(out.error.empty());
  REQUIRE(out.result.consensus != nullptr);
  if (extra.empty()) return reports::timeline_json(*out.result.consensus);
  testing::TempDir dir("timeline");
  auto written = reports::write_all(dir.path, out.result, reports::OutputSet::parse("timeline").value());
  REQUIRE(written.ok());
  std::ifstream f(dir.path / "timeline.json");
  std::stringstream text;
  text << f.rdbuf();
  return text.str();
}

// Every complete slice of a track lies inside the one it starts in, or after it ends.
bool slices_nest(const std::vector<std::pair<std::int64_t, std::int64_t>>& slices) {
  std::vector<std::int64_t> ends;  // stack of open slice ends
  for (const auto& [ts, dur] : slices) {
    while (!ends.empty() && ends.back() <= ts) ends.pop_back();
    if (!ends.empty() && ts + dur > ends.back()) return false;
    ends.push_back(ts + dur);
  }
  return true;
}

}  // namespace

TEST_SUITE("timeline") {
  TEST_CASE("timeline: valid trace JSON, a track per node and per fault, nested slices, deterministic") {
    const std::string text = timeline_of_run(5);
    CHECK(text == timeline_of_run(5));
    const auto j = nlohmann::json::parse(text);  // throws (fails the test) when invalid
    std::set<std::int64_t> node_tracks, fault_tracks;
    std::map<std::int64_t, std::vector<std::pair<std::int64_t, std::int64_t>>> slices;
    std::map<std::int64_t, int> flows;  // id -> +1 start, +1 end
    std::size_t decisions = 0;
    for (const auto& e : j["traceEvents"]) {
      const std::string ph = e["ph"];
      if (ph == "M" && e["name"] == "thread_name") (e["pid"] == 1 ? node_tracks : fault_tracks).insert(e["tid"].get<std::int64_t>());
      if (ph == "X" && e["pid"] == 1) slices[e["tid"]].emplace_back(e["ts"], e["dur"]);
      if (ph == "s" || ph == "f") flows[e["id"]] += ph == "s" ? 1 : 10;
      if (ph == "i" && e["name"].get<std::string>().rfind("decision", 0) == 0) ++decisions;
    }
    CHECK(node_tracks.size() == 4);
    CHECK(fault_tracks.size() == 1);
    CHECK(slices.size() == 4);
    for (const auto& [tid, list] : slices) {
      CAPTURE(tid);
      CHECK(list.size() >= 3);
      CHECK(slices_nest(list));
    }
    CHECK(decisions > 20);  // ~11 heights on each of the up nodes
    CHECK_FALSE(flows.empty());
    for (const auto& [id, count] : flows) CHECK(count == 11);  // one start and one end each
  }

  TEST_CASE("timeline: the recorder opens a round on a higher-round vote and a height on a decision") {
    TrackRecorder r({"a"});
    r.on_event(0, 100, VoteCast{VoteType::prevote, 5, 0, Hash32{}});
    r.on_event(0, 200, VoteCast{VoteType::precommit, 5, 0, Hash32{}});
    r.on_event(0, 300, VoteCast{VoteType::prevote, 5, 1, Hash32{}});
    BlockCommitted b;
    b.height = 5;
    b.round = 1;
    r.on_event(0, 400, b);
    const auto tracks = r.finish(500, {});
    std::vector<std::string> seen;
    for (const auto& s : tracks.nodes[0].slices) {
      seen.push_back(std::to_string(static_cast<int>(s.level)) + ":" + std::to_string(s.height) + "/" +
                     std::to_string(s.round) + "@" + std::to_string(s.start_us) + "-" + std::to_string(s.end_us));
    }
    const std::vector<std::string> want{"0:5/1@100-400", "1:5/0@100-300", "2:5/0@100-200", "2:5/0@200-300",
                                        "1:5/1@300-400", "2:5/1@300-400", "0:6/0@400-500", "1:6/0@400-500",
                                        "2:6/0@400-500"};
    CHECK_MESSAGE(seen == want, [&] { std::string s; for (const auto& x : seen) s += x + " "; return s; }());
    REQUIRE(tracks.nodes[0].instants.size() == 1);
    CHECK(tracks.nodes[0].instants[0].kind == TrackInstant::Kind::decision);
  }
  TEST_CASE("timeline: report.timeline keeps only the selected heights and nodes") {
    const auto j = nlohmann::json::parse(timeline_of_run(5, "report: { timeline: { heights: 3..4, nodes: \"v[0:2]\" } }\n"));
    std::set<std::int64_t> tracks, heights;
    for (const auto& e : j["traceEvents"]) {
      if (e["pid"] != 1) continue;
      if (e["ph"] == "M" && e["name"] == "thread_name") tracks.insert(e["tid"].get<std::int64_t>());
      if ((e["ph"] == "X" || e["ph"] == "i") && e.contains("args")) heights.insert(e["args"]["height"].get<std::int64_t>());
    }
    CHECK(tracks == std::set<std::int64_t>{0, 1});
    CHECK(heights == std::set<std::int64_t>{3, 4});
  }
}
