// junit.xml for CI test views. One <testsuite> per scenario (a sweep has many seeds), one
// <testcase> per expectation per seed ("tps.finalized.mean [seed=42]"), classname = scenario name,
// file/line = where the expectation sits in the YAML. A run that ended with an exit code no
// expectation explains (3 nondeterminism, 4 wall budget, 65, 70, 130) gets one more case,
// "run completed [seed=N]", failed, so such runs never show green.
#pragma once

#include <string>
#include <vector>

#include "sim/run/run_result.hpp"

namespace mt::reports {

std::string junit_xml(const std::vector<sim::RunResult>& runs);

}  // namespace mt::reports
