// The story of one height, told from its events (event_log.hpp): per round, who proposed and in
// what state (crashed, partitioned, paused, byzantine, late, behind), how far its proposal got by
// stake, the prevote and precommit tallies by stake (naming who is missing), which timeouts
// fired, and one line on why the round failed. Pure: the same log gives the same story.
//
// The validators of a height are inferred from the log (events carry no membership): the genesis
// validators and every node that has voted by then, less those slashed (and so jailed) before it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/explain/event_log.hpp"

namespace mt::sim {

struct StakeTally {
  std::uint64_t block = 0;    // for the round's proposal (or the most-voted block without one)
  std::uint64_t nil = 0;
  std::uint64_t other = 0;    // another block
  std::uint64_t missing = 0;  // no vote seen
  std::vector<std::size_t> missing_nodes;
};

struct TimeoutCount {
  std::string step;           // propose, prevote, precommit
  std::size_t nodes = 0;      // how many nodes it fired at
  TimeUs delay_us = 0;
};

struct RoundStory {
  std::uint32_t round = 0;
  TimeUs start_us = 0;        // the first node to enter the round
  std::string start_reason;   // first, timeout, skip, restored (as most nodes entered it)
  std::int64_t proposer = -1;
  std::string proposer_state;  // up, crashed, partitioned, paused, byzantine, behind, ...
  std::string proposer_fault;  // the fault behind the state, if any
  std::string block;           // the proposal's short hash (empty: none seen)
  std::optional<TimeUs> proposal_quorum_after_us;  // from the round's start until > 2/3 of stake had it
  std::uint64_t proposal_stake = 0;                // stake that received it in the round
  std::uint64_t proposal_late_stake = 0;           // ... after its own propose timeout had fired
  std::string rejected;        // a proposal rejected somewhere, and why (first seen)
  StakeTally prevotes;
  StakeTally precommits;
  std::uint64_t total_stake = 0;   // of the height's validators
  // From the round's start until more than 2/3 of the stake had prevoted / precommitted one block.
  std::optional<TimeUs> prevote_quorum_after_us;
  std::optional<TimeUs> precommit_quorum_after_us;
  std::vector<std::size_t> late_voters;  // prevoted after the round's propose timeout had passed
  std::map<std::string, std::uint64_t> prevote_reasons;  // stake that prevoted nil on the proposal, by reason
  std::vector<TimeoutCount> timeouts;
  bool decided = false;
  std::string why;             // one line
};

struct HeightStory {
  std::uint64_t height = 0;
  std::uint64_t total_stake = 0;
  TimeUs start_us = 0;                  // first height_started
  std::optional<TimeUs> decided_us;     // first commit (any node)
  std::optional<std::uint32_t> decided_round;
  std::vector<RoundStory> rounds;
  std::vector<std::string> faults;      // fault windows overlapping the height ("crash9 crash down[0], ...")
  // Every block some node committed at this height with who committed it (two: a safety violation).
  std::map<std::string, std::vector<std::size_t>> committed_by;
};

HeightStory tell_height(const EventLog& log, std::uint64_t height);
// By node index: a validator at `height` (see above).
std::vector<bool> members_at(const EventLog& log, std::uint64_t height);

// The heights the log covers, with rounds used and time to decide, for choosing where to look.
struct HeightSummary {
  std::uint64_t height = 0;
  std::uint32_t rounds = 0;
  TimeUs start_us = 0;
  std::optional<TimeUs> decided_us;
};
std::vector<HeightSummary> summarize_heights(const EventLog& log);
// The worst stall: most rounds, then longest (an undecided height counts to the log's end).
std::optional<std::uint64_t> worst_height(const EventLog& log);
// The height the chain was deciding at time t: the lowest not yet committed by any node at t.
std::optional<std::uint64_t> height_at(const EventLog& log, TimeUs t);

std::string percent(std::uint64_t part, std::uint64_t total);  // "70%"

}  // namespace mt::sim
