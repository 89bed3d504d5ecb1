// The consensus section of report.html: a run with a crash gets a swimlane SVG with drawn lanes,
// the crash shaded and decisions marked, plus the slowest height's rounds; it renders in headless
// Chromium (7 of 7 charts drawn); at 200 nodes the rows are aggregated and the SVG stays small.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "reports/html_report.hpp"
#include "reports/timeline_swimlane.hpp"
#include "sim/runner/runner.hpp"
#include "sim/scenario/load_scenario.hpp"

using namespace mt;
using namespace mt::sim;
using namespace mt::reports;
namespace fs = std::filesystem;

namespace {
const char* kStall = R"(version: 1
name: swimlane-small
duration: 14s
chain: { block_time: 1s }
network:
  latency: { default: { dist: lognormal, median: 10ms, sigma: 0.3 } }
  peers: full_mesh
validators:
  - { group: v, count: 4, stake: 1000 }
load:
  - { kind: poisson, rate: 20/s, tx: transfer, accounts: 20 }
faults:
  - { id: down, at: 4s, crash: "v[0:2]", restart_after: 4s }
)";

RunResult run_with_tracks() {
  auto s = load_scenario_text(kStall, "swimlane-small.yaml");
  REQUIRE(s.ok());
  RunSettings settings;
  settings.seed = 2;
  settings.record_consensus = true;
  auto out = run_scenario(s.value(), settings);
  REQUIRE(out.error.empty());
  REQUIRE(out.result.consensus != nullptr);
  return out.result;
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

// 200 nodes, 90 heights of one second, every node in propose, prevote, precommit in turn.
ConsensusTracks synthetic(std::size_t nodes, std::uint64_t heights) {
  TrackRecorder r([&] {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < nodes; ++i) names.push_back("v[" + std::to_string(i) + "]");
    return names;
  }());
  for (std::uint64_t h = 1; h <= heights; ++h) {
    const TimeUs t0 = static_cast<TimeUs>(h - 1) * kUsPerSec;
    for (std::size_t i = 0; i < nodes; ++i) {
      const TimeUs skew = static_cast<TimeUs>(i) * 100;
      r.on_event(i, t0 + skew, ProposalMade{h, 0, Hash32{}, 0});
      r.on_event(i, t0 + skew + 300'000, VoteCast{VoteType::prevote, h, 0, Hash32{}});
      r.on_event(i, t0 + skew + 600'000, VoteCast{VoteType::precommit, h, 0, Hash32{}});
      BlockCommitted b;
      b.height = h;
      r.on_event(i, t0 + skew + 900'000, b);
    }
  }
  return r.finish(static_cast<TimeUs>(heights) * kUsPerSec, {});
}

}  // namespace

TEST_SUITE("timeline") {
  TEST_CASE("swimlane: lanes, the crash shaded and decisions marked around the slowest height") {
    const RunResult run = run_with_tracks();
    const std::string html = html_report(run);
    const auto start = html.find(std::string("<svg id=\"") + kSwimlaneId + "\"");
    REQUIRE(start != std::string::npos);
    const std::string svg = html.substr(start, html.find("</svg>", start) + 6 - start);
    CHECK(count(svg, "class=\"fault-window\"") == 1);
    CHECK(count(svg, "lane-decision") > 0);
    CHECK(count(svg, "class=\"mark lane-") > 4);
    CHECK(html.find("Rounds of the slowest height") != std::string::npos);
    CHECK(html.find("<li>round 0: proposal by v[") != std::string::npos);
    CHECK(html.find("entered by 4;") != std::string::npos);  // each node once, though a crash splits its slice
  }

  TEST_CASE("swimlane: 200 nodes are aggregated into at most 50 rows and the SVG stays small") {
    const ConsensusTracks tracks = synthetic(200, 90);
    const std::string svg = swimlane_svg(tracks);
    CHECK(count(svg, "<text class=\"tick\" x=\"66.0\"") <= kMaxSwimlaneRows);  // row labels
    CHECK(count(svg, "…4</text>") == 50);                                     // 4 nodes a row
    CHECK(svg.size() < 200'000);
  }

  TEST_CASE("swimlane: report.html with the consensus section renders in headless Chromium") {
    fs::path script = fs::path(MTSIM_SOURCE_DIR) / "scripts" / "check-html-render";
    REQUIRE(fs::exists(script));
    if (std::system("command -v chromium >/dev/null 2>&1") != 0) {
      MESSAGE("SKIPPED: chromium is not installed, so the HTML render check did not run (scripts/setup installs it)");
      return;
    }
    std::string dir = (fs::temp_directory_path() / "mtsim-swimlane-XXXXXX").string();
    REQUIRE(mkdtemp(dir.data()) != nullptr);
    const auto page = fs::path(dir) / "report.html";
    std::ofstream(page) << html_report(run_with_tracks());
    const std::string command = "'" + script.string() + "' '" + page.string() + "' >'" + dir + "/render.log' 2>&1";
    const int rc = std::system(command.c_str());
    std::ifstream log(fs::path(dir) / "render.log");
    std::stringstream buffer;
    buffer << log.rdbuf();
    CHECK_MESSAGE(rc == 0, buffer.str());
    CHECK(buffer.str().find("7 of 7 charts drawn") != std::string::npos);
    CHECK(buffer.str().find(kSwimlaneId) != std::string::npos);
    fs::remove_all(dir);
  }
}
