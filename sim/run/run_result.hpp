// What one finished run hands to reports/: plain data, filled by either runtime (the simulator's
// runner, the testnet harness) from the collectors.
// Deterministic content (everything a replay reproduces) is kept apart from Provenance (wall
// time, host, build), so two runs of one scenario and seed compare equal on `deterministic()`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "sim/inspect/consensus_tracks.hpp"
#include "sim/run/exit_codes.hpp"
#include "sim/run/run_view.hpp"

namespace mt::sim {

// One expectation from the scenario's `expect:` list, evaluated.
struct ExpectationResult {
  std::string name;          // e.g. "no_conflicting_finality" or "tps.finalized.mean"
  std::string kind;          // "check" or "metric"
  std::string window;        // "always", "steady", "during:split", "after:split", "[10s, 60s]"
  bool passed = false;
  std::string measured;      // human-readable measured value ("57.3 tx/s", "1 conflict")
  std::string threshold;     // human-readable bound (">= 50 tx/s", "<= 6s"); empty for checks
  std::string detail;        // on failure: nodes, heights, blocks and time involved
  int exit_class = kExitOk;  // kExitSafety or kExitLiveness (kExitInternal: could not evaluate)
  std::string source_file;   // scenario file and line of the expectation (for JUnit)
  int source_line = 0;
};

// One finalized height as seen by the first honest node to commit it.
struct BlockRecord {
  std::uint64_t height = 0;
  std::int64_t commit_time_us = 0;   // simulated time of the first honest commit
  std::uint64_t timestamp_ms = 0;    // header timestamp
  std::uint32_t round = 0;
  std::uint32_t tx_count = 0;
  std::string hash;                  // hex
  std::string proposer;              // validator name, e.g. "core[3]"
};

// Per-second (or report.resolution) time series.
struct SeriesPoint {
  std::int64_t t_us = 0;             // start of the bucket, simulated
  double offered_tps = 0;            // load generator arrivals
  double included_tps = 0;           // txs in blocks proposed in this bucket
  double finalized_tps = 0;          // txs finalized in this bucket
  std::uint64_t height = 0;          // max finalized height at the end of the bucket
};

struct NodeHeightPoint {             // height per node over time (sampled)
  std::int64_t t_us = 0;
  std::vector<std::uint64_t> heights;  // index = node
};

struct MessageStats {
  std::uint64_t sent = 0;
  std::uint64_t delivered = 0;
  std::uint64_t dropped = 0;
  std::uint64_t duplicated = 0;
  std::uint64_t bytes = 0;
};

struct Percentiles {
  double p50 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;
  std::uint64_t count = 0;
};

struct RunMetrics {
  // Throughput over the steady window.
  double tps_finalized_mean = 0;
  double tps_included_mean = 0;
  double tps_offered_mean = 0;
  std::int64_t steady_from_us = 0, steady_until_us = 0;
  // Finality latency in milliseconds, from intended submit time to first honest commit.
  Percentiles finality_latency_ms;
  std::vector<double> finality_latency_samples_ms;  // sorted; may be down-sampled for big runs
  Percentiles block_interval_ms;
  Percentiles rounds_per_height;
  std::uint64_t final_height = 0;
  std::uint64_t txs_submitted = 0, txs_finalized = 0, txs_pending_at_end = 0, txs_rejected = 0;
  std::uint64_t evidence_committed = 0, slashes_double_sign = 0, slashes_downtime = 0;
  std::int64_t longest_stall_us = 0;
  // Resources over the steady window (the cost model, docs/cost-model.md), each naming its resource.
  double cpu_busy_max = 0;              // busy fraction of the busiest node's CPU
  std::string cpu_busy_max_node;
  double link_utilisation_max = 0;      // busiest bandwidth-limited link, uplink or downlink
  std::string link_utilisation_max_name;
  std::uint64_t mempool_peak = 0;       // largest mempool (txs) any node reached
  std::string mempool_peak_node;
  double blocks_full_fraction = 0;      // finalized blocks at the tx-count or byte limit
  std::map<std::string, MessageStats> messages_by_kind;  // ordered: stable output
  // Bytes per node per simulated second, sent and received: the mean over nodes and the busiest.
  double bytes_sent_per_node_s_mean = 0, bytes_sent_per_node_s_max = 0;
  double bytes_received_per_node_s_mean = 0, bytes_received_per_node_s_max = 0;
  // By gossiped kind (vote, tx, proposal, evidence): copies a node received per unique message
  // it took in, over the nodes alive at the end (the amplification gossip is tuned by).
  std::map<std::string, double> gossip_copies_per_message;
  // The AI layer at the end of the run (subnet.* names, sim/metrics/subnet_metrics.hpp); empty
  // without subnets.
  std::map<std::string, double> subnet;
};

struct HarnessSpeed {                 // the harness's own speed (provenance: varies with the host)
  double wall_seconds = 0;
  double sim_seconds_per_wall_second = 0;
  double events_per_second = 0;
  std::uint64_t events = 0;
  std::uint64_t peak_rss_bytes = 0;
};

struct Provenance {
  std::string mtsim_version;
  std::string git_commit;
  std::string build_type;
  std::string host;
  std::string started_at_utc;
  std::string command_line;
};

struct RunResult {
  // Deterministic part.
  std::string scenario_name;
  std::string scenario_file;
  std::string scenario_hash;         // BLAKE2b of the resolved scenario
  std::uint64_t seed = 0;
  std::int64_t simulated_us = 0;
  std::size_t validators = 0;
  std::string digest;                // rolling XXH3 digest of the run (hex)
  int exit_code = kExitOk;           // exit_code_of(expectations), DESIGN.md §6
  std::vector<ExpectationResult> expectations;
  RunMetrics metrics;
  std::vector<BlockRecord> blocks;
  std::vector<SeriesPoint> series;
  std::vector<NodeHeightPoint> node_heights;
  std::vector<std::string> node_names;
  std::vector<FaultWindow> faults;
  std::string reproduce_command;     // one copy-paste command that replays this run
  // Per-node consensus tracks (timeline.json, the report's swimlane), when the run recorded them
  // (RunSettings::record_consensus); shared, so copying a result stays cheap.
  std::shared_ptr<const ConsensusTracks> consensus;
  // Provenance: not reproduced by a replay.
  HarnessSpeed speed;
  Provenance provenance;
};

// The process exit code of a run's expectations: safety dominates, then internal errors, then
// missed liveness or performance; kExitOk when every one passed.
int exit_code_of(const std::vector<ExpectationResult>& results);

}  // namespace mt::sim
