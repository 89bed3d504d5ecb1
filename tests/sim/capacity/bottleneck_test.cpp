// The bottleneck verdict from hand-made points at the knee: the most saturated of CPU, link and
// block wins and carries its node or link name, then consensus rounds, then full mempools, then
// latency alone (the block-size limit also read off the chain's parameters); a point that keeps up has no bottleneck.
#include <doctest/doctest.h>

#include "sim/capacity/bottleneck.hpp"

using namespace mt::sim;

namespace {

constexpr double kBound = 6000;

// A point that finalized only 60 of 100 offered tx/s, first-round heights, no resource numbers.
CapacityPoint failing() {
  CapacityPoint p;
  p.rate_per_s = 100;
  p.ran = true;
  p.offered_tps = 100;
  p.finalized_tps = 60;
  p.latency_p99_ms = 9000;
  p.rounds_per_height = 1.0;
  p.txs_submitted = 10000;
  return p;
}

}  // namespace

TEST_CASE("a busy CPU is the bottleneck, named by its node") {
  auto p = failing();
  p.cpu_busy_max = 0.97;
  p.busiest_node = "val[3]";
  p.link_utilisation_max = 0.40;
  const auto b = find_bottleneck(p, kBound);
  CHECK(b.kind == BottleneckKind::cpu);
  CHECK(b.describe() == "cpu of node val[3]");
}

TEST_CASE("the more saturated of CPU and link wins") {
  auto p = failing();
  p.cpu_busy_max = 0.90;
  p.link_utilisation_max = 0.99;
  p.busiest_link = "val[1]-val[7]";
  const auto b = find_bottleneck(p, kBound);
  CHECK(b.kind == BottleneckKind::link);
  CHECK(b.describe() == "link val[1]-val[7]");
  p.link_utilisation_max = 0.70;  // below its limit: the CPU is the one over
  CHECK(find_bottleneck(p, kBound).kind == BottleneckKind::cpu);
}

TEST_CASE("full blocks are the bottleneck when no machine resource is over its limit") {
  auto p = failing();
  p.cpu_busy_max = 0.30;
  p.link_utilisation_max = 0.70;
  p.blocks_full_fraction = 0.92;
  CHECK(find_bottleneck(p, kBound).describe() == "block size");
}

TEST_CASE("finalizing at the blocks' capacity reads as block size without the fullness metric") {
  auto p = failing();  // 60 tx/s finalized
  CHECK(find_bottleneck(p, kBound, 200).describe() == "unknown");     // blocks hold 200 tx/s: not them
  CHECK(find_bottleneck(p, kBound, 62).describe() == "block size");   // 60 of 62 tx/s: the blocks are full
  p.cpu_busy_max = 0.99;
  p.busiest_node = "val[0]";
  CHECK(find_bottleneck(p, kBound, 62).describe() == "cpu of node val[0]");  // 0.99 / 0.75 beats 0.97 / 0.9
}

TEST_CASE("extra consensus rounds, then rejected submissions, then latency alone") {
  auto p = failing();
  p.rounds_per_height = 1.6;
  p.txs_rejected = 500;
  CHECK(find_bottleneck(p, kBound).describe() == "consensus rounds");
  p.rounds_per_height = 1.0;
  CHECK(find_bottleneck(p, kBound).describe() == "mempool");
  p.txs_rejected = 0;
  CHECK(find_bottleneck(p, kBound).describe() == "unknown");
  p.finalized_tps = 99;  // throughput kept up; only p99 was over the bound
  CHECK(find_bottleneck(p, kBound).describe() == "finality latency");
}

TEST_CASE("a point that keeps up has no bottleneck") {
  auto p = failing();
  p.finalized_tps = 100;
  p.latency_p99_ms = 3000;
  p.cpu_busy_max = 0.99;
  CHECK(find_bottleneck(p, kBound).kind == BottleneckKind::none);
}
