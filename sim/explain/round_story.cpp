#include "sim/explain/round_story.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "sim/explain/proposer_state.hpp"

namespace mt::sim {

namespace {

bool quorum(std::uint64_t part, std::uint64_t total) { return part * 3 > total * 2; }

// Each member's first vote of `type` in the round (an equivocator's second one is not counted),
// and how soon after `start` the block had more than 2/3 of the members' stake.
StakeTally tally(const EventLog& log, const std::vector<bool>& members, const std::vector<const LogEvent*>& events,
                 const std::string& type, const std::string& block, TimeUs start, std::optional<TimeUs>& quorum_after) {
  std::map<std::size_t, const LogEvent*> first;
  std::uint64_t total = 0;
  for (std::size_t n = 0; n < log.nodes.size(); ++n) total += members[n] ? log.nodes[n].stake : 0;
  std::uint64_t for_block = 0;
  for (const LogEvent* e : events) {
    if (e->kind != "vote" || e->text != type || !members[e->node] || !first.emplace(e->node, e).second) continue;
    if (!e->block.empty() && e->block == block) for_block += log.nodes[e->node].stake;
    if (!quorum_after && quorum(for_block, total)) quorum_after = e->t - start;
  }
  StakeTally t;
  for (std::size_t n = 0; n < log.nodes.size(); ++n) {
    if (!members[n]) continue;
    const std::uint64_t stake = log.nodes[n].stake;
    auto it = first.find(n);
    if (it == first.end()) {
      t.missing += stake;
      t.missing_nodes.push_back(n);
    } else if (it->second->block.empty()) {
      t.nil += stake;
    } else if (it->second->block == block) {
      t.block += stake;
    } else {
      t.other += stake;
    }
  }
  return t;
}

// Members whose prevote came after the round's propose timeout had passed.
std::vector<std::size_t> late_voters(const std::vector<bool>& members, const std::vector<const LogEvent*>& events,
                                     TimeUs deadline) {
  std::set<std::size_t> seen;
  std::vector<std::size_t> late;
  for (const LogEvent* e : events) {
    if (e->kind != "vote" || e->text != "prevote" || !members[e->node] || !seen.insert(e->node).second) continue;
    if (e->t > deadline) late.push_back(e->node);
  }
  std::sort(late.begin(), late.end());
  return late;
}

// The block the round was about: its proposal, else the block most prevoted.
std::string round_block(const std::vector<const LogEvent*>& events) {
  for (const LogEvent* e : events) {
    if ((e->kind == "proposal_made" || (e->kind == "proposal_received" && e->text == "accepted")) && !e->block.empty()) {
      return e->block;
    }
  }
  std::map<std::string, std::size_t> counts;
  for (const LogEvent* e : events) {
    if (e->kind == "vote" && !e->block.empty()) ++counts[e->block];
  }
  std::string best;
  std::size_t most = 0;
  for (const auto& [b, c] : counts) {
    if (c > most) best = b, most = c;
  }
  return best;
}

std::vector<TimeoutCount> timeouts_of(const std::vector<const LogEvent*>& events) {
  std::vector<TimeoutCount> out;
  for (const char* step : {"propose", "prevote", "precommit"}) {
    TimeoutCount c{step, 0, 0};
    std::set<std::size_t> nodes;
    for (const LogEvent* e : events) {
      if (e->text != step) continue;
      if (e->kind == "timeout_fired") nodes.insert(e->node);
      if (e->kind == "timeout_scheduled" && c.delay_us == 0) c.delay_us = e->number;
    }
    c.nodes = nodes.size();
    if (c.nodes > 0) out.push_back(c);
  }
  return out;
}

// How far the proposal got: stake that had it, how soon > 2/3 had it, how much came too late.
void proposal_reach(const EventLog& log, const std::vector<bool>& members, const std::vector<const LogEvent*>& events,
                    RoundStory& r) {
  std::map<std::size_t, TimeUs> got;          // node -> first time it had the proposal
  std::map<std::size_t, TimeUs> timed_out;    // node -> its propose timeout
  for (const LogEvent* e : events) {
    const bool has = (e->kind == "proposal_made") || (e->kind == "proposal_received" && e->text == "accepted");
    if (has && e->block == r.block && members[e->node]) got.emplace(e->node, e->t);
    if (e->kind == "proposal_received" && e->text != "accepted" && r.rejected.empty()) {
      r.rejected = fmt::format("{} rejected a proposal ({})", log.name(e->node), e->text);
    }
    if (e->kind == "timeout_fired" && e->text == "propose") timed_out.emplace(e->node, e->t);
  }
  std::vector<std::pair<TimeUs, std::size_t>> order;
  for (const auto& [n, t] : got) order.emplace_back(t, n);
  std::sort(order.begin(), order.end());
  const std::uint64_t total = r.total_stake;
  for (const auto& [t, n] : order) {
    r.proposal_stake += log.nodes[n].stake;
    auto to = timed_out.find(n);
    if (to != timed_out.end() && to->second <= t) r.proposal_late_stake += log.nodes[n].stake;
    if (!r.proposal_quorum_after_us && quorum(r.proposal_stake, total)) r.proposal_quorum_after_us = t - r.start_us;
  }
}

std::string majority_reason(const std::vector<const LogEvent*>& events) {
  std::map<std::string, std::size_t> counts;
  for (const LogEvent* e : events) {
    if (e->kind == "round_started") ++counts[e->text];
  }
  std::string best;
  std::size_t most = 0;
  for (const auto& [reason, c] : counts) {
    if (c > most) best = reason, most = c;
  }
  return best;
}

RoundStory tell_round(const EventLog& log, const std::vector<bool>& members, std::uint64_t height, std::uint32_t round,
                      const std::vector<const LogEvent*>& events, TimeUs end_us) {
  RoundStory r;
  r.round = round;
  for (std::size_t n = 0; n < log.nodes.size(); ++n) r.total_stake += members[n] ? log.nodes[n].stake : 0;
  r.start_us = events.front()->t;
  r.start_reason = majority_reason(events);
  for (const LogEvent* e : events) {
    if (e->kind == "round_started" && e->who >= 0) {
      r.proposer = e->who;
      break;
    }
  }
  r.block = round_block(events);
  proposal_reach(log, members, events, r);
  r.prevotes = tally(log, members, events, "prevote", r.block, r.start_us, r.prevote_quorum_after_us);
  r.precommits = tally(log, members, events, "precommit", r.block, r.start_us, r.precommit_quorum_after_us);
  r.timeouts = timeouts_of(events);
  std::set<std::size_t> judged;
  for (const LogEvent* e : events) {
    if (e->kind == "prevote_judged" && e->text != "valid" && members[e->node] && judged.insert(e->node).second) {
      r.prevote_reasons[e->text] += log.nodes[e->node].stake;
    }
  }
  TimeUs propose_delay = 0;
  for (const LogEvent* e : events) {
    if (e->kind == "timeout_scheduled" && e->text == "propose") propose_delay = std::max(propose_delay, e->number);
  }
  if (propose_delay > 0) r.late_voters = late_voters(members, events, r.start_us + propose_delay);
  for (const LogEvent* e : events) {
    if (e->kind == "decided") r.decided = true;
  }
  if (r.proposer >= 0) {
    const ProposerState s = proposer_state(log, height, round, static_cast<std::size_t>(r.proposer), r, end_us);
    r.proposer_state = s.state;
    r.proposer_fault = s.fault;
  }
  r.why = why_line(log, r);
  return r;
}

std::vector<std::string> faults_during(const EventLog& log, TimeUs from, TimeUs to) {
  std::map<std::string, std::pair<TimeUs, std::string>> open;  // fault -> (begin, text)
  std::vector<std::string> out;
  for (const auto& w : log.world) {
    if (w.kind == "fault_begin") open[w.fault] = {w.t, fmt::format("{} ({} {})", w.fault, w.fault_kind, w.targets)};
    if (w.kind != "fault_end") continue;
    auto it = open.find(w.fault);
    if (it != open.end() && it->second.first <= to && w.t >= from) out.push_back(it->second.second);
    if (it != open.end()) open.erase(it);
  }
  for (const auto& [id, b] : open) {
    if (b.first <= to) out.push_back(b.second + " (still open)");
  }
  return out;
}

}  // namespace

std::string percent(std::uint64_t part, std::uint64_t total) {
  if (total == 0) return "0%";
  return fmt::format("{}%", (part * 100 + total / 2) / total);
}

HeightStory tell_height(const EventLog& log, std::uint64_t height) {
  HeightStory h;
  h.height = height;
  const std::vector<bool> members = members_at(log, height);
  for (std::size_t n = 0; n < log.nodes.size(); ++n) h.total_stake += members[n] ? log.nodes[n].stake : 0;
  std::map<std::uint32_t, std::vector<const LogEvent*>> rounds;
  bool started = false;
  TimeUs last_t = 0;
  for (const LogEvent& e : log.events) {
    last_t = std::max(last_t, e.t);
    if (e.height != height) continue;
    if (e.kind == "height_started" && !started) h.start_us = e.t, started = true;
    if (e.kind == "committed" && !h.decided_us) h.decided_us = e.t, h.decided_round = static_cast<std::uint32_t>(e.round);
    if (e.kind == "committed") h.committed_by[e.block].push_back(e.node);
    if (e.round >= 0 && e.kind != "committed" && e.kind != "lock" && e.kind != "valid_value") {
      rounds[static_cast<std::uint32_t>(e.round)].push_back(&e);
    }
  }
  for (auto it = rounds.begin(); it != rounds.end(); ++it) {
    auto next = std::next(it);
    const TimeUs end_us = next != rounds.end() ? next->second.front()->t : h.decided_us.value_or(last_t);
    h.rounds.push_back(tell_round(log, members, height, it->first, it->second, end_us));
  }
  if (!started && !h.rounds.empty()) h.start_us = h.rounds.front().start_us;
  h.faults = faults_during(log, h.start_us, h.decided_us.value_or(last_t));
  return h;
}

std::vector<bool> members_at(const EventLog& log, std::uint64_t height) {
  std::vector<bool> members(log.nodes.size(), false);
  for (std::size_t n = 0; n < log.nodes.size(); ++n) members[n] = log.nodes[n].at_genesis;
  std::vector<bool> jailed(log.nodes.size(), false);
  for (const LogEvent& e : log.events) {
    if (e.height > height) continue;
    if (e.kind == "vote") members[e.node] = true;
    if (e.kind == "slash" && e.height < height && e.who >= 0 && static_cast<std::size_t>(e.who) < jailed.size()) {
      jailed[static_cast<std::size_t>(e.who)] = true;
    }
  }
  for (std::size_t n = 0; n < members.size(); ++n) members[n] = members[n] && !jailed[n];
  return members;
}

std::vector<HeightSummary> summarize_heights(const EventLog& log) {
  std::map<std::uint64_t, HeightSummary> by_height;
  for (const LogEvent& e : log.events) {
    if (e.height == 0) continue;
    auto [it, fresh] = by_height.try_emplace(e.height, HeightSummary{e.height, 0, e.t, std::nullopt});
    HeightSummary& s = it->second;
    if (e.kind == "round_started") s.rounds = std::max(s.rounds, static_cast<std::uint32_t>(e.round + 1));
    if (e.kind == "committed" && !s.decided_us) s.decided_us = e.t;
  }
  std::vector<HeightSummary> out;
  for (const auto& [h, s] : by_height) {
    if (s.rounds > 0) out.push_back(s);
  }
  return out;
}

std::optional<std::uint64_t> worst_height(const EventLog& log) {
  const TimeUs end = log.events.empty() ? 0 : log.events.back().t;
  std::optional<std::uint64_t> worst;
  std::pair<std::uint32_t, TimeUs> worst_key{0, -1};
  for (const auto& s : summarize_heights(log)) {
    const std::pair<std::uint32_t, TimeUs> key{s.rounds, s.decided_us.value_or(end) - s.start_us};
    if (key > worst_key) worst_key = key, worst = s.height;
  }
  return worst;
}

std::optional<std::uint64_t> height_at(const EventLog& log, TimeUs t) {
  for (const auto& s : summarize_heights(log)) {
    if (!s.decided_us || *s.decided_us > t) return s.height;
  }
  return std::nullopt;
}

}  // namespace mt::sim
