// Sweep-level files from a results database (sweep_outputs.hpp).
#include "cli/sweep_outputs.hpp"

#include "reports/file_output.hpp"
#include "reports/junit_writer.hpp"
#include "reports/results_database.hpp"
#include "reports/sweep_summary.hpp"

namespace mt::cli {

Result<std::vector<std::filesystem::path>> write_sweep_files(const std::filesystem::path& db,
                                                             const std::filesystem::path& out_dir) {
  auto runs = reports::load_runs(db);
  if (!runs.ok()) return runs.error();
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return make_error("cannot create " + out_dir.string() + ": " + ec.message());
  std::vector<std::filesystem::path> written;
  const auto junit = out_dir / "junit.xml";
  if (auto st = reports::write_file_atomically(junit, reports::junit_xml(runs.value())); !st.ok()) return st.error();
  written.push_back(junit);
  const auto summary = out_dir / "summary.md";
  if (auto st = reports::write_file_atomically(summary, reports::sweep_summary_markdown(runs.value())); !st.ok()) return st.error();
  written.push_back(summary);
  return written;
}

}  // namespace mt::cli
