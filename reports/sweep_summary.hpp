// summary.md of a sweep or a merged results database: counts, one table row per run (scenario,
// seed, verdict, exit, key metrics, failed expectations), then the reproduce command of each failure.
#pragma once

#include <string>
#include <vector>

#include "sim/run/run_result.hpp"

namespace mt::reports {

std::string sweep_summary_markdown(const std::vector<sim::RunResult>& runs);

}  // namespace mt::reports
