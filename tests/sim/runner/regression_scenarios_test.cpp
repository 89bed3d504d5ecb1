// Every scenario in scenarios/regressions/ (one per fixed bug, each failing on the commit before
// its fix) passes all its expectations: the bugs stay fixed.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/runner/runner.hpp"
#include "sim/scenario/load_scenario.hpp"

using namespace mt;
using namespace mt::sim;

TEST_CASE("every regression scenario passes") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(MTSIM_SOURCE_DIR) / "scenarios" / "regressions";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE_FALSE(files.empty());
  for (const fs::path& file : files) {
    INFO("scenario " << file.filename().string());
    auto s = load_scenario(file.string(), {});
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
    RunSettings settings;
    settings.seed = s.value().seed.value_or(1);
    auto out = run_scenario(s.value(), settings);
    REQUIRE_MESSAGE(out.error.empty(), out.error);
    for (const auto& e : out.result.expectations) CHECK_MESSAGE(e.passed, (e.name + ": " + e.detail));
    CHECK(out.result.exit_code == 0);
  }
}
