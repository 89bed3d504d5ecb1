// Per-node consensus tracks of a run, for timeline.json and the report's swimlane: for each node
// the (height, round, step) it was in over time as nested slices, its instants (proposal made,
// decision, sync), its votes (for the flows of a timeline), and the run's fault windows.
//
// Source: the node events (core/node/events.hpp). The runner turns on the consensus steps
// (WorldConfig::emit_events) when it records tracks, so a height opens at HeightStarted in step
// `commit` (the pacing wait before round 0), a round at RoundStarted in `propose`, the node's
// prevote and precommit open those steps, and fired timeouts are instants. Without the steps
// (a listener fed only the basic events) the node's own actions mark them: its proposal opens
// `propose`, a decision of h opens height h + 1. A crash (on_crash, from the fault injector)
// ends the node's slices; it has none until it acts again after its restart.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/node/events.hpp"
#include "core/consensus/signing_state.hpp"
#include "sim/run/run_view.hpp"

namespace mt::sim {

struct TrackSlice {
  enum class Level : std::uint8_t { height = 0, round = 1, step = 2 };
  TimeUs start_us = 0;
  TimeUs end_us = 0;
  std::uint64_t height = 0;
  std::uint32_t round = 0;  // a height slice: the round it ended in
  ConsensusStep step = ConsensusStep::propose;  // meaningful on step slices
  Level level = Level::step;
};

struct TrackInstant {
  enum class Kind : std::uint8_t {
    proposal, decision, synced, sync_started, evidence, crash, timeout_propose, timeout_prevote, timeout_precommit
  };
  TimeUs t = 0;
  Kind kind = Kind::decision;
  std::uint64_t height = 0;
  std::uint32_t round = 0;
};

struct TrackVote {
  TimeUs t = 0;
  VoteType type = VoteType::prevote;
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  bool nil = false;
};

struct NodeTrack {
  std::string name;
  std::vector<TrackSlice> slices;      // parents before children at equal start; by start time
  std::vector<TrackInstant> instants;  // by time
  std::vector<TrackVote> votes;        // by time
};

struct ConsensusTracks {
  TimeUs end_us = 0;
  std::vector<NodeTrack> nodes;
  std::vector<FaultWindow> faults;
  // What timeline.json shows (scenario report.timeline): heights in [show_from, show_to] (0/0:
  // every height), and the nodes marked (empty: every node).
  std::uint64_t show_from = 0;
  std::uint64_t show_to = 0;
  std::vector<bool> show_nodes;
};

std::string_view track_instant_name(TrackInstant::Kind kind);

// Builds ConsensusTracks from the node events of a run (a World listener).
class TrackRecorder {
 public:
  explicit TrackRecorder(std::vector<std::string> node_names);
  void on_event(std::size_t node, TimeUs t, const Event& e);
  // The node crashed at t: its open slices end there and a `crash` instant marks it; it has no
  // slice until it acts again after its restart.
  void on_crash(std::size_t node, TimeUs t);
  // Closes every open slice at end_us and adds the fault windows (open ones end at end_us).
  ConsensusTracks finish(TimeUs end_us, std::vector<FaultWindow> faults);

 private:
  struct Open {
    bool open = false;
    std::uint64_t height = 0;
    std::uint32_t round = 0;
    ConsensusStep step = ConsensusStep::propose;
    TimeUs height_start = 0, round_start = 0, step_start = 0;
  };
  void move_to(std::size_t node, TimeUs t, std::uint64_t height, std::uint32_t round, ConsensusStep step);
  void close(std::size_t node, TimeUs t, TrackSlice::Level down_to);
  void on_consensus_event(std::size_t node, TimeUs t, const ConsensusEvent& e);

  std::vector<NodeTrack> nodes_;
  std::vector<Open> open_;
};

}  // namespace mt::sim
