// One point of a capacity search: the scenario run at one offered rate, reduced to the numbers
// the saturation rule and the bottleneck verdict read. Plain data; cli/ fills it from a run's
// report.json. Resource numbers the run did not measure stay empty (std::nullopt), never zero.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mt::sim {

struct CapacityPoint {
  std::uint64_t rate_per_s = 0;   // offered rate the load was set to (load[i].rate)
  bool ran = false;               // the run finished and its report was read
  int exit_code = 0;              // the point run's own exit code
  double offered_tps = 0;         // measured over the steady window (Poisson arrivals vary)
  double finalized_tps = 0;
  double latency_p50_ms = 0;
  double latency_p99_ms = 0;
  double rounds_per_height = 0;   // mean; 1 = every height decided in its first round
  std::uint64_t txs_submitted = 0;
  std::uint64_t txs_rejected = 0; // submissions no node admitted (full mempools)
  // Resource use, from the cost model's metrics when the run reports them.
  std::optional<double> mempool_peak;          // most transactions one node's mempool held
  std::optional<double> cpu_busy_max;          // busiest node's CPU busy fraction, 0..1
  std::optional<double> link_utilisation_max;  // busiest link's utilisation, 0..1
  std::optional<double> blocks_full_fraction;  // fraction of blocks at max_block_txs
  std::string busiest_node;                    // name for cpu_busy_max, when known
  std::string busiest_link;                    // "A-B" for link_utilisation_max, when known
  // A testnet point only (`--testnet`): the CPU its node processes got over the steady window
  // (testnet/cpu_share.hpp); empty for a simulator point.
  std::optional<double> node_cpu_cores;  // mean per node, in cores
  std::optional<double> implied_speed;   // the `cpu.speed` that models that share
  std::optional<double> load_avg;        // the host's 1-minute load average when the window closed
};

// The saturation rule: finalized TPS >= 95% of offered and finality p99 within the bound.
inline constexpr double kKeepsUpFraction = 0.95;

[[nodiscard]] inline bool keeps_up(const CapacityPoint& p, double p99_bound_ms) {
  return p.ran && p.finalized_tps >= kKeepsUpFraction * p.offered_tps && p.latency_p99_ms <= p99_bound_ms;
}

}  // namespace mt::sim
