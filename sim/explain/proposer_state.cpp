#include "sim/explain/proposer_state.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include <fmt/format.h>

namespace mt::sim {

namespace {

bool touches(const LogWorldEvent& w, std::size_t node) {
  return std::find(w.nodes.begin(), w.nodes.end(), node) != w.nodes.end();
}

// Down at any moment of [from, to]: the crash that took it down.
std::optional<std::string> crashed_during(const EventLog& log, std::size_t node, TimeUs from, TimeUs to) {
  std::optional<std::string> down;
  for (const auto& w : log.world) {
    if (w.t > to) break;
    if (!touches(w, node)) continue;
    if (w.kind == "crash") down = w.fault;
    if (w.kind == "restart" && w.t <= from) down.reset();
  }
  return down;
}

// A partition, pause, link or clock fault on `node` open at some moment of [from, to].
std::optional<ProposerState> fault_during(const EventLog& log, std::size_t node, TimeUs from, TimeUs to) {
  static const std::pair<const char*, const char*> kStates[] = {
      {"partition", "partitioned"}, {"pause", "paused"}, {"link", "link_fault"}, {"clock_skew", "clock_skewed"}};
  for (const auto& [kind, state] : kStates) {
    std::optional<std::string> open;
    for (const auto& w : log.world) {
      if (w.t > to) break;
      if (w.fault_kind != kind || !touches(w, node)) continue;
      if (w.kind == "fault_begin") open = w.fault;
      if (w.kind == "fault_end" && w.t < from) open.reset();
    }
    if (open) return ProposerState{state, *open};
  }
  return std::nullopt;
}

// The restart of `node` in the few seconds before `t` (it may still be replaying or syncing).
std::optional<std::string> restarted_before(const EventLog& log, std::size_t node, TimeUs t) {
  constexpr TimeUs kRecentUs = 5 * kUsPerSec;
  std::optional<std::string> recent;
  for (const auto& w : log.world) {
    if (w.t > t) break;
    if (w.kind == "restart" && touches(w, node) && w.t + kRecentUs >= t) {
      recent = fmt::format("fault {}, {} before the round", w.fault, seconds(t - w.t));
    }
  }
  return recent;
}

// A clock fault on `node` open at `t` or ended in the few seconds before it (a clock stepped back
// delays the node's timers by the step): "skew, ended 1.0s before the round".
std::string clock_fault_near(const EventLog& log, std::size_t node, TimeUs t) {
  constexpr TimeUs kRecentUs = 10 * kUsPerSec;
  std::string found;
  for (const auto& w : log.world) {
    if (w.t > t) break;
    if (w.fault_kind != "clock_skew" || !touches(w, node)) continue;
    if (w.kind == "fault_begin") found = w.fault + ", clock skewed";
    if (w.kind == "fault_end") {
      found = w.t + kRecentUs >= t ? fmt::format("{}, clock skew ended {} before the round", w.fault, seconds(t - w.t))
                                   : std::string();
    }
  }
  return found;
}

// Whether the proposer made a proposal in the round, started the round at all, or was behind.
ProposerState activity(const EventLog& log, std::uint64_t height, std::uint32_t round, std::size_t node,
                       const RoundStory& r) {
  bool proposed = false;
  bool in_round = false;
  std::uint64_t its_height = 0;
  for (const LogEvent& e : log.events) {
    if (e.node != node || e.t > r.start_us + 60 * kUsPerSec) continue;
    if (e.kind == "height_started" || e.kind == "committed") its_height = std::max(its_height, e.height);
    if (e.height != height || e.round != static_cast<std::int64_t>(round)) continue;
    if (e.kind == "proposal_made") proposed = true;
    if (e.kind == "round_started") in_round = true;
  }
  if (proposed && r.proposal_late_stake * 3 > r.total_stake) return {"late", clock_fault_near(log, node, r.start_us)};
  if (proposed) return {"up", ""};
  if (auto restart = restarted_before(log, node, r.start_us)) return {"restarting", *restart};
  if (in_round) return {"silent", ""};
  if (its_height < height) return {"behind", fmt::format("at height {}", its_height)};
  return {"silent", ""};
}

std::string proposer_part(const EventLog& log, const RoundStory& r) {
  if (r.proposer < 0) return "proposer unknown";
  const std::string name = log.name(static_cast<std::size_t>(r.proposer));
  const std::string& s = r.proposer_state;
  const std::string fault = r.proposer_fault.empty() ? "" : fmt::format(" (fault {})", r.proposer_fault);
  if (s == "crashed" || s == "partitioned" || s == "paused" || s == "clock_skewed") {
    return fmt::format("proposer {} {}{}", name, s, fault);
  }
  if (s == "link_fault") return fmt::format("proposer {} behind a link fault{}", name, fault);
  if (s == "byzantine") return fmt::format("proposer {} byzantine ({})", name, r.proposer_fault);
  if (s == "behind") return fmt::format("proposer {} behind ({})", name, r.proposer_fault);
  if (s == "silent") return fmt::format("proposer {} up but proposed nothing", name);
  if (s == "restarting") return fmt::format("proposer {} restarting ({}), proposed nothing", name, r.proposer_fault);
  const std::uint64_t total = r.total_stake;
  if (s == "late") {
    return fmt::format("proposer {}'s proposal late ({}{} of stake got it after their propose timeout)", name,
                       r.proposer_fault.empty() ? "" : "fault " + r.proposer_fault + "; ",
                       percent(r.proposal_late_stake, total));
  }
  if (r.proposal_stake * 3 <= total * 2) {
    return fmt::format("proposer {}'s proposal reached only {} of stake", name, percent(r.proposal_stake, total));
  }
  return fmt::format("proposer {} proposed {}", name, r.block);
}

std::string timeout_part(const RoundStory& r) {
  if (r.timeouts.empty()) return "";
  const TimeoutCount& t = r.timeouts.front();
  return fmt::format(" -> {} timeout {}", t.step, seconds(t.delay_us));
}

std::string missing_names(const EventLog& log, const StakeTally& t) {
  std::string out;
  for (std::size_t i = 0; i < t.missing_nodes.size(); ++i) {
    if (i == 4) return out + fmt::format(", +{} more", t.missing_nodes.size() - 4);
    out += (i == 0 ? "" : ", ") + log.name(t.missing_nodes[i]);
  }
  return out;
}

std::string tally_part(const EventLog& log, const RoundStory& r) {
  const std::uint64_t total = r.total_stake;
  const bool polka = r.prevotes.block * 3 > total * 2;
  const StakeTally& t = polka ? r.precommits : r.prevotes;
  const char* verb = polka ? "precommitted" : "prevoted";
  std::string out = polka ? fmt::format(" -> polka, but {} precommitted the block", percent(t.block, total))
                          : fmt::format(" -> {} {} nil", percent(t.nil, total), verb);
  if (!polka && t.block > 0) out += fmt::format(", {} the block", percent(t.block, total));
  if (polka && t.nil > 0) out += fmt::format(", {} nil", percent(t.nil, total));
  if (t.other > 0) out += fmt::format(", {} another block", percent(t.other, total));
  if (t.missing > 0) out += fmt::format(", {} missing ({})", percent(t.missing, total), missing_names(log, t));
  return out;
}

// The late voters, grouped by what held them up ("v[0], v[1] crashed (fault down)").
std::string late_part(const EventLog& log, const RoundStory& r) {
  std::map<std::string, std::vector<std::size_t>> by_state;
  const TimeUs to = r.start_us + r.precommit_quorum_after_us.value_or(0);
  for (std::size_t n : r.late_voters) {
    auto trouble = node_trouble(log, n, r.start_us, to);
    const std::string state = trouble ? (trouble->state + (trouble->fault.empty() ? "" : " (fault " + trouble->fault + ")"))
                                      : std::string("slow");
    by_state[state].push_back(n);
  }
  std::string out;
  for (const auto& [state, nodes] : by_state) {
    if (!out.empty()) out += "; ";
    for (std::size_t i = 0; i < nodes.size() && i < 6; ++i) out += (i == 0 ? "" : ", ") + log.name(nodes[i]);
    if (nodes.size() > 6) out += fmt::format(", +{} more", nodes.size() - 6);
    out += " " + state;
  }
  return out;
}

}  // namespace

std::string seconds(TimeUs us) {
  const TimeUs tenths = (us + 50'000) / 100'000;
  return fmt::format("{}.{}s", tenths / 10, tenths % 10);
}

std::optional<ProposerState> node_trouble(const EventLog& log, std::size_t node, TimeUs from, TimeUs to) {
  if (auto crash = crashed_during(log, node, from, to)) return ProposerState{"crashed", *crash};
  if (auto f = fault_during(log, node, from, to)) return f;
  if (!log.nodes.at(node).honest) return ProposerState{"byzantine", log.nodes[node].byzantine};
  return std::nullopt;
}

ProposerState proposer_state(const EventLog& log, std::uint64_t height, std::uint32_t round, std::size_t proposer,
                             const RoundStory& r, TimeUs end_us) {
  if (auto trouble = node_trouble(log, proposer, r.start_us, end_us)) return *trouble;
  return activity(log, height, round, proposer, r);
}

std::string why_line(const EventLog& log, const RoundStory& r) {
  const std::uint64_t total = r.total_stake;
  if (r.decided) {
    std::string line = fmt::format("round {}: decided: {}, {} prevoted and {} precommitted the block", r.round,
                                   proposer_part(log, r), percent(r.prevotes.block, total),
                                   percent(r.precommits.block, total));
    if (r.precommit_quorum_after_us && !r.late_voters.empty()) {
      line += fmt::format("; the quorum took {}, waiting for {}", seconds(*r.precommit_quorum_after_us),
                          late_part(log, r));
    }
    return line;
  }
  std::string line = fmt::format("round {}: {}", r.round, proposer_part(log, r));
  if (!r.rejected.empty()) line += fmt::format(" ({})", r.rejected);
  for (const auto& [reason, stake] : r.prevote_reasons) {
    line += fmt::format(" -> judged {} by {}", reason, percent(stake, total));
  }
  return line + timeout_part(r) + tally_part(log, r);
}

}  // namespace mt::sim
