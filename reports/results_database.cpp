#include "reports/results_database.hpp"

#include <algorithm>

#include "reports/results_connection.hpp"
#include "reports/results_schema.hpp"
#include "reports/run_facts.hpp"

namespace mt::reports {
namespace {

Status insert_run_row(SqliteConnection& db, const sim::RunResult& r) {
  auto stmt = db.prepare(
      "INSERT INTO runs (run_key, scenario_name, scenario_file, scenario_hash, seed, simulated_us, validators, "
      "digest, exit_code, verdict, reproduce_command, tps_finalized_mean, tps_included_mean, tps_offered_mean, "
      "steady_from_us, steady_until_us, final_height, txs_submitted, txs_finalized, txs_pending_at_end, "
      "txs_rejected, evidence_committed, slashes_double_sign, slashes_downtime, longest_stall_us, mtsim_version, "
      "git_commit, build_type, host, started_at_utc, command_line, wall_seconds, sim_seconds_per_wall_second, "
      "events_per_second, events, peak_rss_bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
      "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, "
      "?34, ?35, ?36)");
  if (!stmt.ok()) return stmt.error();
  const auto& m = r.metrics;
  const auto& p = r.provenance;
  return stmt.value().run(run_key(r), r.scenario_name, r.scenario_file, r.scenario_hash, r.seed, r.simulated_us,
                          static_cast<std::uint64_t>(r.validators), r.digest, r.exit_code, verdict_word(r),
                          r.reproduce_command, m.tps_finalized_mean, m.tps_included_mean, m.tps_offered_mean,
                          m.steady_from_us, m.steady_until_us, m.final_height, m.txs_submitted, m.txs_finalized,
                          m.txs_pending_at_end, m.txs_rejected, m.evidence_committed, m.slashes_double_sign,
                          m.slashes_downtime, m.longest_stall_us, p.mtsim_version, p.git_commit, p.build_type,
                          p.host, p.started_at_utc, p.command_line, r.speed.wall_seconds,
                          r.speed.sim_seconds_per_wall_second, r.speed.events_per_second, r.speed.events,
                          r.speed.peak_rss_bytes);
}

Status insert_expectations_and_percentiles(SqliteConnection& db, std::int64_t id, const sim::RunResult& r) {
  auto e_stmt = db.prepare("INSERT INTO expectations VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  if (!e_stmt.ok()) return e_stmt.error();
  std::int64_t ordinal = 0;
  for (const auto& e : r.expectations) {
    MT_REPORTS_TRY(e_stmt.value().run(id, ordinal++, e.name, e.kind, e.window, e.passed, e.measured, e.threshold, e.detail,
                              e.exit_class, e.source_file, e.source_line));
  }
  auto p_stmt = db.prepare("INSERT INTO percentiles VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!p_stmt.ok()) return p_stmt.error();
  auto put = [&](const char* metric, const sim::Percentiles& q) {
    return p_stmt.value().run(id, metric, q.p50, q.p90, q.p99, q.max, q.mean, q.count);
  };
  MT_REPORTS_TRY(put("finality_latency_ms", r.metrics.finality_latency_ms));
  MT_REPORTS_TRY(put("block_interval_ms", r.metrics.block_interval_ms));
  MT_REPORTS_TRY(put("rounds_per_height", r.metrics.rounds_per_height));
  auto s_stmt = db.prepare("INSERT INTO latency_samples VALUES (?1, ?2, ?3)");
  if (!s_stmt.ok()) return s_stmt.error();
  ordinal = 0;
  for (double v : r.metrics.finality_latency_samples_ms) MT_REPORTS_TRY(s_stmt.value().run(id, ordinal++, v));
  return {};
}

Status insert_timeline(SqliteConnection& db, std::int64_t id, const sim::RunResult& r) {
  auto b_stmt = db.prepare("INSERT INTO blocks VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!b_stmt.ok()) return b_stmt.error();
  for (const auto& b : r.blocks) {
    MT_REPORTS_TRY(b_stmt.value().run(id, b.height, b.commit_time_us, b.timestamp_ms, b.round, b.tx_count, b.hash,
                              b.proposer));
  }
  auto s_stmt = db.prepare("INSERT INTO series VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!s_stmt.ok()) return s_stmt.error();
  for (const auto& s : r.series) {
    MT_REPORTS_TRY(s_stmt.value().run(id, s.t_us, s.offered_tps, s.included_tps, s.finalized_tps, s.height));
  }
  auto n_stmt = db.prepare("INSERT INTO nodes VALUES (?1, ?2, ?3)");
  if (!n_stmt.ok()) return n_stmt.error();
  for (std::size_t i = 0; i < r.node_names.size(); ++i) {
    MT_REPORTS_TRY(n_stmt.value().run(id, static_cast<std::uint64_t>(i), r.node_names[i]));
  }
  auto h_stmt = db.prepare("INSERT INTO node_heights VALUES (?1, ?2, ?3, ?4)");
  if (!h_stmt.ok()) return h_stmt.error();
  for (const auto& point : r.node_heights) {
    for (std::size_t i = 0; i < point.heights.size(); ++i) {
      MT_REPORTS_TRY(h_stmt.value().run(id, point.t_us, static_cast<std::uint64_t>(i), point.heights[i]));
    }
  }
  return {};
}

// The cost model's resource metrics, each with the resource it names (report.json "resources").
Status insert_resources(SqliteConnection& db, std::int64_t id, const sim::RunMetrics& m) {
  auto stmt = db.prepare("INSERT INTO resources VALUES (?1, ?2, ?3, ?4)");
  if (!stmt.ok()) return stmt.error();
  MT_REPORTS_TRY(stmt.value().run(id, "cpu_busy_max", m.cpu_busy_max, m.cpu_busy_max_node));
  MT_REPORTS_TRY(stmt.value().run(id, "link_utilisation_max", m.link_utilisation_max, m.link_utilisation_max_name));
  MT_REPORTS_TRY(stmt.value().run(id, "mempool_peak", static_cast<double>(m.mempool_peak), m.mempool_peak_node));
  return stmt.value().run(id, "blocks_full_fraction", m.blocks_full_fraction, std::string());
}

Status insert_faults_and_messages(SqliteConnection& db, std::int64_t id, const sim::RunResult& r) {
  auto f_stmt = db.prepare("INSERT INTO faults VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!f_stmt.ok()) return f_stmt.error();
  std::int64_t ordinal = 0;
  for (const auto& f : r.faults) MT_REPORTS_TRY(f_stmt.value().run(id, ordinal++, f.id, f.kind, f.targets, f.start_us, f.end_us));
  auto m_stmt = db.prepare("INSERT INTO messages VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!m_stmt.ok()) return m_stmt.error();
  for (const auto& [kind, s] : r.metrics.messages_by_kind) {
    MT_REPORTS_TRY(m_stmt.value().run(id, kind, s.sent, s.delivered, s.dropped, s.duplicated, s.bytes));
  }
  return insert_resources(db, id, r.metrics);
}

Result<AppendOutcome> insert_run(SqliteConnection& db, const sim::RunResult& run) {
  auto existing = db.prepare("SELECT run_id FROM runs WHERE run_key = ?1");
  if (!existing.ok()) return existing.error();
  existing.value().start(run_key(run));
  if (existing.value().step()) return AppendOutcome{existing.value().i64(0), false};
  MT_REPORTS_TRY(existing.value().status());
  MT_REPORTS_TRY(insert_run_row(db, run));
  std::int64_t id = db.last_insert_rowid();
  MT_REPORTS_TRY(insert_expectations_and_percentiles(db, id, run));
  MT_REPORTS_TRY(insert_timeline(db, id, run));
  MT_REPORTS_TRY(insert_faults_and_messages(db, id, run));
  return AppendOutcome{id, true};
}

}  // namespace

Result<AppendOutcome> append_run_to(SqliteConnection& db, const sim::RunResult& run) {
  MT_REPORTS_TRY(db.exec("BEGIN IMMEDIATE"));
  auto outcome = insert_run(db, run);
  if (!outcome.ok()) {
    (void)db.exec("ROLLBACK");  // the run's rows vanish together; earlier runs are untouched
    return outcome.error();
  }
  auto commit = db.exec("COMMIT");
  if (!commit.ok()) {
    (void)db.exec("ROLLBACK");
    return commit.error();
  }
  return outcome;
}

Result<AppendOutcome> append_run(const std::filesystem::path& db_path, const sim::RunResult& run) {
  auto db = open_results_database(db_path, /*create=*/true);
  if (!db.ok()) return db.error();
  return append_run_to(db.value(), run);
}

Status merge_databases(const std::filesystem::path& out, const std::vector<std::filesystem::path>& inputs) {
  std::vector<sim::RunResult> runs;
  for (const auto& input : inputs) {
    auto loaded = load_runs(input);
    if (!loaded.ok()) return loaded.error();
    for (auto& run : loaded.value()) runs.push_back(std::move(run));
  }
  std::stable_sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) {
    if (a.scenario_name != b.scenario_name) return a.scenario_name < b.scenario_name;
    if (a.seed != b.seed) return a.seed < b.seed;
    return run_key(a) < run_key(b);
  });
  auto db = open_results_database(out, /*create=*/true);
  if (!db.ok()) return db.error();
  for (const auto& run : runs) {
    auto outcome = append_run_to(db.value(), run);
    if (!outcome.ok()) return make_error(out.string() + ": " + outcome.error().message);
  }
  return {};
}

}  // namespace mt::reports
