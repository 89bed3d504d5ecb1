// A realistic synthetic RunResult for report tests, built without running a simulation: 60
// blocks at 2 s with a partition from 40 s to 56 s during which heights stall, 5 expectations of
// which 2 fail, 7 nodes, five message kinds. Text fields carry <, &, ", | , and newlines so
// every writer's escaping is exercised. The seed changes the values (not the shape).
#pragma once

#include <cstdint>

#include "sim/run/run_result.hpp"

namespace mt::reports::testing {

sim::RunResult make_sample_run(std::uint64_t seed = 42);

// The same run with every expectation passing and exit code 0.
sim::RunResult make_passing_run(std::uint64_t seed = 7);

}  // namespace mt::reports::testing
