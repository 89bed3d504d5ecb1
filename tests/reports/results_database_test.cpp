// results.sqlite: many runs keyed by run, a checked schema version, one transaction per run (a
// killed writer leaves only whole runs), idempotent appends, lossless loading, and shard merges
// equal to one database.
#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "reports/report_json.hpp"
#include "reports/results_database.hpp"
#include "reports/sqlite_connection.hpp"
#include "tests/reports/sample_run.hpp"

using namespace mt;
using namespace mt::reports;
using namespace mt::reports::testing;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test, removed at the end.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "mtsim-reports-XXXXXX").string();
    REQUIRE(mkdtemp(templ.data()) != nullptr);
    path = templ;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::int64_t count(const fs::path& db_path, const std::string& sql) {
  auto db = SqliteConnection::open(db_path.string(), false);
  REQUIRE(db.ok());
  auto n = db.value().query_int(sql);
  REQUIRE_MESSAGE(n.ok(), (n.ok() ? "" : n.error().message));
  return n.value();
}

}  // namespace

TEST_CASE("a run appended and loaded back is the same run, report.json byte for byte") {
  TempDir dir;
  auto db = dir.path / "results.sqlite";
  auto run = make_sample_run(42);
  run.seed = 0xffff'ffff'ffff'fff0ULL;  // above 2^63: stored as a signed integer, read back exactly
  auto outcome = append_run(db, run);
  REQUIRE_MESSAGE(outcome.ok(), outcome.error().message);
  CHECK(outcome.value().inserted);
  auto loaded = load_runs(db);
  REQUIRE(loaded.ok());
  REQUIRE(loaded.value().size() == 1);
  CHECK(report_json_text(loaded.value()[0]) == report_json_text(run));
  CHECK(count(db, "PRAGMA user_version") == 1);
}

TEST_CASE("appending a run with the same scenario hash, seed and digest changes nothing") {
  TempDir dir;
  auto db = dir.path / "results.sqlite";
  REQUIRE(append_run(db, make_sample_run(1)).ok());
  auto again = append_run(db, make_sample_run(1));
  REQUIRE(again.ok());
  CHECK_FALSE(again.value().inserted);
  REQUIRE(append_run(db, make_sample_run(2)).ok());
  CHECK(count(db, "SELECT count(*) FROM runs") == 2);
  CHECK(count(db, "SELECT count(*) FROM blocks") == 120);
}

TEST_CASE("the views answer per-run and per-scenario questions") {
  TempDir dir;
  auto db = dir.path / "results.sqlite";
  for (std::uint64_t seed = 1; seed <= 3; ++seed) REQUIRE(append_run(db, make_sample_run(seed)).ok());
  REQUIRE(append_run(db, make_passing_run(9)).ok());
  CHECK(count(db, "SELECT count(*) FROM v_run_summary WHERE verdict = 'fail' AND failed_expectations = 2") == 3);
  CHECK(count(db, "SELECT count(*) FROM v_run_summary WHERE finality_p99_ms > 0") == 4);
  CHECK(count(db, "SELECT count(*) FROM v_failures") == 6);
  CHECK(count(db, "SELECT count(*) FROM v_failures WHERE reproduce_command LIKE 'mtsim run %'") == 6);
  CHECK(count(db, "SELECT failed FROM v_scenario_summary WHERE scenario_name = 'partition-heal'") == 3);
  CHECK(count(db, "SELECT passed FROM v_scenario_summary WHERE scenario_name = 'quickstart'") == 1);
  CHECK(count(db, "SELECT passed FROM v_expectation_pass_rate WHERE expectation = 'finality.p99' "
                  "AND scenario_name = 'partition-heal'") == 0);
  CHECK(count(db, "SELECT count(*) FROM v_message_totals WHERE bytes > 0") == 4);
}

