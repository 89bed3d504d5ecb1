// The console summary a run prints when it ends. The runner prints the seed line first; this
// prints every expectation (PASS/FAIL, measured vs threshold), key metrics, artifact paths, and
// on failure the reproduce command last, so it is the line a developer copies.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sim/run/run_result.hpp"

namespace mt::reports {

// `color` adds ANSI colour codes; without it the output is plain text (for logs and pipes).
void print_summary(std::ostream& out, const sim::RunResult& run, bool color,
                   const std::vector<std::string>& artifact_paths = {});

}  // namespace mt::reports
