#include "reports/sweep_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "reports/markdown_summary.hpp"
#include "reports/run_facts.hpp"

namespace mt::reports {

namespace {

std::string failed_expectations(const sim::RunResult& r) {
  std::vector<std::string> names;
  for (const auto& e : r.expectations) {
    if (!e.passed) names.push_back(e.name);
  }
  return fmt::format("{}", fmt::join(names, ", "));
}

void append_row(std::string& md, const sim::RunResult& r) {
  fmt::format_to(std::back_inserter(md), "| {} | {} | {} | {} | {:.1f} tx/s | {:.0f} ms | {} | {} |\n",
                 run_passed(r) ? "✅ PASS" : "❌ **FAIL**", markdown_cell(r.scenario_name), r.seed, r.exit_code,
                 r.metrics.tps_finalized_mean, r.metrics.finality_latency_ms.p99, r.metrics.final_height,
                 markdown_cell(failed_expectations(r)));
}

}  // namespace

std::string sweep_summary_markdown(const std::vector<sim::RunResult>& runs) {
  const auto passed = static_cast<std::size_t>(std::count_if(runs.begin(), runs.end(), run_passed));
  std::string md = fmt::format("# mtsim sweep: {} passed, {} failed\n\n", passed, runs.size() - passed);
  md += "| Result | Scenario | Seed | Exit | Finalized TPS | Finality p99 | Height | Failed expectations |\n";
  md += "|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : runs) append_row(md, r);
  if (passed == runs.size()) return md;
  md += "\n## Reproduce the failures\n\n```sh\n";
  for (const auto& r : runs) {
    if (!run_passed(r)) fmt::format_to(std::back_inserter(md), "{}\n", r.reproduce_command);
  }
  md += "```\n";
  return md;
}

}  // namespace mt::reports
