// Turns node events and load submissions into the run's metrics (STYLE.md 8: observers, not
// prints). Finality is measured at the first honest node to commit a height, from each
// transaction's *intended* submit time (open-loop load: a slow chain cannot hide queueing).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/node/events.hpp"
#include "sim/metrics/interval_set.hpp"
#include "sim/metrics/resource_metrics.hpp"
#include "sim/run/run_result.hpp"
#include "sim/run/run_view.hpp"

namespace mt::sim {

class MetricsCollector {
 public:
  MetricsCollector(const RunView& view, TimeUs bucket_us);

  void on_submitted(const Hash32& tx_hash, TimeUs intended_us);
  void on_rejected_submission() { ++rejected_; }
  void on_event(std::size_t node, TimeUs t, const Event& e);

  // A metric by path over a window: every path of sim/scenario/metric_registry.hpp (tested), in
  // its unit. nullopt: unknown path or no data.
  [[nodiscard]] std::optional<double> metric(const std::string& name, const IntervalSet& window) const;

  // End-of-run values computed elsewhere (the AI layer's subnet.* metrics, subnet_metrics.hpp):
  // metric() answers them whatever the window, fill() copies them to RunMetrics::subnet.
  void set_state_metrics(std::map<std::string, double> values) { state_metrics_ = std::move(values); }

  // The world's CPU, network and mempool meters (cpu.busy_max, link.utilisation_max, mempool.peak)
  // and the block limits a block is full at (blocks.full_fraction). Without them those metrics are 0.
  void set_resources(ResourceMeters meters) { resources_ = meters; }
  void set_block_limits(std::size_t max_txs, std::size_t max_bytes) {
    max_block_txs_ = max_txs;
    max_block_bytes_ = max_bytes;
  }

  // Fills metrics, blocks and series of a result; `steady` is the window steady metrics use.
  void fill(RunResult& out, const IntervalSet& steady, TimeUs end_us) const;

  [[nodiscard]] std::uint64_t max_height() const { return blocks_.empty() ? 0 : blocks_.rbegin()->first; }
  [[nodiscard]] std::uint64_t submitted() const { return submitted_count_; }
  [[nodiscard]] std::uint64_t finalized() const { return finalized_count_; }

 private:
  struct BlockSeen {
    TimeUs first_commit_us = 0;
    std::uint64_t timestamp_ms = 0;
    std::uint32_t round = 0;
    std::uint32_t tx_count = 0;
    bool full = false;  // at max_block_txs, or no room in max_block_bytes for its largest tx again
    Hash32 hash;
    Address proposer;
  };
  struct TxRecord {
    TimeUs intended_us = 0;
    TimeUs finalized_us = -1;
  };
  [[nodiscard]] double tps_over(const IntervalSet& w, int which) const;
  [[nodiscard]] std::vector<double> latencies_ms(const IntervalSet& w) const;
  [[nodiscard]] std::vector<double> intervals_ms(const IntervalSet& w) const;
  [[nodiscard]] bool is_full(const BlockCommitted& c) const;
  [[nodiscard]] std::optional<double> full_fraction(const IntervalSet& w) const;
  [[nodiscard]] std::optional<double> resource_metric(const std::string& name, const IntervalSet& w) const;
  void fill_resources(RunMetrics& m, const IntervalSet& steady) const;
  void fill_blocks(RunResult& out) const;                   // one record per finalized height
  void fill_series(RunResult& out, TimeUs end_us) const;  // one point per bucket

  const RunView& view_;
  TimeUs bucket_us_;
  std::map<std::uint64_t, BlockSeen> blocks_;                 // height -> first honest commit
  std::unordered_map<Hash32, TxRecord, FixedBytesHasher> txs_;  // lookup only, never iterated for output
  std::vector<TimeUs> submit_times_;                          // in submission order
  std::vector<std::pair<TimeUs, TimeUs>> finalized_;          // (intended, finalized), in finalization order
  std::map<std::pair<Address, std::uint64_t>, bool> slashes_; // (validator, height) -> double sign
  std::map<Hash32, bool> evidence_seen_;
  std::uint64_t submitted_count_ = 0;
  std::uint64_t finalized_count_ = 0;
  std::uint64_t rejected_ = 0;
  std::uint64_t evidence_committed_ = 0;
  std::map<std::string, double> state_metrics_;
  ResourceMeters resources_;
  std::size_t max_block_txs_ = 0;    // 0: no block counts as full
  std::size_t max_block_bytes_ = 0;
};

Percentiles percentiles_of(std::vector<double> samples);

}  // namespace mt::sim
