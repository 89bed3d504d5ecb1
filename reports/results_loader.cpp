// Reading results.sqlite back: load_runs (RunResults for regenerating reports) and
// canonical_content (an order-independent dump for comparing databases).
#include <algorithm>

#include "reports/results_connection.hpp"
#include "reports/text_format.hpp"

namespace mt::reports {
namespace {

void read_run_row(const SqliteStatement& s, sim::RunResult& r) {
  int c = 1;  // column 0 is run_id
  r.scenario_name = s.text(c++);
  r.scenario_file = s.text(c++);
  r.scenario_hash = s.text(c++);
  r.seed = s.u64(c++);
  r.simulated_us = s.i64(c++);
  r.validators = static_cast<std::size_t>(s.u64(c++));
  r.digest = s.text(c++);
  r.exit_code = static_cast<int>(s.i64(c++));
  r.reproduce_command = s.text(c++);
  auto& m = r.metrics;
  m.tps_finalized_mean = s.f64(c++);
  m.tps_included_mean = s.f64(c++);
  m.tps_offered_mean = s.f64(c++);
  m.steady_from_us = s.i64(c++);
  m.steady_until_us = s.i64(c++);
  m.final_height = s.u64(c++);
  m.txs_submitted = s.u64(c++);
  m.txs_finalized = s.u64(c++);
  m.txs_pending_at_end = s.u64(c++);
  m.txs_rejected = s.u64(c++);
  m.evidence_committed = s.u64(c++);
  m.slashes_double_sign = s.u64(c++);
  m.slashes_downtime = s.u64(c++);
  m.longest_stall_us = s.i64(c++);
  auto& p = r.provenance;
  p.mtsim_version = s.text(c++);
  p.git_commit = s.text(c++);
  p.build_type = s.text(c++);
  p.host = s.text(c++);
  p.started_at_utc = s.text(c++);
  p.command_line = s.text(c++);
  r.speed.wall_seconds = s.f64(c++);
  r.speed.sim_seconds_per_wall_second = s.f64(c++);
  r.speed.events_per_second = s.f64(c++);
  r.speed.events = s.u64(c++);
  r.speed.peak_rss_bytes = s.u64(c++);
}

// Runs `sql` (one ?1 = run_id parameter) and hands each row to `row`.
template <class Row>
Status for_each_row(SqliteConnection& db, const std::string& sql, std::int64_t run_id, Row&& row) {
  auto stmt = db.prepare(sql);
  if (!stmt.ok()) return stmt.error();
  stmt.value().start(run_id);
  while (stmt.value().step()) row(stmt.value());
  return stmt.value().status();
}

// The cost model's resource metrics; a database written before them has no rows (zeros).
Status read_resources(SqliteConnection& db, std::int64_t id, sim::RunMetrics& m) {
  return for_each_row(db, "SELECT metric, value, resource FROM resources WHERE run_id = ?1", id,
                      [&](const SqliteStatement& s) {
                        const std::string metric = s.text(0);
                        const double value = s.f64(1);
                        if (metric == "cpu_busy_max") {
                          m.cpu_busy_max = value;
                          m.cpu_busy_max_node = s.text(2);
                        } else if (metric == "link_utilisation_max") {
                          m.link_utilisation_max = value;
                          m.link_utilisation_max_name = s.text(2);
                        } else if (metric == "mempool_peak") {
                          m.mempool_peak = static_cast<std::uint64_t>(value);
                          m.mempool_peak_node = s.text(2);
                        } else if (metric == "blocks_full_fraction") {
                          m.blocks_full_fraction = value;
                        }
                      });
}

Status read_children(SqliteConnection& db, std::int64_t id, sim::RunResult& r) {
  auto& m = r.metrics;
  MT_REPORTS_TRY(for_each_row(db, "SELECT * FROM expectations WHERE run_id = ?1 ORDER BY ordinal", id,
                              [&](const SqliteStatement& s) {
                                r.expectations.push_back(sim::ExpectationResult{
                                    s.text(2), s.text(3), s.text(4), s.i64(5) != 0, s.text(6), s.text(7),
                                    s.text(8), static_cast<int>(s.i64(9)), s.text(10), static_cast<int>(s.i64(11))});
                              }));
  MT_REPORTS_TRY(for_each_row(db, "SELECT * FROM percentiles WHERE run_id = ?1", id, [&](const SqliteStatement& s) {
    sim::Percentiles q{s.f64(2), s.f64(3), s.f64(4), s.f64(5), s.f64(6), s.u64(7)};
    auto metric = s.text(1);
    if (metric == "finality_latency_ms") m.finality_latency_ms = q;
    if (metric == "block_interval_ms") m.block_interval_ms = q;
    if (metric == "rounds_per_height") m.rounds_per_height = q;
  }));
  MT_REPORTS_TRY(for_each_row(db, "SELECT latency_ms FROM latency_samples WHERE run_id = ?1 ORDER BY ordinal", id,
                              [&](const SqliteStatement& s) { m.finality_latency_samples_ms.push_back(s.f64(0)); }));
  MT_REPORTS_TRY(for_each_row(db, "SELECT * FROM blocks WHERE run_id = ?1 ORDER BY height", id,
                              [&](const SqliteStatement& s) {
                                r.blocks.push_back(sim::BlockRecord{
                                    s.u64(1), s.i64(2), s.u64(3), static_cast<std::uint32_t>(s.i64(4)),
                                    static_cast<std::uint32_t>(s.i64(5)), s.text(6), s.text(7)});
                              }));
  MT_REPORTS_TRY(for_each_row(db, "SELECT * FROM series WHERE run_id = ?1 ORDER BY t_us", id,
                              [&](const SqliteStatement& s) {
                                r.series.push_back(sim::SeriesPoint{s.i64(1), s.f64(2), s.f64(3), s.f64(4), s.u64(5)});
                              }));
  MT_REPORTS_TRY(for_each_row(db, "SELECT name FROM nodes WHERE run_id = ?1 ORDER BY node_index", id,
                              [&](const SqliteStatement& s) { r.node_names.push_back(s.text(0)); }));
  MT_REPORTS_TRY(for_each_row(db, "SELECT t_us, height FROM node_heights WHERE run_id = ?1 ORDER BY t_us, node_index",
                              id, [&](const SqliteStatement& s) {
                                if (r.node_heights.empty() || r.node_heights.back().t_us != s.i64(0)) {
                                  r.node_heights.push_back(sim::NodeHeightPoint{s.i64(0), {}});
                                }
                                r.node_heights.back().heights.push_back(s.u64(1));
                              }));
  MT_REPORTS_TRY(for_each_row(db, "SELECT * FROM faults WHERE run_id = ?1 ORDER BY ordinal", id,
                              [&](const SqliteStatement& s) {
                                r.faults.push_back(sim::FaultWindow{s.text(2), s.text(3), s.text(4), s.i64(5), s.i64(6)});
                              }));
  MT_REPORTS_TRY(for_each_row(db, "SELECT * FROM messages WHERE run_id = ?1 ORDER BY kind", id, [&](const SqliteStatement& s) {
    m.messages_by_kind[s.text(1)] = sim::MessageStats{s.u64(2), s.u64(3), s.u64(4), s.u64(5), s.u64(6)};
  }));
  return read_resources(db, id, m);
}

// Appends every row of `sql` to `out` as tab-separated fields, with a type tag so 1 and "1" differ.
Status dump_rows(SqliteConnection& db, const std::string& sql, std::string& out) {
  auto stmt = db.prepare(sql);
  if (!stmt.ok()) return stmt.error();
  auto& s = stmt.value();
  s.start();
  while (s.step()) {
    for (int c = 0; c < s.columns(); ++c) {
      if (c > 0) out += '\t';
      switch (s.column_type(c)) {
        case SQLITE_NULL: out += "null"; break;
        case SQLITE_INTEGER: out += "i:" + std::to_string(s.i64(c)); break;
        case SQLITE_FLOAT: out += "f:" + format_shortest(s.f64(c)); break;
        default: out += "t:" + s.text(c);
      }
    }
    out += '\n';
  }
  return s.status();
}

// The column list of a table without run_id, for the canonical dump.
Result<std::vector<std::string>> columns_without_run_id(SqliteConnection& db, const std::string& table) {
  auto stmt = db.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid");
  if (!stmt.ok()) return stmt.error();
  std::vector<std::string> names;
  stmt.value().start(table);
  while (stmt.value().step()) {
    if (stmt.value().text(0) != "run_id") names.push_back(stmt.value().text(0));
  }
  MT_REPORTS_TRY(stmt.value().status());
  return names;
}

}  // namespace

Result<std::vector<sim::RunResult>> load_runs(const std::filesystem::path& db_path) {
  auto db = open_results_database(db_path, /*create=*/false);
  if (!db.ok()) return db.error();
  auto& conn = db.value();
  MT_REPORTS_TRY(conn.exec("BEGIN"));  // one consistent snapshot even while a sweep appends
  auto stmt = conn.prepare(
      "SELECT run_id, scenario_name, scenario_file, scenario_hash, seed, simulated_us, validators, digest, "
      "exit_code, reproduce_command, tps_finalized_mean, tps_included_mean, tps_offered_mean, steady_from_us, "
      "steady_until_us, final_height, txs_submitted, txs_finalized, txs_pending_at_end, txs_rejected, "
      "evidence_committed, slashes_double_sign, slashes_downtime, longest_stall_us, mtsim_version, git_commit, "
      "build_type, host, started_at_utc, command_line, wall_seconds, sim_seconds_per_wall_second, "
      "events_per_second, events, peak_rss_bytes FROM runs ORDER BY scenario_name, seed, run_key");
  if (!stmt.ok()) return stmt.error();
  std::vector<std::pair<std::int64_t, sim::RunResult>> rows;
  stmt.value().start();
  while (stmt.value().step()) {
    rows.emplace_back(stmt.value().i64(0), sim::RunResult{});
    read_run_row(stmt.value(), rows.back().second);
  }
  MT_REPORTS_TRY(stmt.value().status());
  std::vector<sim::RunResult> runs;
  for (auto& [id, run] : rows) {
    MT_REPORTS_TRY(read_children(conn, id, run));
    runs.push_back(std::move(run));
  }
  MT_REPORTS_TRY(conn.exec("COMMIT"));
  return runs;
}

Result<std::string> canonical_content(const std::filesystem::path& db_path) {
  auto db = open_results_database(db_path, /*create=*/false);
  if (!db.ok()) return db.error();
  auto& conn = db.value();
  std::vector<std::string> tables;
  {
    auto stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    if (!stmt.ok()) return stmt.error();
    stmt.value().start();
    while (stmt.value().step()) tables.push_back(stmt.value().text(0));
    MT_REPORTS_TRY(stmt.value().status());
  }
  std::string out;
  for (const auto& table : tables) {
    auto columns = columns_without_run_id(conn, table);
    if (!columns.ok()) return columns.error();
    std::string select = table == "runs" ? "SELECT " : "SELECT r.run_key";
    for (std::size_t i = 0; i < columns.value().size(); ++i) {
      select += (i == 0 && table == "runs" ? "t." : ", t.") + columns.value()[i];
    }
    select += " FROM " + table + " t";
    if (table != "runs") select += " JOIN runs r ON r.run_id = t.run_id";
    std::size_t width = columns.value().size() + (table == "runs" ? 0 : 1);
    select += " ORDER BY 1";
    for (std::size_t i = 2; i <= width; ++i) select += ", " + std::to_string(i);
    out += "## " + table + "\n";
    MT_REPORTS_TRY(dump_rows(conn, select, out));
  }
  return out;
}

}  // namespace mt::reports
