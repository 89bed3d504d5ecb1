// What `mtsim capacity --testnet` says about the CPU its node processes got (testnet/cpu_share.hpp,
// read back into each point): a note per point, and after the table one line per point plus the
// `cpu.speed` that models the nodes' share, to feed the simulator (docs/capacity.md). Empty for
// a simulator search.
//
//   std::printf("%s", testnet_cpu_lines(result).c_str());
#pragma once

#include <string>

#include "reports/capacity_report.hpp"
#include "sim/capacity/capacity_point.hpp"

namespace mt::cli {

// ", nodes got 0.041 core each (cpu.speed 0.045), load average 9.31", or "" without the numbers.
std::string testnet_cpu_note(const sim::CapacityPoint& p);
// The per-point lines and the speed to model: the implied speed at the first rate that did not
// keep up (where the nodes were short of CPU), else at the highest rate run.
std::string testnet_cpu_lines(const reports::CapacityResult& r);

}  // namespace mt::cli
