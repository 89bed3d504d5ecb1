// report.json: the versioned, machine-readable record of one run. Layout (docs/reports.md):
//   { "format": "mtsim-report", "version": 1,
//     "deterministic": { everything a replay of the same scenario and seed reproduces },
//     "provenance":    { wall time, host, build, harness speed } }
// Keys keep a fixed order (nlohmann::ordered_json), so equal runs give equal bytes and two runs
// that differ only in provenance have byte-identical "deterministic" sections.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"
#include "sim/run/run_result.hpp"

namespace mt::reports {

inline constexpr const char* kReportFormat = "mtsim-report";
inline constexpr int kReportVersion = 1;

nlohmann::ordered_json report_json(const sim::RunResult& run);
nlohmann::ordered_json deterministic_json(const sim::RunResult& run);
nlohmann::ordered_json provenance_json(const sim::RunResult& run);

// report_json(run) as text, two-space indented, ending in a newline.
std::string report_json_text(const sim::RunResult& run);

// Reads a report back. Errors name the missing or mistyped key; a report of another format or
// a newer version is refused rather than half read.
Result<sim::RunResult> run_result_from_json(const nlohmann::ordered_json& report);
Result<sim::RunResult> parse_report_json(const std::string& text);
Result<sim::RunResult> read_report_json(const std::filesystem::path& path);

}  // namespace mt::reports
