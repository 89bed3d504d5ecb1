// Why a round's proposer did or did not get its proposal through: its state during the round
// (crashed, partitioned, paused, byzantine, behind, late, up) with the fault behind it, and the
// round's one-line verdict ("round 2: proposer down[3] crashed (fault crash9) -> propose timeout
// 4.0s -> 70% prevoted nil").
#pragma once

#include <optional>
#include <string>

#include "sim/explain/round_story.hpp"

namespace mt::sim {

struct ProposerState {
  std::string state;  // crashed, partitioned, paused, link_fault, clock_skewed, byzantine, behind, silent, late, up
  std::string fault;  // the fault id behind it, if any
};

// `r` must have its proposal reach filled; [r.start_us, end_us] is the round's span.
ProposerState proposer_state(const EventLog& log, std::uint64_t height, std::uint32_t round, std::size_t proposer,
                             const RoundStory& r, TimeUs end_us);

std::string why_line(const EventLog& log, const RoundStory& r);

// What held a node back during [from, to]: crashed, partitioned, paused, a link or clock fault
// (with the fault), or byzantine; nullopt when none of these.
std::optional<ProposerState> node_trouble(const EventLog& log, std::size_t node, TimeUs from, TimeUs to);

std::string seconds(TimeUs us);  // "4.0s"

}  // namespace mt::sim
