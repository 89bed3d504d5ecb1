// Reads one capacity point back from the report.json its run wrote: the steady-window numbers
// through reports::read_report_json, and the cost model's resource metrics (CPU, links, mempool,
// block fullness) from the metrics object when the run reports them.
#pragma once

#include <cstdint>
#include <filesystem>

#include "core/util/result.hpp"
#include "sim/capacity/capacity_point.hpp"

namespace mt::cli {

Result<sim::CapacityPoint> read_capacity_point(const std::filesystem::path& report_json, std::uint64_t rate_per_s);

}  // namespace mt::cli
