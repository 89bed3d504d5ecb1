// The metrics an `expect:` entry may bound, declared once: path, unit and one doc line each. The
// loader validates names from it, the expectation set prints values in its unit, the metrics
// collector answers every path (tested), and docs/scenario-reference.md's table is tested
// against it (tests/sim/scenario/registry_test.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mt::sim {

struct MetricSpec {
  std::string_view path;   // "tps.finalized.mean"
  std::string_view unit;   // "tx/s", "ms", or empty for counts and ratios
  std::string_view doc;
  bool end_of_run = false; // read from the final chain state: windows do not apply
  bool needs_capacity = false; // measured over a whole `mtsim capacity` search, not by one run
};

const std::vector<MetricSpec>& metric_registry();
// nullptr for an unknown path.
const MetricSpec* find_metric(std::string_view path);
std::vector<std::string> metric_paths();

}  // namespace mt::sim
