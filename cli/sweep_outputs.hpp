// The files a sweep (or `mtsim report`) writes from a results database: junit.xml over every
// stored run, summary.md (one table row per run, failures with their reproduce commands), and
// report.html per run. Written from the database, not from memory, so a merged database of
// several shards gives the same files as one unsharded sweep.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/util/result.hpp"
#include "sim/run/run_result.hpp"

namespace mt::cli {

// junit.xml and summary.md into `out_dir` from the runs of `db`. Returns the paths written.
Result<std::vector<std::filesystem::path>> write_sweep_files(const std::filesystem::path& db,
                                                             const std::filesystem::path& out_dir);

}  // namespace mt::cli
