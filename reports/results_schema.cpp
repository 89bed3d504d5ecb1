#include "reports/results_schema.hpp"

namespace mt::reports {

// Child tables key on (run_id, natural key) and cascade from runs, so deleting a run removes
// all of it. run_key (scenario hash : seed : digest) is the identity across databases; run_id is
// a local surrogate that differs between shards and is never compared.
const char* results_schema_sql() {
  return R"sql(
CREATE TABLE IF NOT EXISTS runs (
  run_id INTEGER PRIMARY KEY,
  run_key TEXT NOT NULL UNIQUE,
  scenario_name TEXT NOT NULL, scenario_file TEXT NOT NULL, scenario_hash TEXT NOT NULL,
  seed INTEGER NOT NULL, simulated_us INTEGER NOT NULL, validators INTEGER NOT NULL,
  digest TEXT NOT NULL, exit_code INTEGER NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'fail')),
  reproduce_command TEXT NOT NULL,
  tps_finalized_mean REAL, tps_included_mean REAL, tps_offered_mean REAL,
  steady_from_us INTEGER NOT NULL, steady_until_us INTEGER NOT NULL, final_height INTEGER NOT NULL,
  txs_submitted INTEGER NOT NULL, txs_finalized INTEGER NOT NULL, txs_pending_at_end INTEGER NOT NULL,
  txs_rejected INTEGER NOT NULL, evidence_committed INTEGER NOT NULL,
  slashes_double_sign INTEGER NOT NULL, slashes_downtime INTEGER NOT NULL, longest_stall_us INTEGER NOT NULL,
  mtsim_version TEXT NOT NULL, git_commit TEXT NOT NULL, build_type TEXT NOT NULL, host TEXT NOT NULL,
  started_at_utc TEXT NOT NULL, command_line TEXT NOT NULL,
  wall_seconds REAL, sim_seconds_per_wall_second REAL, events_per_second REAL,
  events INTEGER NOT NULL, peak_rss_bytes INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_scenario_seed ON runs (scenario_name, seed);
CREATE TABLE IF NOT EXISTS expectations (
  run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, time_window TEXT NOT NULL,
  passed INTEGER NOT NULL CHECK (passed IN (0, 1)), measured TEXT NOT NULL, threshold TEXT NOT NULL,
  detail TEXT NOT NULL, exit_class INTEGER NOT NULL, source_file TEXT NOT NULL, source_line INTEGER NOT NULL,
  PRIMARY KEY (run_id, ordinal)
);
CREATE TABLE IF NOT EXISTS percentiles (
  run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  metric TEXT NOT NULL, p50 REAL, p90 REAL, p99 REAL, max REAL, mean REAL, count INTEGER NOT NULL,
  PRIMARY KEY (run_id, metric)
);
CREATE TABLE IF NOT EXISTS latency_samples (
  run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL, latency_ms REAL,
  PRIMARY KEY (run_id, ordinal)
);
CREATE TABLE IF NOT EXISTS blocks (
  run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  height INTEGER NOT NULL, commit_time_us INTEGER NOT NULL, timestamp_ms INTEGER NOT NULL,
  round INTEGER NOT NULL, tx_count INTEGER NOT NULL, hash TEXT NOT NULL, proposer TEXT NOT NULL,
  PRIMARY KEY (run_id, height)
);
CREATE TABLE IF NOT EXISTS series (
  run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  t_us INTEGER NOT NULL, offered_tps REAL, included_tps REAL, finalized_tps REAL, height INTEGER NOT NULL,
  PRIMARY KEY (run_id, t_us)
);
CREATE TABLE IF NOT EXISTS nodes (
  run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  node_index INTEGER NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY (run_id, node_index)
);
CREATE TABLE IF NOT EXISTS node_heights (
  run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  t_us INTEGER NOT NULL, node_index INTEGER NOT NULL, height INTEGER NOT NULL,
  PRIMARY KEY (run_id, t_us, node_index)
);
CREATE TABLE IF NOT EXISTS faults (
  run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL, fault_id TEXT NOT NULL, kind TEXT NOT NULL, targets TEXT NOT NULL,
  start_us INTEGER NOT NULL, end_us INTEGER NOT NULL,
  PRIMARY KEY (run_id, ordinal)
);
CREATE TABLE IF NOT EXISTS messages (
  run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  kind TEXT NOT NULL, sent INTEGER NOT NULL, delivered INTEGER NOT NULL, dropped INTEGER NOT NULL,
  duplicated INTEGER NOT NULL, bytes INTEGER NOT NULL,
  PRIMARY KEY (run_id, kind)
);
CREATE TABLE IF NOT EXISTS resources (
  run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  metric TEXT NOT NULL, value REAL, resource TEXT NOT NULL,
  PRIMARY KEY (run_id, metric)
);
CREATE VIEW IF NOT EXISTS v_run_summary AS
  SELECT r.run_id, r.scenario_name, r.seed, r.verdict, r.exit_code,
         r.tps_finalized_mean AS tps_finalized, r.tps_included_mean AS tps_included,
         r.tps_offered_mean AS tps_offered, f.p50 AS finality_p50_ms, f.p99 AS finality_p99_ms,
         f.max AS finality_max_ms, r.final_height, r.longest_stall_us,
         (SELECT count(*) FROM expectations e WHERE e.run_id = r.run_id AND e.passed = 0) AS failed_expectations,
         r.digest, r.git_commit, r.reproduce_command
  FROM runs r LEFT JOIN percentiles f ON f.run_id = r.run_id AND f.metric = 'finality_latency_ms';
CREATE VIEW IF NOT EXISTS v_failures AS
  SELECT r.run_id, r.scenario_name, r.seed, e.name AS expectation, e.time_window, e.measured, e.threshold,
         e.detail, e.exit_class, e.source_file, e.source_line, r.reproduce_command
  FROM expectations e JOIN runs r ON r.run_id = e.run_id WHERE e.passed = 0;
CREATE VIEW IF NOT EXISTS v_scenario_summary AS
  SELECT r.scenario_name, count(*) AS runs, sum(r.verdict = 'pass') AS passed, sum(r.verdict = 'fail') AS failed,
         min(r.tps_finalized_mean) AS tps_finalized_min, avg(r.tps_finalized_mean) AS tps_finalized_avg,
         max(f.p99) AS finality_p99_worst_ms, max(r.longest_stall_us) AS longest_stall_worst_us
  FROM runs r LEFT JOIN percentiles f ON f.run_id = r.run_id AND f.metric = 'finality_latency_ms'
  GROUP BY r.scenario_name;
CREATE VIEW IF NOT EXISTS v_expectation_pass_rate AS
  SELECT r.scenario_name, e.name AS expectation, count(*) AS runs, sum(e.passed) AS passed,
         round(100.0 * sum(e.passed) / count(*), 1) AS pass_percent
  FROM expectations e JOIN runs r ON r.run_id = e.run_id GROUP BY r.scenario_name, e.name;
CREATE VIEW IF NOT EXISTS v_message_totals AS
  SELECT m.run_id, r.scenario_name, r.seed, sum(m.sent) AS sent, sum(m.delivered) AS delivered,
         sum(m.dropped) AS dropped, sum(m.bytes) AS bytes
  FROM messages m JOIN runs r ON r.run_id = m.run_id GROUP BY m.run_id;
)sql";
}

}  // namespace mt::reports
