// The consensus swimlane of report.html: nodes (rows) over time around the run's worst stall (the
// height that took longest on any node), each row coloured by the consensus step it was in,
// fault windows shaded, decisions marked, with a per-round summary of that height beside it
// (proposal made or not, prevotes and precommits for a block or nil, timeouts fired) computed
// from the same tracks. Beyond kMaxSwimlaneRows nodes, neighbouring nodes share a row coloured by
// the step most of them were in, so the SVG stays small at 200 validators. Empty when the run
// recorded no consensus tracks (a report regenerated from a results database).
#pragma once

#include <cstddef>
#include <string>

#include "sim/inspect/consensus_tracks.hpp"

namespace mt::reports {

inline constexpr const char* kSwimlaneId = "chart-consensus-swimlane";
inline constexpr std::size_t kMaxSwimlaneRows = 50;

// The <svg class="chart"> of the swimlane.
std::string swimlane_svg(const sim::ConsensusTracks& tracks);
// The summary of the stalled height's rounds, one <li> per round, as an HTML list.
std::string stall_round_summary(const sim::ConsensusTracks& tracks);

}  // namespace mt::reports
