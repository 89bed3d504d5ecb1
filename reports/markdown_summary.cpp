#include "reports/markdown_summary.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "reports/run_facts.hpp"
#include "reports/text_format.hpp"

namespace mt::reports {
namespace {

// A code fence longer than any run of backticks in the content, so the content cannot close it.
std::string fence_for(std::string_view content) {
  std::size_t longest = 0, current = 0;
  for (char c : content) {
    current = c == '`' ? current + 1 : 0;
    longest = std::max(longest, current);
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

void expectations_table(std::string& md, const sim::RunResult& run) {
  md += "| Result | Expectation | Window | Measured | Threshold | Where |\n";
  md += "|---|---|---|---|---|---|\n";
  for (const auto& e : run.expectations) {
    md += fmt::format("| {} | `{}` | {} | {} | {} | {} |\n", e.passed ? "✅ PASS" : "❌ **FAIL**", markdown_cell(e.name),
                      markdown_cell(e.window), markdown_cell(e.measured), markdown_cell(e.threshold),
                      markdown_cell(fmt::format("{}:{}", e.source_file, e.source_line)));
  }
  bool any_detail = std::any_of(run.expectations.begin(), run.expectations.end(),
                                [](const auto& e) { return !e.passed && !e.detail.empty(); });
  if (!any_detail) return;
  md += "\n<details><summary>Failure details</summary>\n\n";
  for (const auto& e : run.expectations) {
    if (e.passed || e.detail.empty()) continue;
    md += "- `" + markdown_cell(e.name) + "`: " + markdown_cell(e.detail) + "\n";
  }
  md += "\n</details>\n";
}

void metrics_table(std::string& md, const sim::RunResult& run) {
  const auto& m = run.metrics;
  auto row = [&md](const std::string& name, const std::string& value) {
    md += "| " + name + " | " + markdown_cell(value) + " |\n";
  };
  md += "| Metric | Value |\n|---|---|\n";
  row("Finalized TPS (steady)", format_fixed(m.tps_finalized_mean, 1) + " tx/s (offered " +
                                    format_fixed(m.tps_offered_mean, 1) + ", included " +
                                    format_fixed(m.tps_included_mean, 1) + ")");
  row("Steady window", format_seconds_us(m.steady_from_us) + " – " + format_seconds_us(m.steady_until_us));
  const auto& f = m.finality_latency_ms;
  row("Finality p50 / p90 / p99 / max", fmt::format("{} / {} / {} / {} ms", format_fixed(f.p50, 0),
                                                    format_fixed(f.p90, 0), format_fixed(f.p99, 0), format_fixed(f.max, 0)));
  row("Block interval mean / p99",
      fmt::format("{} / {} ms", format_fixed(m.block_interval_ms.mean, 0), format_fixed(m.block_interval_ms.p99, 0)));
  row("Rounds per height mean / max",
      fmt::format("{} / {}", format_fixed(m.rounds_per_height.mean, 2), format_fixed(m.rounds_per_height.max, 0)));
  row("Final height", fmt::format("{}", m.final_height));
  row("Longest stall", format_seconds_us(m.longest_stall_us));
  row("Evidence / slashes (double-sign, downtime)",
      fmt::format("{} / {}, {}", m.evidence_committed, m.slashes_double_sign, m.slashes_downtime));
  row("Harness speed", fmt::format("{}× real time, {} M events/s", format_fixed(run.speed.sim_seconds_per_wall_second, 1),
                                   format_fixed(run.speed.events_per_second / 1e6, 2)));
}

}  // namespace

std::string markdown_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '|': out += "\\|"; break;
      case '\n': out += "<br>"; break;
      case '\r': break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string markdown_summary(const sim::RunResult& run) {
  bool passed = run_passed(run);
  std::string md;
  md += fmt::format("## {}: {} (seed {})\n\n", passed ? "✅ PASS" : "❌ FAIL", markdown_cell(run.scenario_name), run.seed);
  md += fmt::format("Exit code **{}**; {} of {} expectations met; {} validators; {} simulated.\n\n", run.exit_code,
                    run.expectations.size() - failed_expectation_count(run), run.expectations.size(), run.validators,
                    format_seconds_us(run.simulated_us));
  md += "### Expectations\n\n";
  expectations_table(md, run);
  md += "\n### Key metrics\n\n";
  metrics_table(md, run);
  md += "\n### Reproduce\n\n";
  std::string fence = fence_for(run.reproduce_command);
  md += fence + "sh\n" + run.reproduce_command + "\n" + fence + "\n\n";
  md += "<sub>scenario `" + markdown_cell(run.scenario_file) + "` · hash `" + markdown_cell(run.scenario_hash) +
        "` · digest `" + markdown_cell(run.digest) + "` · mtsim " + markdown_cell(run.provenance.mtsim_version) +
        " (" + markdown_cell(run.provenance.git_commit) + ", " + markdown_cell(run.provenance.build_type) +
        ")</sub>\n";
  return md;
}

}  // namespace mt::reports
