// Which files a run writes into its --out directory, and write_all, which writes them.
//   json     report.json          csv   blocks.csv, series.csv     markdown  summary.md
//   sqlite   results.sqlite (appended: one database collects every run written to the directory)
//   html     report.html          junit junit.xml (this run alone; sweeps write theirs from the database)
//   timeline timeline.json (reports/timeline_json.hpp; only a run that recorded consensus tracks)
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/util/result.hpp"
#include "sim/run/run_result.hpp"

namespace mt::reports {

enum class Output : std::uint32_t {
  json = 1u << 0,
  csv = 1u << 1,
  markdown = 1u << 2,
  sqlite = 1u << 3,
  html = 1u << 4,
  junit = 1u << 5,
  timeline = 1u << 6,  // timeline.json (when the run recorded consensus tracks); not in all()
};

class OutputSet {
 public:
  OutputSet() = default;
  static OutputSet all();
  // "json,csv,md,sqlite,html,junit" (any subset, any order; "all" for every one). Unknown names
  // are an error naming them, for the command line.
  static Result<OutputSet> parse(const std::string& list);
  // report.json plus a scenario's `report.outputs` (names the scenario loader already checked).
  static OutputSet for_scenario(const std::vector<std::string>& outputs);

  OutputSet& add(Output o) {
    bits_ |= static_cast<std::uint32_t>(o);
    return *this;
  }
  [[nodiscard]] bool has(Output o) const { return (bits_ & static_cast<std::uint32_t>(o)) != 0; }
  [[nodiscard]] bool empty() const { return bits_ == 0; }

 private:
  std::uint32_t bits_ = 0;
};

// Creates `out_dir` when missing and writes the chosen outputs (each file atomically). Returns
// the paths written, in a fixed order, for the console summary's artifact list.
Result<std::vector<std::filesystem::path>> write_all(const std::filesystem::path& out_dir, const sim::RunResult& run,
                                                     OutputSet which);

}  // namespace mt::reports
