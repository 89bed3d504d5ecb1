// timeline.json: a run's consensus tracks (sim/inspect/consensus_tracks.hpp) in the Chrome Trace
// Event format, which Perfetto (ui.perfetto.dev) and chrome://tracing open. Layout:
//   process 1 "nodes": one thread per node; its height, round and step as nested complete
//     slices ("X"), its proposal, decision and sync moments as instants ("i");
//   flows ("s" -> "f") from a proposer's proposal to every prevote for a block in that round, for
//     the selected heights (default: the slowest height and its neighbours);
//   process 2 "faults": one thread per fault window, its span as a slice.
// One event per line, fixed order (node, then time): equal runs give equal bytes. Timestamps are
// simulated microseconds. Size: about 0.9 KB per node per height (docs/reports.md measures it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/inspect/consensus_tracks.hpp"

namespace mt::reports {

struct TimelineSelection {
  std::uint64_t height_from = 0;   // slices and instants of heights in [from, to]; 0/0: every height
  std::uint64_t height_to = 0;
  std::vector<bool> nodes;         // by node index; empty: every node
  // Heights that get proposal flows; empty: the slowest height and its neighbours.
  std::uint64_t flow_from = 0;
  std::uint64_t flow_to = 0;
};

// The height whose slices lasted longest on any node (0 when there is none): the worst stall.
std::uint64_t slowest_height(const sim::ConsensusTracks& tracks);

std::string timeline_json(const sim::ConsensusTracks& tracks, const TimelineSelection& selection = {});

}  // namespace mt::reports
