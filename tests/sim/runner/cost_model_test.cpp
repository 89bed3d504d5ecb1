// The cost model end to end: the same load on validators twenty times slower (cpu.speed 0.05)
// keeps their CPUs busier and finalizes later or less; a tight uplink makes finality slower and
// link.utilisation_max names that uplink; the new metrics reach expectations and report fields.
#include <doctest/doctest.h>

#include "sim/runner/runner.hpp"
#include "sim/scenario/load_scenario.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
const char* kBase = R"(version: 1
name: cost-model
duration: 16s
warmup: 4s
chain: { block_time: 1s }
network:
  latency: { default: 10ms }
validators:
  - { group: v, count: 4, stake: 1000 }
load:
  - { kind: poisson, rate: 300/s, tx: transfer, accounts: 200 }
expect:
  - { check: no_conflicting_finality }
  - { metric: cpu.busy_max, min: 0 }
  - { metric: link.utilisation_max, min: 0 }
  - { metric: mempool.peak, min: 0 }
  - { metric: blocks.full_fraction, max: 1 }
)";

RunResult run_with(const std::vector<std::string>& sets) {
  auto s = load_scenario_text(kBase, "cost-model.yaml", sets);
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  RunSettings settings;
  settings.seed = 5;
  auto out = run_scenario(s.value(), settings);
  REQUIRE_MESSAGE(out.error.empty(), out.error);
  return out.result;
}
}  // namespace

TEST_CASE("validators twenty times slower are busier and finalize later or less at the same load") {
  const RunResult fast = run_with({});
  const RunResult slow = run_with({"validators[0].cpu={speed: 0.05}"});
  const auto& f = fast.metrics;
  const auto& s = slow.metrics;
  CAPTURE(f.cpu_busy_max);
  CAPTURE(s.cpu_busy_max);
  CHECK(f.cpu_busy_max > 0);
  CHECK(s.cpu_busy_max > 5 * f.cpu_busy_max);
  CHECK(s.cpu_busy_max <= 1.0);
  CHECK(s.cpu_busy_max_node.rfind("v[", 0) == 0);
  CAPTURE(f.finality_latency_ms.p50);
  CAPTURE(s.finality_latency_ms.p50);
  CHECK((s.tps_finalized_mean < f.tps_finalized_mean || s.finality_latency_ms.p50 > f.finality_latency_ms.p50));
  CHECK(fast.digest != slow.digest);
  for (const auto& e : fast.expectations) CHECK_MESSAGE(e.passed, (e.name + ": " + e.detail));
}

TEST_CASE("a tight uplink slows finality and link.utilisation_max names it") {
  const RunResult free = run_with({});
  const RunResult capped = run_with({"validators[0].bandwidth={up: 3Mbit/s}"});
  CHECK(free.metrics.link_utilisation_max == 0);
  CHECK(free.metrics.link_utilisation_max_name.rfind("none", 0) == 0);
  CAPTURE(capped.metrics.link_utilisation_max_name);
  CHECK(capped.metrics.link_utilisation_max > 0.05);
  CHECK(capped.metrics.link_utilisation_max <= 1.0);
  CHECK(capped.metrics.link_utilisation_max_name.find(" uplink") != std::string::npos);
  CAPTURE(free.metrics.finality_latency_ms.p50);
  CAPTURE(capped.metrics.finality_latency_ms.p50);
  CHECK(capped.metrics.finality_latency_ms.p50 > free.metrics.finality_latency_ms.p50);
}

TEST_CASE("mempool peak and full blocks: a one-tx block limit fills every block and the mempools back up") {
  const RunResult normal = run_with({});
  const RunResult tiny = run_with({"chain.max_block_txs=1"});
  CHECK(normal.metrics.mempool_peak > 0);
  CHECK(normal.metrics.blocks_full_fraction < 0.5);
  CHECK(tiny.metrics.blocks_full_fraction == 1.0);
  CHECK(tiny.metrics.mempool_peak > 10 * normal.metrics.mempool_peak);
  CHECK_FALSE(tiny.metrics.mempool_peak_node.empty());
}

TEST_CASE("costs set in the scenario change what nodes charge; the defaults are today's numbers") {
  const RunResult base = run_with({});
  const RunResult same = run_with({"costs={verify: 50us, sign: 25us, execute_tx: 5us}"});
  const RunResult dear = run_with({"costs={verify: 500us}"});
  CHECK(same.digest == base.digest);
  CHECK(dear.digest != base.digest);
  CHECK(dear.metrics.cpu_busy_max > 3 * base.metrics.cpu_busy_max);
}

TEST_CASE("every message copy sent and received is charged: dearer transport keeps the nodes busier") {
  const RunResult free = run_with({"costs={send_message: 0us, receive_message: 0us}"});
  const RunResult base = run_with({});
  const RunResult dear_send = run_with({"costs={send_message: 200us}"});
  const RunResult dear_receive = run_with({"costs={receive_message: 200us}"});
  CAPTURE(free.metrics.cpu_busy_max);
  CAPTURE(base.metrics.cpu_busy_max);
  CAPTURE(dear_send.metrics.cpu_busy_max);
  CAPTURE(dear_receive.metrics.cpu_busy_max);
  // The defaults are calibrated, not zero: they cost something over a free transport.
  CHECK(CpuCosts{}.send_message_us > 0);
  CHECK(CpuCosts{}.receive_message_us > 0);
  CHECK(base.digest != free.digest);
  CHECK(base.metrics.cpu_busy_max > free.metrics.cpu_busy_max);
  // 300 tx/s relayed to three peers at 200 us a copy is about 18% of a CPU on its own.
  CHECK(dear_send.metrics.cpu_busy_max > base.metrics.cpu_busy_max + 0.1);
  CHECK(dear_receive.metrics.cpu_busy_max > base.metrics.cpu_busy_max + 0.1);
}
