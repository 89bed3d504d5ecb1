// Sweep-level files from a results database (sweep_outputs.hpp).
#include "cli/sweep_outputs.hpp"

#include <unistd.h>

#include <fstream>

#include "reports/junit_writer.hpp"
#include "reports/markdown_summary.hpp"
#include "reports/results_database.hpp"
#include "reports/run_facts.hpp"
#include "reports/text_format.hpp"

namespace mt::cli {

Status write_file_atomic(const std::filesystem::path& path, const std::string& text) {
  // The pid keeps two processes writing the same name from sharing one temporary file.
  const auto tmp = path.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return make_error("cannot write " + tmp);
    f << text;
    f.flush();
    if (!f) return make_error("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return make_error("cannot rename " + tmp + " to " + path.string() + ": " + ec.message());
  return {};
}

std::string sweep_summary_markdown(const std::vector<sim::RunResult>& runs) {
  std::size_t passed = 0;
  for (const auto& r : runs) passed += reports::run_passed(r) ? 1u : 0u;
  std::string md = "# mtsim sweep: " + std::to_string(passed) + " passed, " + std::to_string(runs.size() - passed) +
                   " failed\n\n";
  md += "| Result | Scenario | Seed | Exit | Finalized TPS | Finality p99 | Height | Failed expectations |\n";
  md += "|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : runs) {
    std::string failed;
    for (const auto& e : r.expectations) {
      if (!e.passed) failed += (failed.empty() ? "" : ", ") + e.name;
    }
    md += std::string("| ") + (reports::run_passed(r) ? "✅ PASS" : "❌ **FAIL**") + " | " +
          reports::markdown_cell(r.scenario_name) + " | " + std::to_string(r.seed) + " | " +
          std::to_string(r.exit_code) + " | " + reports::format_fixed(r.metrics.tps_finalized_mean, 1) + " tx/s | " +
          reports::format_fixed(r.metrics.finality_latency_ms.p99, 0) + " ms | " +
          std::to_string(r.metrics.final_height) + " | " + reports::markdown_cell(failed) + " |\n";
  }
  if (passed == runs.size()) return md;
  md += "\n## Reproduce the failures\n\n```sh\n";
  for (const auto& r : runs) {
    if (!reports::run_passed(r)) md += r.reproduce_command + "\n";
  }
  md += "```\n";
  return md;
}

Result<std::vector<std::filesystem::path>> write_sweep_files(const std::filesystem::path& db,
                                                             const std::filesystem::path& out_dir) {
  auto runs = reports::load_runs(db);
  if (!runs.ok()) return runs.error();
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return make_error("cannot create " + out_dir.string() + ": " + ec.message());
  std::vector<std::filesystem::path> written;
  const auto junit = out_dir / "junit.xml";
  if (auto st = write_file_atomic(junit, reports::junit_xml(runs.value())); !st.ok()) return st.error();
  written.push_back(junit);
  const auto summary = out_dir / "summary.md";
  if (auto st = write_file_atomic(summary, sweep_summary_markdown(runs.value())); !st.ok()) return st.error();
  written.push_back(summary);
  return written;
}

}  // namespace mt::cli
