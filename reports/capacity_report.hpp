// The outputs of `mtsim capacity`: the console table, capacity.json and capacity.html (the
// finalized-vs-offered and p99-vs-offered curves with the knee marked). Everything is built from
// a CapacityResult, plain data that the command fills; nothing here runs a simulation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/capacity/bottleneck.hpp"
#include "sim/capacity/rate_search.hpp"
#include "sim/run/run_result.hpp"

namespace mt::reports {

struct CapacityResult {
  std::string scenario_name;
  std::string scenario_file;
  std::uint64_t seed = 0;
  std::uint64_t max_rate_per_s = 0;
  double p99_bound_ms = 0;
  std::vector<sim::CapacityPoint> points;  // ascending by rate
  sim::Saturation saturation;
  sim::Bottleneck bottleneck;
  std::vector<sim::ExpectationResult> expectations;  // the scenario's capacity.* expectations
};

// "saturation: 57 tx/s (bottleneck: cpu of node val[3])", or "saturation: >= 400 tx/s", or
// "saturation: < 12 tx/s (...)" when even the lowest rate did not keep up.
std::string saturation_line(const CapacityResult& r);

// The table (one row per point, ascending) and the saturation line, ending in a newline.
std::string capacity_table(const CapacityResult& r);

nlohmann::ordered_json capacity_json(const CapacityResult& r);

// A self-contained page: both curves, the knee as a vertical line, and the table.
std::string capacity_html(const CapacityResult& r);

}  // namespace mt::reports
