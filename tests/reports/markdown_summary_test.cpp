// summary.md: verdict heading, PASS/FAIL table rows that stay one row each, key metrics, and the
// reproduce command in a fence its content cannot close.
#include <doctest/doctest.h>

#include "reports/markdown_summary.hpp"
#include "tests/reports/sample_run.hpp"

using namespace mt;
using namespace mt::reports;
using namespace mt::reports::testing;

namespace {
std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("a failing run's summary shows FAIL, every expectation and the reproduce command") {
  auto md = markdown_summary(make_sample_run(42));
  CHECK(md.starts_with("## ❌ FAIL: partition-heal (seed 42)"));
  CHECK(count(md, "| ✅ PASS |") == 3);
  CHECK(count(md, "| ❌ **FAIL** |") == 2);
  CHECK(md.find("```sh\nmtsim run scenarios/partition-heal.yaml --seed 42\n```") != std::string::npos);
  CHECK(md.find("Finalized TPS (steady)") != std::string::npos);
  CHECK(md.find("Finality p50 / p90 / p99 / max") != std::string::npos);
}

TEST_CASE("a passing run's summary says PASS") {
  auto md = markdown_summary(make_passing_run());
  CHECK(md.starts_with("## ✅ PASS: quickstart"));
  CHECK(md.find("FAIL") == std::string::npos);
}

TEST_CASE("pipes and newlines in cells cannot break the table") {
  CHECK(markdown_cell("a|b\nc<d>") == "a\\|b<br>c&lt;d&gt;");
  auto md = markdown_summary(make_sample_run());
  auto table = md.substr(md.find("| Result |"));
  table = table.substr(0, table.find("\n\n"));
  for (std::size_t start = 0; start < table.size();) {  // every table line has the same column count
    auto end = table.find('\n', start);
    auto line = table.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::size_t pipes = 0;
    for (std::size_t i = 0; i < line.size(); ++i) pipes += (line[i] == '|' && (i == 0 || line[i - 1] != '\\'));
    CHECK(pipes == 7);
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

TEST_CASE("a reproduce command containing backticks gets a longer fence") {
  auto run = make_sample_run();
  run.reproduce_command = "mtsim run ```weird```";
  auto md = markdown_summary(run);
  CHECK(md.find("````sh\nmtsim run ```weird```\n````") != std::string::npos);
}
