// Measures this machine's per-operation CPU costs (core/node/cpu_costs.hpp) the way bench/ does
// (BM_Sign, BM_Verify_Cold, BM_Verify_Cached, BM_Blake2b256, BM_ApplyBlockTransfers): each
// operation repeated on the real code until a time budget is spent, then the mean per operation.
// Thread CPU time (wall time for the disk write), so it lives in cli/, never in core/ or sim/.
//
//   auto c = measure_costs(std::chrono::milliseconds(300));
//   std::puts(costs_yaml(c, "my-laptop").c_str());   // a `costs:` fragment a scenario extends
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/node/cpu_costs.hpp"

namespace mt::cli {

struct MeasuredOp {
  std::string key;             // the `costs:` key: "verify", "sign", ...
  std::string how;             // what was timed
  double ns_per_op = 0;
  std::uint64_t iterations = 0;
};

struct Calibration {
  CpuCosts costs;              // the measured means, to whole microseconds (at least 1)
  std::vector<MeasuredOp> ops;
  std::vector<std::string> skipped;  // operations that could not be measured here, and why
};

// Spends about `budget` on each of the nine operations (the two transport ones together).
Calibration measure_costs(std::chrono::milliseconds budget);
// The YAML fragment: a comment block with the raw numbers, then `costs:` with every key.
std::string costs_yaml(const Calibration& c, const std::string& provenance);

}  // namespace mt::cli
