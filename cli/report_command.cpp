// `mtsim report DB [--out DIR] [--latest]`: regenerates the files a sweep writes from a results
// database (a sweep's, or a merge of shards): junit.xml and summary.md over every run, plus
// report.html per run in DIR/<name>-seed<S>/, or with --latest only DIR/report.html for the most
// recently started run. DIR defaults to the database's folder.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <utility>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/sweep_outputs.hpp"
#include "reports/file_output.hpp"
#include "reports/html_report.hpp"
#include "reports/results_database.hpp"
#include "sim/run/exit_codes.hpp"

namespace fs = std::filesystem;

namespace mt::cli {
namespace {

struct ReportArgs {
  fs::path db;
  fs::path out_dir;
  bool latest = false;
};

// Parses the arguments; an exit code when it should stop (help, or a usage error).
std::optional<int> parse(const std::vector<std::string>& args, ReportArgs& r) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "--help" || a == "-h") {
      print_report_help();
      return kExitOk;
    }
    if (a == "--latest") {
      r.latest = true;
    } else if (a == "--out" && i + 1 < args.size()) {
      r.out_dir = args[++i];
    } else if (!a.empty() && a[0] != '-' && r.db.empty()) {
      r.db = a;
    } else {
      std::fprintf(stderr, "mtsim report: unexpected '%s' (see 'mtsim report --help')\n", a.c_str());
      return kExitUsage;
    }
  }
  if (r.db.empty()) {
    std::fprintf(stderr, "mtsim report: usage: mtsim report DB [--out DIR] [--latest]\n");
    return kExitUsage;
  }
  std::error_code ec;
  if (!fs::is_regular_file(r.db, ec)) {
    std::fprintf(stderr, "mtsim report: %s is not a file\n", r.db.c_str());
    return kExitUsage;
  }
  if (r.out_dir.empty()) r.out_dir = r.db.has_parent_path() ? r.db.parent_path() : fs::path(".");
  return std::nullopt;
}

// The run that started last (provenance time, then load order); nullptr when there is none.
const sim::RunResult* latest_run(const std::vector<sim::RunResult>& runs) {
  const sim::RunResult* best = nullptr;
  for (const auto& r : runs) {
    if (best == nullptr || r.provenance.started_at_utc >= best->provenance.started_at_utc) best = &r;
  }
  return best;
}

}  // namespace

int report_command(const std::vector<std::string>& args) {
  ReportArgs r;
  if (auto stop = parse(args, r)) return *stop;
  auto files = write_sweep_files(r.db, r.out_dir);
  if (!files.ok()) {
    std::fprintf(stderr, "mtsim report: %s\n", files.error().message.c_str());
    return kExitInternal;
  }
  auto runs = reports::load_runs(r.db);
  if (!runs.ok()) {
    std::fprintf(stderr, "mtsim report: %s\n", runs.error().message.c_str());
    return kExitInternal;
  }
  std::vector<fs::path> written = files.value();
  std::vector<std::pair<const sim::RunResult*, fs::path>> pages;
  if (r.latest) {
    if (const auto* run = latest_run(runs.value())) pages.emplace_back(run, r.out_dir / "report.html");
  } else {
    for (const auto& run : runs.value()) {
      pages.emplace_back(&run, r.out_dir / (fmt::format("{}-seed{}", run.scenario_name, run.seed)) / "report.html");
    }
  }
  for (const auto& [run, path] : pages) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (auto st = reports::write_file_atomically(path, reports::html_report(*run)); !st.ok()) {
      std::fprintf(stderr, "mtsim report: %s\n", st.error().message.c_str());
      return kExitInternal;
    }
    written.push_back(path);
  }
  std::printf("%zu runs in %s\n", runs.value().size(), r.db.c_str());
  for (const auto& p : written) std::printf("  wrote %s\n", p.c_str());
  return kExitOk;
}

}  // namespace mt::cli
