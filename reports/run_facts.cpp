#include "reports/run_facts.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace mt::reports {

bool run_passed(const sim::RunResult& run) {
  return run.exit_code == 0 && failed_expectation_count(run) == 0;
}

std::string verdict_word(const sim::RunResult& run) { return run_passed(run) ? "pass" : "fail"; }

std::size_t failed_expectation_count(const sim::RunResult& run) {
  return static_cast<std::size_t>(std::count_if(run.expectations.begin(), run.expectations.end(),
                                                [](const auto& e) { return !e.passed; }));
}

std::vector<double> block_intervals_ms(const sim::RunResult& run) {
  std::vector<const sim::BlockRecord*> blocks;
  blocks.reserve(run.blocks.size());
  for (const auto& b : run.blocks) blocks.push_back(&b);
  std::stable_sort(blocks.begin(), blocks.end(),
                   [](const auto* a, const auto* b) { return a->height < b->height; });
  std::vector<double> intervals;
  for (std::size_t i = 1; i < blocks.size(); ++i) {
    auto delta_us = blocks[i]->commit_time_us - blocks[i - 1]->commit_time_us;
    intervals.push_back(static_cast<double>(delta_us) / 1000.0);
  }
  return intervals;
}

std::string exit_class_word(int exit_class) {
  if (exit_class == kExitSafety) return "safety";
  if (exit_class == kExitLiveness) return "liveness";
  return "other";
}

std::string run_key(const sim::RunResult& run) {
  return fmt::format("{}:{}:{}", run.scenario_hash, run.seed, run.digest);
}

}  // namespace mt::reports
