// What runs out first at the knee: the bottleneck verdict of a capacity search. It reads the
// first point that did not keep up beside the last that did, and names the resource closest
// to full there: the busiest node's CPU, the busiest link, the block size, the mempools, the
// consensus rounds, or else finality latency alone. Pure, so it is tested with hand-made points.
#pragma once

#include <string>

#include "sim/capacity/capacity_point.hpp"

namespace mt::sim {

// When a resource counts as saturated. Each line is why the threshold is where it is.
struct BottleneckLimits {
  // A server busy 75% of the time already makes work wait three times its service time on
  // average (M/M/1: rho / (1 - rho)), and the wait grows without bound toward 1: past this the
  // queue, not the work, sets the latency.
  double cpu_busy = 0.75;
  double link_utilisation = 0.75;  // likewise a link's serialisation queue
  double blocks_full = 0.5;        // half the blocks at max_block_txs: the block caps throughput
  double block_capacity = 0.9;     // finalizing 90% of max_block_txs per block time: likewise
  double rejected_fraction = 0.01; // 1% of submissions refused: the mempools are full
  double rounds_per_height = 1.25; // a quarter of heights need a second round: consensus is the limit
};

enum class BottleneckKind : std::uint8_t { none, cpu, link, block_size, mempool, consensus_rounds, latency, unknown };

struct Bottleneck {
  BottleneckKind kind = BottleneckKind::none;
  std::string where;  // node name for cpu, "A-B" for link; may be empty
  // "cpu of node val[3]", "link val[1]-val[7]", "block size", "mempool", "consensus rounds",
  // "finality latency", "unknown", or "none" when nothing failed.
  [[nodiscard]] std::string describe() const;
};

// The verdict at the knee. `first_failing` is the lowest rate that did not keep up;
// `block_capacity_tps` is max_block_txs per block time (0: unknown), which reads the block-size
// limit off the chain parameters when the run does not report blocks.full_fraction.
Bottleneck find_bottleneck(const CapacityPoint& first_failing, double p99_bound_ms, double block_capacity_tps = 0,
                           const BottleneckLimits& limits = {});

}  // namespace mt::sim
