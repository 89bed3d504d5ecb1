// `mtsim sweep`, `merge` and `report` through the built binary: shards partition the run list,
// two shards merged hold exactly what one unsharded sweep holds, the sweep's closing line and
// files are there, and (slow) a sweep interrupted halfway keeps every finished run whole.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "cli/sweep_plan.hpp"
#include "reports/results_database.hpp"
#include "tests/cli/cli_harness.hpp"
#include "reports/sqlite_connection.hpp"
#include "tests/reports/xml_checker.hpp"


namespace fs = std::filesystem;

namespace {

// Four validators for ten simulated seconds: a run takes a fraction of a second.
constexpr const char* kTinyScenario = R"(version: 1
name: tiny
seed: 1
duration: 10s
warmup: 2s
chain: { block_time: 1s, max_block_txs: 100 }
network:
  zones: [eu]
  latency:
    default: { dist: lognormal, median: 5ms, sigma: 0.3 }
  peers: full_mesh
validators:
  - { group: v, count: 4, stake: 1000000, zone: eu }
accounts: { count: 10, balance: 1000000000 }
load:
  - { kind: poisson, rate: 5/s, tx: transfer, accounts: 10 }
expect:
  - { check: no_conflicting_finality }
  - { check: chain_height, min: 3 }
)";

using mt::testing::mtsim;

// A temporary folder holding tiny.yaml.
struct TempDir : mt::testing::TempDir {
  TempDir() : mt::testing::TempDir("mtsim-sweep") { std::ofstream(path / "tiny.yaml") << kTinyScenario; }
};

// The canonical content of `db` without provenance (wall time, start time, command line with its
// --out folder, memory): two executions of one run agree on everything else, byte for byte.
std::string db_content(const fs::path& db) {
  const fs::path copy = db.string() + ".deterministic";
  fs::copy_file(db, copy, fs::copy_options::overwrite_existing);
  {
    auto conn = mt::reports::SqliteConnection::open(copy.string(), false);
    REQUIRE(conn.ok());
    REQUIRE(conn.value()
                .exec("UPDATE runs SET started_at_utc = '', command_line = '', host = '', wall_seconds = NULL, "
                      "sim_seconds_per_wall_second = NULL, events_per_second = NULL, peak_rss_bytes = 0")
                .ok());
  }
  auto c = mt::reports::canonical_content(copy);
  if (!c.ok()) FAIL(c.error().message);
  return c.value();
}

}  // namespace

TEST_CASE("shards of a sweep are disjoint, interleaved, and together cover every (file, seed)") {
  auto seeds = mt::cli::parse_seed_list("1..5,9");
  REQUIRE(seeds.ok());
  CHECK(seeds.value() == std::vector<std::uint64_t>{1, 2, 3, 4, 5, 9});
  std::set<std::pair<std::size_t, std::uint64_t>> seen;
  for (std::uint64_t i = 1; i <= 3; ++i) {
    const auto part = mt::cli::plan_sweep(2, seeds.value(), mt::cli::Shard{i, 3});
    CHECK(part.size() == 4);  // 12 runs over 3 shards
    for (const auto& it : part) CHECK(seen.insert({it.file_index, it.seed}).second);
  }
  CHECK(seen.size() == 12);
  CHECK(mt::cli::plan_sweep(1, {1, 2, 3, 4}, mt::cli::Shard{2, 2}).front().seed == 2);  // interleaved
  CHECK_FALSE(mt::cli::parse_seed_list("5..1").ok());
  CHECK_FALSE(mt::cli::parse_seed_list("1..3,2").ok());
  CHECK_FALSE(mt::cli::parse_seed_list("1..99999999999").ok());
  CHECK_FALSE(mt::cli::parse_shard("0/2").ok());
  CHECK_FALSE(mt::cli::parse_shard("3/2").ok());
  CHECK(mt::cli::worse_exit(2, 1) == 1);  // safety outranks liveness
  CHECK(mt::cli::worse_exit(4, 2) == 2);
}

