#include "sim/capacity/bottleneck.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace mt::sim {
namespace {

// How far past its limit a resource is (value / limit); 0 when unmeasured or below the limit.
double pressure(const std::optional<double>& value, double limit) {
  if (!value || limit <= 0 || *value < limit) return 0;
  return *value / limit;
}

}  // namespace

std::string Bottleneck::describe() const {
  switch (kind) {
    case BottleneckKind::none: return "none";
    case BottleneckKind::cpu: return where.empty() ? "cpu" : fmt::format("cpu of node {}", where);
    case BottleneckKind::link: return where.empty() ? "link" : fmt::format("link {}", where);
    case BottleneckKind::block_size: return "block size";
    case BottleneckKind::mempool: return "mempool";
    case BottleneckKind::consensus_rounds: return "consensus rounds";
    case BottleneckKind::latency: return "finality latency";
    case BottleneckKind::unknown: return "unknown";
  }
  return "unknown";
}

Bottleneck find_bottleneck(const CapacityPoint& p, double p99_bound_ms, double block_capacity_tps,
                           const BottleneckLimits& limits) {
  if (keeps_up(p, p99_bound_ms)) return {};
  // A physical resource over its limit explains the rest (full mempools, late rounds), so the
  // most saturated one of CPU, link and block wins first.
  const double cpu = pressure(p.cpu_busy_max, limits.cpu_busy);
  const double link = pressure(p.link_utilisation_max, limits.link_utilisation);
  std::optional<double> block_use;  // finalized against the blocks' capacity
  if (block_capacity_tps > 0) block_use = p.finalized_tps / block_capacity_tps;
  const double block = std::max(pressure(p.blocks_full_fraction, limits.blocks_full), pressure(block_use, limits.block_capacity));
  if (cpu > 0 && cpu >= link && cpu >= block) return {BottleneckKind::cpu, p.busiest_node};
  if (link > 0 && link >= block) return {BottleneckKind::link, p.busiest_link};
  if (block > 0) return {BottleneckKind::block_size, {}};
  if (p.rounds_per_height >= limits.rounds_per_height) return {BottleneckKind::consensus_rounds, {}};
  const double rejected = p.txs_submitted == 0 ? 0.0 : static_cast<double>(p.txs_rejected) / static_cast<double>(p.txs_submitted);
  if (rejected >= limits.rejected_fraction) return {BottleneckKind::mempool, {}};
  if (p.ran && p.finalized_tps >= kKeepsUpFraction * p.offered_tps) return {BottleneckKind::latency, {}};
  return {BottleneckKind::unknown, {}};
}

}  // namespace mt::sim
