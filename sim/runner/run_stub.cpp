// TEMPORARY stand-in for run_main so the mtsim CLI links before the runner exists.
// The runner author deletes this file (and its line in sim/CMakeLists.txt) when sim/runner/run.cpp lands.
#include <cstdio>

#include "sim/runner/run.hpp"

namespace mt::sim {

int run_main(const Scenario& scenario, const RunOptions& options) {
  std::printf("seed %llu\n", static_cast<unsigned long long>(options.seed));
  std::fprintf(stderr, "mtsim: runner not built yet (scenario '%s' is valid)\n", scenario.name.c_str());
  return 70;
}

}  // namespace mt::sim
