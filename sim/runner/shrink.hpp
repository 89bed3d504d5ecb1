// Shrinking a failing scenario (issue 6): repeatedly simplify the scenario's YAML (drop faults,
// the nemesis, load segments; fewer validators; lower rates; shorter) and keep each step only if
// every expectation that failed still fails with the same seed (never ending the run before an
// expectation's explicit window ends). Deterministic: the same file and seed
// always shrink to the same result.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/util/result.hpp"

namespace mt::sim {

struct ShrinkSize {
  std::size_t validators = 0;
  std::size_t faults = 0;
  std::size_t load_segments = 0;
  std::int64_t duration_us = 0;
  [[nodiscard]] std::string describe() const;
};

struct ShrinkOutcome {
  std::string minimal_yaml;          // a loadable scenario that still fails
  std::string failing;               // the expectations that keep failing, comma-separated
  int exit_code = 0;                 // of the minimal scenario
  ShrinkSize before, after;
  std::size_t runs = 0;              // scenario runs spent
  std::vector<std::string> steps;    // accepted simplifications, in order
};

// `text` is the scenario file's YAML; `file` anchors relative paths (extends, matrix_file).
// Errors: the scenario does not load, or it does not fail with this seed. `log` sees each attempt.
Result<ShrinkOutcome> shrink_scenario(const std::string& text, const std::string& file, std::uint64_t seed,
                                      std::size_t max_runs, const std::function<void(const std::string&)>& log = {});

}  // namespace mt::sim