TEST_CASE("a run that fails midway through its insert leaves no rows and earlier runs intact") {
  TempDir dir;
  auto db = dir.path / "results.sqlite";
  REQUIRE(append_run(db, make_sample_run(1)).ok());
  auto bad = make_sample_run(2);
  bad.node_heights.push_back(bad.node_heights.back());  // a duplicate sample: the last table insert fails
  auto outcome = append_run(db, bad);
  CHECK_FALSE(outcome.ok());
  CHECK(count(db, "SELECT count(*) FROM runs") == 1);
  CHECK(count(db, "SELECT count(*) FROM blocks") == 60);
  CHECK(count(db, "SELECT count(*) FROM expectations") == 5);
  CHECK(count(db, "SELECT count(*) FROM latency_samples") == 400);
}

TEST_CASE("a writer killed mid-sweep leaves every finished run whole and no half run") {
  TempDir dir;
  auto db = dir.path / "results.sqlite";
  REQUIRE(append_run(db, make_sample_run(1000)).ok());  // schema exists before the child starts
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    for (std::uint64_t seed = 1; seed <= 500; ++seed) (void)append_run(db, make_sample_run(seed));
    _exit(0);
  }
  for (int i = 0; i < 2000 && count(db, "SELECT count(*) FROM runs") < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  CHECK(count(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'") == 0);
  auto runs = count(db, "SELECT count(*) FROM runs");
  CHECK(runs >= 4);
  CHECK(count(db, "SELECT count(*) FROM blocks") == runs * 60);
  CHECK(count(db, "SELECT count(*) FROM messages") == runs * 5);
  CHECK(count(db, "SELECT count(*) FROM runs r WHERE (SELECT count(*) FROM node_heights h "
                  "WHERE h.run_id = r.run_id) <> 7 * (SELECT count(*) FROM series s WHERE s.run_id = r.run_id)") == 0);
  auto loaded = load_runs(db);
  REQUIRE(loaded.ok());
  CHECK(static_cast<std::int64_t>(loaded.value().size()) == runs);
}

TEST_CASE("merging shard databases gives the same content as one database, in any order, idempotently") {
  TempDir dir;
  auto whole = dir.path / "whole.sqlite";
  auto shard_a = dir.path / "a.sqlite";
  auto shard_b = dir.path / "b.sqlite";
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    REQUIRE(append_run(whole, make_sample_run(seed)).ok());
    REQUIRE(append_run(seed % 2 == 1 ? shard_a : shard_b, make_sample_run(seed)).ok());
  }
  REQUIRE(append_run(whole, make_passing_run(3)).ok());
  REQUIRE(append_run(shard_b, make_passing_run(3)).ok());
  auto merged = dir.path / "merged.sqlite";
  auto reversed = dir.path / "reversed.sqlite";
  REQUIRE(merge_databases(merged, {shard_a, shard_b}).ok());
  REQUIRE(merge_databases(reversed, {shard_b, shard_a}).ok());
  auto expected = canonical_content(whole);
  REQUIRE(expected.ok());
  CHECK(canonical_content(merged).value() == expected.value());
  CHECK(canonical_content(reversed).value() == expected.value());
  REQUIRE(merge_databases(merged, {shard_a}).ok());  // merging again adds nothing
  CHECK(canonical_content(merged).value() == expected.value());
  auto differs = dir.path / "differs.sqlite";
  REQUIRE(merge_databases(differs, {shard_a}).ok());
  CHECK(canonical_content(differs).value() != expected.value());
}

TEST_CASE("a database of another schema version or another kind is refused with a clear error") {
  TempDir dir;
  auto db = dir.path / "results.sqlite";
  REQUIRE(append_run(db, make_sample_run(1)).ok());
  {
    auto conn = SqliteConnection::open(db.string(), false);
    REQUIRE(conn.ok());
    REQUIRE(conn.value().exec("PRAGMA user_version = 99").ok());
  }
  auto newer = append_run(db, make_sample_run(2));
  REQUIRE_FALSE(newer.ok());
  CHECK(newer.error().message.find("version 99") != std::string::npos);
  CHECK_FALSE(load_runs(db).ok());
  auto junk = dir.path / "junk.sqlite";
  std::ofstream(junk) << "this is not a database at all, just text long enough to have a header";
  CHECK_FALSE(append_run(junk, make_sample_run(1)).ok());
  CHECK_FALSE(load_runs(dir.path / "missing.sqlite").ok());
  CHECK_FALSE(merge_databases(dir.path / "m.sqlite", {dir.path / "missing.sqlite"}).ok());
}