TEST_CASE("two shards of a sweep merged hold the same runs as the unsharded sweep") {
  TempDir t;
  const std::string file = (t.path / "tiny.yaml").string();
  const auto all = mtsim("sweep " + file + " --seeds 1..4 --jobs 2 --out " + (t.path / "all").string(),
                         t.path / "all.log");
  INFO(all.output);
  REQUIRE(all.exit_code == 0);
  CHECK(all.output.find("PASS tiny seed 3 (") != std::string::npos);
  CHECK(all.output.find("\n4 passed, 0 failed\n") != std::string::npos);
  CHECK(fs::exists(t.path / "all" / "junit.xml"));
  CHECK(fs::exists(t.path / "all" / "summary.md"));

  for (const char* shard : {"1/2", "2/2"}) {
    const std::string dir = (t.path / (std::string("shard") + shard[0])).string();
    const auto s = mtsim("sweep " + file + " --seeds 1..4 --jobs 2 --shard " + shard + " --out " + dir,
                         t.path / "shard.log");
    INFO(s.output);
    REQUIRE(s.exit_code == 0);
    CHECK(s.output.find("\n2 passed, 0 failed\n") != std::string::npos);
  }
  const fs::path merged = t.path / "merged.sqlite";
  const auto m = mtsim("merge " + merged.string() + " " + (t.path / "shard2" / "results.sqlite").string() + " " +
                           (t.path / "shard1" / "results.sqlite").string(),
                       t.path / "merge.log");
  INFO(m.output);
  REQUIRE(m.exit_code == 0);
  const std::string unsharded = db_content(t.path / "all" / "results.sqlite");
  CHECK(unsharded.find("tiny") != std::string::npos);
  CHECK(db_content(merged) == unsharded);

  const auto r = mtsim("report " + merged.string() + " --out " + (t.path / "rep").string(), t.path / "report.log");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(fs::exists(t.path / "rep" / "tiny-seed4" / "report.html"));
  std::ifstream junit(t.path / "rep" / "junit.xml");
  std::stringstream ss;
  ss << junit.rdbuf();
  // 4 seeds x 2 expectations, one suite for the one scenario, nothing failed.
  const auto xml = mt::reports::testing::parse_xml(ss.str());
  REQUIRE_MESSAGE(xml.error.empty(), xml.error);
  const auto suites = xml.root->all("testsuite");
  REQUIRE(suites.size() == 1);
  CHECK(suites[0]->attributes.at("tests") == "8");
  CHECK(suites[0]->attributes.at("failures") == "0");
  CHECK(xml.root->all("testcase").size() == 8);
  CHECK(ss.str().find("[seed=3]") != std::string::npos);
}

TEST_SUITE("slow") {
  TEST_CASE("a sweep interrupted halfway exits 130 and keeps every finished run whole") {
    TempDir t;
    const fs::path out = t.path / "out";
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      const std::string file = (t.path / "tiny.yaml").string(), dir = out.string(), log = (t.path / "log").string();
      if (std::freopen(log.c_str(), "w", stdout) == nullptr) ::_exit(99);
      ::execl(MTSIM_BINARY, MTSIM_BINARY, "sweep", file.c_str(), "--seeds", "1..40", "--jobs", "1", "--out",
              dir.c_str(), static_cast<char*>(nullptr));
      ::_exit(98);
    }
    // Wait until a few runs are stored, then interrupt as Ctrl-C would.
    std::size_t stored = 0;
    for (int i = 0; i < 600 && stored < 3; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (!fs::exists(out / "results.sqlite")) continue;
      auto runs = mt::reports::load_runs(out / "results.sqlite");
      if (runs.ok()) stored = runs.value().size();
    }
    REQUIRE(stored >= 3);
    ::kill(pid, SIGINT);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 130);
    auto runs = mt::reports::load_runs(out / "results.sqlite");
    REQUIRE(runs.ok());
    CHECK(runs.value().size() >= stored);
    CHECK(runs.value().size() < 40);
    for (const auto& r : runs.value()) {
      CHECK(r.exit_code == 0);
      CHECK_FALSE(r.blocks.empty());
      CHECK(r.expectations.size() == 2);
    }
  }
}
