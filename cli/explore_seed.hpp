// One seed of `mtsim explore`, both sides of the fork: the child runs the drawn scenario file with
// coverage and leaves its results in the seed's folder (report.json, coverage.json, console.log,
// and on failure shrunk.yaml); the parent reads them back, stores the run in results.sqlite and
// says what failed and how to replay it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/explore/coverage.hpp"

namespace mt::cli {

// Child: runs run_dir/scenario.yaml with `seed`; returns the run's exit code (DESIGN.md §6).
// With shrink_runs > 0 a failing run is shrunk (at most that many reruns) into shrunk.yaml.
int explore_one_seed(const std::filesystem::path& run_dir, std::uint64_t seed, std::size_t shrink_runs);

struct SeedOutcome {
  int exit_code = 0;
  std::string how;                      // "exit 1", "killed by signal 9"
  std::vector<std::string> failed;      // "check: detail" per failed expectation
  std::string replay;                   // the one command that replays the failure
  std::optional<sim::explore::Coverage> coverage;
  std::string problem;                  // the run left no usable report, or storing it failed
};

// Parent: what the finished child (wait status `status`) left in run_dir; stores its run in db.
SeedOutcome collect_seed(const std::filesystem::path& db, const std::filesystem::path& run_dir, std::uint64_t seed,
                         int status);

}  // namespace mt::cli
