// `mtsim calibrate [--out FILE] [--budget MS]`: measures this machine's per-operation CPU costs
// (cli/cost_measure.hpp) and prints them, or writes them as a `costs:` fragment a scenario can
// `extends:` (docs/cost-model.md).
#include <cstdio>
#include <ctime>
#include <fstream>

#include <fmt/format.h>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/cost_measure.hpp"
#include "sim/run/exit_codes.hpp"
#include "sim/scenario/units.hpp"

namespace mt::cli {
namespace {

constexpr long kDefaultBudgetMs = 300;
constexpr long kMaxBudgetMs = 60'000;

std::string provenance() {
  char host[256] = {};
  (void)::gethostname(host, sizeof host - 1);
  const std::time_t now = std::time(nullptr);
  char when[32] = {};
  std::tm tm{};
  (void)::gmtime_r(&now, &tm);
  (void)std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return fmt::format("Measured on {} at {}, {} build.", host, when, MTSIM_BUILD_TYPE);
}

int usage(const std::string& why) {
  std::fprintf(stderr, "mtsim calibrate: %s (see --help)\n", why.c_str());
  return kExitUsage;
}

}  // namespace

int calibrate_command(const std::vector<std::string>& args) {
  std::string out;
  long budget_ms = kDefaultBudgetMs;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      print_calibrate_help();
      return kExitOk;
    }
    if ((a == "--out" || a == "--budget") && i + 1 >= args.size()) return usage(a + " needs a value");
    if (a == "--out") {
      out = args[++i];
    } else if (a == "--budget") {
      auto ms = sim::parse_count(args[++i]);
      if (!ms || ms.value() == 0 || ms.value() > kMaxBudgetMs) return usage("--budget takes milliseconds, 1 to 60000");
      budget_ms = static_cast<long>(ms.value());
    } else {
      return usage("unknown argument '" + a + "'");
    }
  }
  std::fprintf(stderr, "mtsim calibrate: timing 9 operations, about %ld ms each...\n", budget_ms);
  const Calibration c = measure_costs(std::chrono::milliseconds(budget_ms));
  const std::string yaml = costs_yaml(c, provenance());
  if (out.empty()) {
    std::fputs(yaml.c_str(), stdout);
    return kExitOk;
  }
  std::ofstream f(out);
  f << yaml;
  if (!f.flush()) {
    std::fprintf(stderr, "mtsim calibrate: cannot write %s\n", out.c_str());
    return kExitInternal;
  }
  std::fputs(yaml.c_str(), stdout);
  std::printf("wrote %s: add `extends: %s` to a scenario to use these costs\n", out.c_str(), out.c_str());
  return kExitOk;
}

}  // namespace mt::cli
