// report.html: self-contained, every chart present with a stable id and a <title>, one shaded
// rect per fault window, escaped text; and, where Chromium is installed, actually rendered.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "reports/html_report.hpp"
#include "reports/report_charts.hpp"
#include "reports/svg_chart.hpp"
#include "tests/reports/sample_run.hpp"

using namespace mt;
using namespace mt::reports;
using namespace mt::reports::testing;
namespace fs = std::filesystem;

namespace {
std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}
// The <svg ...>...</svg> element with the given id.
std::string chart_svg(const std::string& html, const std::string& id) {
  auto start = html.find("<svg id=\"" + id + "\"");
  if (start == std::string::npos) return "";
  return html.substr(start, html.find("</svg>", start) + 6 - start);
}
}  // namespace

TEST_CASE("every chart is present with its stable id, a title and at least one data mark") {
  auto html = html_report(make_sample_run());
  for (const char* id : kChartIds) {
    auto svg = chart_svg(html, id);
    REQUIRE_MESSAGE(!svg.empty(), id);
    CHECK_MESSAGE(svg.find("<title id=\"" + std::string(id) + "-title\">") != std::string::npos, id);
    CHECK_MESSAGE(svg.find("class=\"mark") != std::string::npos, id);
  }
  CHECK(count(html, "<svg ") == kChartIds.size());
}

TEST_CASE("the throughput chart shades exactly one rect per fault window") {
  auto run = make_sample_run();
  CHECK(count(chart_svg(html_report(run), "chart-tps"), "<rect class=\"fault-window\"") == run.faults.size());
  run.faults.push_back(sim::FaultWindow{"crash-1", "crash", "core[5]", 5'000'000, 9'000'000});
  CHECK(count(chart_svg(html_report(run), "chart-tps"), "<rect class=\"fault-window\"") == 3);
  run.faults.clear();
  CHECK(count(chart_svg(html_report(run), "chart-tps"), "<rect class=\"fault-window\"") == 0);
}

TEST_CASE("the page is self-contained: no external URL, stylesheet link, or remote source") {
  auto html = html_report(make_sample_run());
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find(" src=") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
}

TEST_CASE("the page shows pass/fail per expectation, escapes text, and carries provenance") {
  auto run = make_sample_run(77);
  auto html = html_report(run);
  CHECK(count(html, "<tr class=\"failed\">") == 2);
  CHECK(count(html, "<tr class=\"passed\">") == 3);
  CHECK(html.find("<partition>") == std::string::npos);
  CHECK(html.find("&lt;partition&gt; &amp; recovery") != std::string::npos);
  CHECK(html.find(run.scenario_hash) != std::string::npos);
  CHECK(html.find(run.provenance.git_commit) != std::string::npos);
  CHECK(html.find("mtsim run scenarios/partition-heal.yaml --seed 77") != std::string::npos);
}

TEST_CASE("a run with no data still draws every chart frame with a note instead of failing") {
  sim::RunResult empty;
  empty.scenario_name = "empty";
  auto html = html_report(empty);
  for (const char* id : kChartIds) CHECK_MESSAGE(!chart_svg(html, id).empty(), id);
  CHECK(html.find("no finalized transactions") != std::string::npos);
}

TEST_CASE("nice ticks step by 1, 2 or 5 times a power of ten and cover the range") {
  CHECK(nice_ticks(0, 100, 5) == std::vector<double>{0, 20, 40, 60, 80, 100});
  CHECK(nice_ticks(0, 7, 8).size() == 8);
  CHECK(nice_ticks(5, 5, 4).size() == 1);
  CHECK(tick_label(25000) == "25k");
  CHECK(tick_label(2500000) == "2.5M");
}

TEST_CASE("report.html renders in headless Chromium with every chart drawn") {
  fs::path script = fs::path(MTSIM_SOURCE_DIR) / "scripts" / "check-html-render";  // __FILE__ may be relative (ccache)
  REQUIRE(fs::exists(script));
  if (std::system("command -v chromium >/dev/null 2>&1") != 0) {
    MESSAGE("SKIPPED: chromium is not installed, so the HTML render check did not run (scripts/setup installs it)");
    return;
  }
  std::string dir = (fs::temp_directory_path() / "mtsim-html-XXXXXX").string();
  REQUIRE(mkdtemp(dir.data()) != nullptr);
  auto page = fs::path(dir) / "report.html";
  std::ofstream(page) << html_report(make_sample_run());
  std::string command = "'" + script.string() + "' '" + page.string() + "' >'" + dir + "/render.log' 2>&1";
  int rc = std::system(command.c_str());
  std::ifstream log(fs::path(dir) / "render.log");
  std::stringstream buffer;
  buffer << log.rdbuf();
  std::string text = buffer.str();
  CHECK_MESSAGE(rc == 0, text);
  CHECK(text.find("6 of 6 charts drawn") != std::string::npos);
  fs::remove_all(dir);
}
