#include "sim/scenario/metric_registry.hpp"

#include "sim/scenario/registry_lookup.hpp"

namespace mt::sim {

const std::vector<MetricSpec>& metric_registry() {
  static const std::vector<MetricSpec> registry{
      {"tps.finalized.mean", "tx/s", "transactions finalized per second over the window"},
      {"tps.included.mean", "tx/s", "transactions included in proposed blocks per second"},
      {"tps.offered.mean", "tx/s", "transactions the load generator submitted per second"},
      {"finality_latency.p50", "ms", "median time from intended submit to first honest commit"},
      {"finality_latency.p90", "ms", "90th percentile of finality latency"},
      {"finality_latency.p99", "ms", "99th percentile of finality latency"},
      {"finality_latency.max", "ms", "largest finality latency"},
      {"finality_latency.mean", "ms", "mean finality latency"},
      {"block_interval.p50", "ms", "median time between consecutive finalized heights"},
      {"block_interval.p90", "ms", "90th percentile of the block interval"},
      {"block_interval.p99", "ms", "99th percentile of the block interval"},
      {"block_interval.max", "ms", "largest block interval"},
      {"block_interval.mean", "ms", "mean block interval"},
      {"rounds_per_height.mean", "", "mean consensus rounds a height took (1 = first round)"},
      {"rounds_per_height.max", "", "most rounds any height took"},
      {"final_height", "", "highest finalized height"},
      {"txs.finalized", "", "transactions finalized"},
      {"txs.pending_at_end", "", "transactions submitted but not finalized by the end"},
      {"txs.rejected", "", "submissions no node admitted"},
      {"longest_stall", "ms", "longest gap between finalized heights in the window"},
      {"evidence.committed", "", "double-sign evidence committed"},
      {"slashes.double_sign", "", "validators slashed for double signing"},
      {"slashes.downtime", "", "validators slashed for downtime"},
      {"cpu.busy_max", "", "busy fraction (0..1) of the busiest node's CPU over the window"},
      {"link.utilisation_max", "", "utilisation (0..1) of the busiest bandwidth-limited link, uplink or downlink"},
      {"mempool.peak", "", "largest mempool size (txs) any node reached in the window"},
      {"blocks.full_fraction", "", "fraction of finalized blocks at the block tx-count or byte limit"},
      {"subnet.rank_correlation", "", "lowest over subnets: Spearman between true quality and incentive", true},
      {"subnet.gini", "", "highest Gini coefficient of neurons' total emission", true},
      {"subnet.top_incentive_share", "", "largest incentive share of one neuron", true},
      {"subnet.favoured_incentive_share", "", "incentive share of the colluders' miner", true},
      {"subnet.epochs", "", "fewest epoch steps of any subnet", true},
      {"subnet.emitted", "", "total emission", true},
      {"capacity.saturation_tps", "tx/s", "highest offered rate that keeps up (needs `mtsim capacity`)", false, true},
  };
  return registry;
}

const MetricSpec* find_metric(std::string_view path) { return find_named(metric_registry(), &MetricSpec::path, path); }

std::vector<std::string> metric_paths() { return names_of(metric_registry(), &MetricSpec::path); }

}  // namespace mt::sim
