#include "cli/capacity_testnet_cpu.hpp"

#include <fmt/format.h>

namespace mt::cli {

std::string testnet_cpu_note(const sim::CapacityPoint& p) {
  if (!p.node_cpu_cores || !p.implied_speed) return "";
  return fmt::format(", nodes got {:.3f} core each (cpu.speed {:.3f}), load average {:.2f}", *p.node_cpu_cores,
                     *p.implied_speed, p.load_avg.value_or(0));
}

std::string testnet_cpu_lines(const reports::CapacityResult& r) {
  std::string out;
  const sim::CapacityPoint* pick = nullptr;
  for (const auto& p : r.points) {
    if (!p.node_cpu_cores || !p.implied_speed) continue;
    out += fmt::format("  {:>6}/s{}\n", p.rate_per_s, testnet_cpu_note(p));
    if (r.saturation.first_failing_rate_per_s == p.rate_per_s) pick = &p;
    if (!r.saturation.first_failing_rate_per_s && (pick == nullptr || p.rate_per_s > pick->rate_per_s)) pick = &p;
  }
  if (pick == nullptr) return "";
  return "testnet cpu (steady window, per node process):\n" + out +
         fmt::format("model these processes in the simulator with --set validators[0].cpu.speed={:.3f} "
                     "(the implied speed at {} tx/s, load average {:.2f})\n",
                     *pick->implied_speed, pick->rate_per_s, pick->load_avg.value_or(0));
}

}  // namespace mt::cli
