#include "cli/explore_seed.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <sstream>

#include "sim/run/exit_codes.hpp"
#include "core/crypto/hash.hpp"
#include "reports/console_summary.hpp"
#include "reports/output_set.hpp"
#include "reports/report_json.hpp"
#include "reports/results_database.hpp"
#include "sim/explore/explore_run.hpp"
#include "sim/runner/shrink.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "sim/scenario/scenario_writer.hpp"

namespace fs = std::filesystem;

namespace mt::cli {

namespace {

using WallClock = std::chrono::steady_clock;  // harness speed only

std::string read_text(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

bool write_text(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << text;
  return static_cast<bool>(f);
}

std::string replay_line(const fs::path& file, std::uint64_t seed) {
  return fmt::format("mtsim run {} --seed {}", file.string(), seed);
}

// Shrinks the failing scenario into shrunk.yaml; prints what it did to the seed's console.log.
void shrink_failure(const fs::path& run_dir, std::uint64_t seed, std::size_t max_runs) {
  const fs::path file = run_dir / "scenario.yaml";
  auto r = sim::shrink_scenario(read_text(file), file.string(), seed, max_runs);
  if (!r.ok()) {
    std::printf("shrink: %s\n", r.error().message.c_str());
    return;
  }
  const auto& v = r.value();
  if (!write_text(run_dir / "shrunk.yaml", v.minimal_yaml)) return;
  std::printf("shrink: still fails %s (exit %d) after %zu runs\n  before: %s\n  after:  %s\nreplay: %s\n", v.failing.c_str(),
              v.exit_code, v.runs, v.before.describe().c_str(), v.after.describe().c_str(),
              replay_line(run_dir / "shrunk.yaml", seed).c_str());
}

// The kinds a drawn scenario uses: its behaviours, its faults (ids are "f<k>-<kind>"), the nemesis.
std::vector<std::string> kinds_used(const sim::Scenario& s) {
  std::vector<std::string> kinds;
  auto add = [&](const std::string& k) {
    if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) kinds.push_back(k);
  };
  for (const auto& f : s.faults) {
    const auto dash = f.id.find('-');
    if (dash != std::string::npos) add(f.id.substr(dash + 1));
  }
  if (s.nemesis) add("nemesis");
  for (const auto& g : s.groups) {
    if (g.byzantine) add(g.byzantine->behavior);
  }
  return kinds;
}

}  // namespace

int explore_one_seed(const fs::path& run_dir, std::uint64_t seed, std::size_t shrink_runs) {
  const fs::path file = run_dir / "scenario.yaml";
  std::printf("mtsim explore: %s, seed %llu\n", file.c_str(), static_cast<unsigned long long>(seed));
  auto scenario = sim::load_scenario(file.string());
  if (!scenario.ok()) {
    std::fprintf(stderr, "%s\n", scenario.error().message.c_str());
    return kExitBadScenario;
  }
  const auto start = WallClock::now();
  auto run = sim::explore::run_explored(scenario.value(), seed);
  if (!run.output.error.empty()) {
    std::fprintf(stderr, "mtsim explore: %s\n", run.output.error.c_str());
    return kExitBadScenario;
  }
  sim::RunResult& r = run.output.result;
  const double wall = std::chrono::duration<double>(WallClock::now() - start).count();
  r.scenario_file = file.string();
  r.scenario_hash = crypto::blake2b256(as_bytes(sim::to_yaml(scenario.value()))).hex();
  r.reproduce_command = replay_line(file, seed);
  r.speed.wall_seconds = wall;
  r.speed.sim_seconds_per_wall_second = wall > 0 ? static_cast<double>(r.simulated_us) / 1e6 / wall : 0;
  r.provenance.command_line = "mtsim explore";
  auto written = reports::write_all(run_dir, r, reports::OutputSet().add(reports::Output::json));
  if (!written.ok()) std::fprintf(stderr, "mtsim explore: %s\n", written.error().message.c_str());
  const auto kinds = kinds_used(scenario.value());
  if (!write_text(run_dir / "coverage.json", sim::explore::coverage_to_json(seed, run.coverage, kinds))) {
    std::fprintf(stderr, "mtsim explore: cannot write coverage.json\n");
  }
  reports::print_summary(std::cout, r, false);
  std::cout.flush();
  if (r.exit_code != kExitOk && shrink_runs > 0) shrink_failure(run_dir, seed, shrink_runs);
  std::fflush(stdout);
  return r.exit_code;
}

SeedOutcome collect_seed(const fs::path& db, const fs::path& run_dir, std::uint64_t seed, int status) {
  SeedOutcome o;
  o.exit_code = kExitInternal;
  if (WIFEXITED(status)) {
    o.exit_code = WEXITSTATUS(status);
    o.how = fmt::format("exit {}", o.exit_code);
  } else if (WIFSIGNALED(status)) {
    o.how = fmt::format("killed by signal {}", WTERMSIG(status));
  }
  const fs::path shrunk = run_dir / "shrunk.yaml";
  o.replay = replay_line(fs::exists(shrunk) ? shrunk : run_dir / "scenario.yaml", seed);
  auto run = reports::read_report_json(run_dir / "report.json");
  if (!run.ok()) {
    o.problem = fmt::format("no report (log: {})", (run_dir / "console.log").string());
    if (o.exit_code == kExitOk) o.exit_code = kExitInternal;
    return o;
  }
  for (const auto& e : run.value().expectations) {
    if (!e.passed) o.failed.push_back(e.name + ": " + (e.detail.empty() ? e.measured : e.detail));
  }
  if (auto stored = reports::append_run(db, run.value()); !stored.ok()) {
    o.problem = "results.sqlite: " + stored.error().message;
  }
  auto cov = sim::explore::coverage_from_json(read_text(run_dir / "coverage.json"));
  if (cov.ok()) o.coverage = cov.value();
  return o;
}

}  // namespace mt::cli
