#include "tests/reports/sample_run.hpp"

#include <algorithm>
#include <string>

namespace mt::reports::testing {
namespace {

// A tiny deterministic generator (splitmix64) so values vary by seed without <random>.
struct Noise {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double unit() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }
};

constexpr std::int64_t kBlockTimeUs = 2'000'000;
constexpr std::int64_t kFaultStartUs = 40'000'000;
constexpr std::int64_t kFaultEndUs = 56'000'000;
constexpr std::size_t kNodes = 7;

std::string hex64(std::uint64_t v) {
  const char* digits = "0123456789abcdef";
  std::string out(16, '0');
  for (std::size_t i = 0; i < 16; ++i) out[15 - i] = digits[(v >> (4 * i)) & 0xf];
  return out;
}

void add_expectations(sim::RunResult& run) {
  auto e = [&](std::string name, std::string kind, std::string window, bool passed, std::string measured,
               std::string threshold, std::string detail, int exit_class, int line) {
    run.expectations.push_back(sim::ExpectationResult{std::move(name), std::move(kind), std::move(window), passed,
                                                      std::move(measured), std::move(threshold),
                                                      std::move(detail), exit_class, run.scenario_file, line});
  };
  e("no_conflicting_finality", "check", "always", true, "0 conflicts", "", "", 1, 31);
  e("heights_advance", "check", "after:split", true, "+12 heights in 20s", "", "", 2, 32);
  e("tps.finalized.mean", "metric", "steady", false, "41.7 tx/s", ">= 50 tx/s",
    "finalized 41.7 < 50 over [10s, 120s]; stall during \"split\" <partition> & recovery | slow\nsee core[2]",
    2, 34);
  e("finality.p99", "metric", "steady", false, "8.4s", "<= 6s", "p99 8.4s > 6s; worst tx at height 21", 2, 35);
  e("evidence_committed", "check", "always", true, "0", "", "", 1, 36);
}

void add_blocks_and_series(sim::RunResult& run, Noise& noise) {
  std::int64_t t = 0;
  for (std::uint64_t h = 1; h <= 60; ++h) {
    t += kBlockTimeUs + static_cast<std::int64_t>(noise.unit() * 300'000.0);
    if (t > kFaultStartUs && t < kFaultEndUs) t = kFaultEndUs + 500'000;  // the partition stalls commits
    auto round = static_cast<std::uint32_t>(t == kFaultEndUs + 500'000 ? 3 : (noise.unit() < 0.1 ? 1 : 0));
    run.blocks.push_back(sim::BlockRecord{h, t, static_cast<std::uint64_t>(t / 1000), round,
                                          static_cast<std::uint32_t>(80 + noise.next() % 40),
                                          hex64(noise.next()) + hex64(h), "core[" + std::to_string(h % kNodes) + "]"});
  }
  run.simulated_us = t + 1'000'000;
  for (std::int64_t s = 0; s * 1'000'000 < run.simulated_us; ++s) {
    std::int64_t bucket = s * 1'000'000;
    bool stalled = bucket >= kFaultStartUs && bucket < kFaultEndUs;
    double offered = 60.0 + noise.unit() * 4.0 - 2.0;
    double finalized = stalled ? 0.0 : offered * (0.9 + noise.unit() * 0.1);
    std::uint64_t height = 0;
    for (const auto& b : run.blocks) {
      if (b.commit_time_us < bucket + 1'000'000) height = b.height;
    }
    run.series.push_back(sim::SeriesPoint{bucket, offered, stalled ? 0.0 : offered * 0.97, finalized, height});
    sim::NodeHeightPoint nodes{bucket, {}};
    for (std::size_t n = 0; n < kNodes; ++n) {
      bool behind = n == 2 && bucket > 30'000'000;  // one node lags behind after 30 s
      nodes.heights.push_back(behind && height > 3 ? height - 3 : height);
    }
    run.node_heights.push_back(nodes);
  }
}

void add_metrics(sim::RunResult& run, Noise& noise) {
  auto& m = run.metrics;
  m.tps_offered_mean = 60.0;
  m.tps_included_mean = 52.5 + noise.unit();
  m.tps_finalized_mean = 41.7 + noise.unit();
  m.steady_from_us = 10'000'000;
  m.steady_until_us = run.simulated_us;
  for (int i = 0; i < 400; ++i) {
    double base = 2000.0 + noise.unit() * 2500.0;
    m.finality_latency_samples_ms.push_back(i % 25 == 0 ? base + 6000.0 : base);
  }
  std::sort(m.finality_latency_samples_ms.begin(), m.finality_latency_samples_ms.end());
  const auto& s = m.finality_latency_samples_ms;
  m.finality_latency_ms = sim::Percentiles{s[199], s[359], s[395], s.back(), 3100.25, s.size()};
  m.block_interval_ms = sim::Percentiles{2150.0, 2280.0, 17500.0, 17500.0, 2400.5, 59};
  m.rounds_per_height = sim::Percentiles{1.0, 1.0, 4.0, 4.0, 1.12, 60};
  m.final_height = 60;
  m.txs_submitted = 7800;
  m.txs_finalized = 6100 + noise.next() % 100;
  m.txs_pending_at_end = 120;
  m.txs_rejected = 3;
  m.evidence_committed = 1;
  m.cpu_busy_max = 0.625;
  m.cpu_busy_max_node = "validator[2]";
  m.link_utilisation_max = 0.25;
  m.link_utilisation_max_name = "validator[1] uplink";
  m.mempool_peak = 812;
  m.mempool_peak_node = "validator[0]";
  m.blocks_full_fraction = 0.125;
  m.slashes_double_sign = 0;
  m.slashes_downtime = 1;
  m.longest_stall_us = 16'500'000;
  m.messages_by_kind["block_part"] = {420, 400, 20, 0, 52'000'000};
  m.messages_by_kind["precommit"] = {2520, 2400, 110, 10, 403'200};
  m.messages_by_kind["prevote"] = {2520, 2410, 100, 10, 403'200};
  m.messages_by_kind["proposal"] = {70, 66, 4, 0, 22'400};
  m.messages_by_kind["tx"] = {48'000, 47'000, 1000, 0, 9'600'000};
}

}  // namespace

sim::RunResult make_sample_run(std::uint64_t seed) {
  Noise noise{seed};
  sim::RunResult run;
  run.scenario_name = "partition-heal";
  run.scenario_file = "scenarios/partition-heal.yaml";
  run.scenario_hash = "b2b-" + hex64(0x5ce7a110ULL);
  run.seed = seed;
  run.validators = kNodes;
  for (std::size_t n = 0; n < kNodes; ++n) run.node_names.push_back("core[" + std::to_string(n) + "]");
  add_blocks_and_series(run, noise);
  add_metrics(run, noise);
  add_expectations(run);
  run.digest = hex64(noise.next() ^ seed);
  run.exit_code = 2;
  run.faults.push_back(sim::FaultWindow{"split", "partition", "{core[0..3]} | {core[4..6]}", kFaultStartUs,
                                        kFaultEndUs});
  run.faults.push_back(sim::FaultWindow{"nemesis-2", "pause", "core[2]", run.simulated_us - 4'000'000, -1});
  run.reproduce_command = "mtsim run scenarios/partition-heal.yaml --seed " + std::to_string(seed);
  run.speed = sim::HarnessSpeed{1.25, 97.6, 2.4e6, 3'000'000, 48ULL * 1024 * 1024};
  run.provenance = sim::Provenance{"0.1.0", "e5ea80f", "Release", "ci-runner-3", "2026-11-25T20:00:00Z",
                                   "mtsim run scenarios/partition-heal.yaml --seed " + std::to_string(seed)};
  return run;
}

sim::RunResult make_passing_run(std::uint64_t seed) {
  sim::RunResult run = make_sample_run(seed);
  run.scenario_name = "quickstart";
  run.scenario_file = "scenarios/quickstart.yaml";
  run.faults.clear();
  for (auto& e : run.expectations) {
    e.passed = true;
    e.detail.clear();
    e.source_file = run.scenario_file;
  }
  run.exit_code = 0;
  run.reproduce_command = "mtsim run scenarios/quickstart.yaml --seed " + std::to_string(seed);
  return run;
}

}  // namespace mt::reports::testing
