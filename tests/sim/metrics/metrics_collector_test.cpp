// Metrics: TPS over windows, finality latency from intended submit time, block intervals and the
// steady window that leaves out warmup and fault windows.
#include <doctest/doctest.h>

#include "core/crypto/hash.hpp"
#include "core/crypto/keys.hpp"
#include "sim/metrics/interval_set.hpp"
#include "sim/metrics/metrics_collector.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
Hash32 txh(int i) { return crypto::tagged_hash("tx", as_bytes(std::to_string(i))); }
}  // namespace

TEST_CASE("interval sets subtract fault windows and measure what is left") {
  IntervalSet s(sec(30), sec(360));
  s.subtract(sec(90), sec(130));
  CHECK(s.length() == sec(290));
  CHECK(s.contains(sec(89)));
  CHECK_FALSE(s.contains(sec(90)));
  CHECK(s.contains(sec(130)));
  s.subtract(0, sec(1000));
  CHECK(s.empty());
}

TEST_CASE("finalized TPS and latency are measured at the first honest commit") {
  RunView view;
  view.nodes.push_back({"a", "g", crypto::KeyPair::from_label("a").public_key(), true});
  view.nodes.push_back({"b", "g", crypto::KeyPair::from_label("b").public_key(), true});
  MetricsCollector m(view, sec(1));
  // 10 txs per second for 10 s, each finalized in the next block (every 2 s).
  int id = 0;
  for (int s = 0; s < 10; ++s) {
    for (int k = 0; k < 10; ++k) m.on_submitted(txh(id++), sec(s) + k * ms(100));
  }
  for (std::uint64_t height = 1; height <= 5; ++height) {
    BlockCommitted c;
    c.height = height;
    c.block_hash = txh(1000 + static_cast<int>(height));
    c.timestamp_ms = height * 2000;
    for (int i = 0; i < 20; ++i) c.tx_hashes.push_back(txh(static_cast<int>(height - 1) * 20 + i));
    m.on_event(0, sec(static_cast<std::int64_t>(height * 2)), c);
    m.on_event(1, sec(static_cast<std::int64_t>(height * 2)) + ms(50), c);  // later commits do not count twice
  }
  IntervalSet all(0, sec(10) + 1);
  CHECK(m.finalized() == 100);
  CHECK(*m.metric("tps.finalized.mean", all) == doctest::Approx(10.0).epsilon(0.01));
  CHECK(*m.metric("tps.offered.mean", all) == doctest::Approx(10.0).epsilon(0.01));
  // The first tx of each block waits the longest: submitted at 2(h-1) s, finalized at 2h s.
  CHECK(*m.metric("finality_latency.max", all) == doctest::Approx(2000.0));
  CHECK(*m.metric("finality_latency.p50", all) == doctest::Approx(1000.0).epsilon(0.11));
  CHECK(*m.metric("block_interval.mean", all) == doctest::Approx(2000.0));
  CHECK(*m.metric("height", all) == 5.0);
  CHECK_FALSE(m.metric("no.such.metric", all).has_value());

  RunResult r;
  m.fill(r, all, sec(10));
  CHECK(r.blocks.size() == 5);
  CHECK(r.metrics.txs_pending_at_end == 0);
  CHECK(r.series.size() == 11);
  CHECK(r.series.back().height == 5);
}

TEST_CASE("percentiles use nearest rank") {
  std::vector<double> v;
  for (int i = 1; i <= 100; ++i) v.push_back(i);
  auto p = percentiles_of(v);
  CHECK(p.p50 == 50);
  CHECK(p.p90 == 90);
  CHECK(p.p99 == 99);
  CHECK(p.max == 100);
  CHECK(p.mean == doctest::Approx(50.5));
}
