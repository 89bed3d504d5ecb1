// summary.md of a sweep: the count line, one escaped row per run, and the reproduce commands of
// the failures only (none when every run passed).
#include <doctest/doctest.h>

#include "reports/sweep_summary.hpp"
#include "tests/reports/sample_run.hpp"

using mt::reports::sweep_summary_markdown;
using mt::reports::testing::make_passing_run;
using mt::reports::testing::make_sample_run;

namespace {
std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}
}  // namespace

TEST_CASE("sweep summary: counts, a row per run, and the failures' reproduce commands") {
  const auto failing = make_sample_run(42);
  const auto passing = make_passing_run(7);
  const std::string md = sweep_summary_markdown({failing, passing, failing});
  CHECK(md.rfind("# mtsim sweep: 1 passed, 2 failed\n", 0) == 0);
  CHECK(count_of(md, "| ✅ PASS |") == 1);
  CHECK(count_of(md, "| ❌ **FAIL** |") == 2);
  CHECK(md.find("## Reproduce the failures") != std::string::npos);
  CHECK(count_of(md, failing.reproduce_command + "\n") == 2);
  CHECK(md.find(passing.reproduce_command + "\n") == std::string::npos);
  // Each row has the table's eight cells: a '|' inside a name is escaped, not a new column.
  const auto row_start = md.find("| ✅ PASS |");
  const std::string row = md.substr(row_start, md.find('\n', row_start) - row_start);
  std::size_t bars = 0;
  for (std::size_t i = 0; i < row.size(); ++i) bars += (row[i] == '|' && (i == 0 || row[i - 1] != '\\')) ? 1u : 0u;
  CHECK(bars == 9);
}

TEST_CASE("sweep summary: every run passed, so nothing to reproduce") {
  const std::string md = sweep_summary_markdown({make_passing_run(1), make_passing_run(2)});
  CHECK(md.rfind("# mtsim sweep: 2 passed, 0 failed\n", 0) == 0);
  CHECK(md.find("Reproduce") == std::string::npos);
}
