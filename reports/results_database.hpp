// results.sqlite: one database that holds many runs (a sweep, or shards of one merged later).
// Each run is written in ONE transaction, so a process killed mid-sweep leaves every finished
// run whole and no part of the unfinished one. A run is identified by run_key = scenario hash :
// seed : digest (run_facts.hpp); appending a run whose key is present changes nothing, so
// retries and overlapping shards are harmless. Schema: results_schema.hpp, docs/reports.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/util/result.hpp"
#include "sim/run/run_result.hpp"

namespace mt::reports {

struct AppendOutcome {
  std::int64_t run_id = 0;  // local to this database
  bool inserted = false;    // false: a run with the same key was already stored
};

// Creates the database and schema when missing; refuses a database of another schema version.
Result<AppendOutcome> append_run(const std::filesystem::path& db_path, const sim::RunResult& run);

// Every stored run, complete enough to regenerate report.json, HTML and JUnit, ordered by
// (scenario name, seed, run key).
Result<std::vector<sim::RunResult>> load_runs(const std::filesystem::path& db_path);

// Adds every run of every input to `out` (created when missing). Runs are inserted in
// (scenario, seed, key) order, so merging shards in any order gives the same content as one
// database that received the same runs.
Status merge_databases(const std::filesystem::path& out, const std::vector<std::filesystem::path>& inputs);

// A text dump of the whole content with local run ids replaced by run keys and rows sorted:
// equal for two databases holding the same runs, whatever order they were inserted in.
Result<std::string> canonical_content(const std::filesystem::path& db_path);

}  // namespace mt::reports
