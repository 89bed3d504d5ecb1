#include "sim/explain/story_output.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/explain/proposer_state.hpp"
#include "sim/run/run_view.hpp"

namespace mt::sim {

namespace {

using OJson = nlohmann::ordered_json;

std::string names(const EventLog& log, const std::vector<std::size_t>& nodes) {
  std::string out;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (i == 12) return out + fmt::format(", +{} more", nodes.size() - 12);
    out += (i == 0 ? "" : ", ") + log.name(nodes[i]);
  }
  return out;
}

std::string tally_text(const EventLog& log, const StakeTally& t, std::uint64_t total) {
  std::string out = fmt::format("block {}  nil {}  other {}  missing {}", percent(t.block, total),
                                percent(t.nil, total), percent(t.other, total), percent(t.missing, total));
  if (!t.missing_nodes.empty()) out += ": " + names(log, t.missing_nodes);
  return out;
}

std::string proposal_text(const RoundStory& r, std::uint64_t total) {
  if (r.block.empty()) return r.rejected.empty() ? "none seen" : "none accepted; " + r.rejected;
  std::string out = fmt::format("{} reached {} of stake", r.block, percent(r.proposal_stake, total));
  if (r.proposal_quorum_after_us) out += fmt::format(" (> 2/3 after {})", seconds(*r.proposal_quorum_after_us));
  if (r.proposal_late_stake > 0) {
    out += fmt::format("; {} got it after their propose timeout", percent(r.proposal_late_stake, total));
  }
  return out;
}

void round_text(std::string& out, const EventLog& log, const RoundStory& r, std::uint64_t total) {
  out += fmt::format("\nround {} at {} (entered by {})\n", r.round, format_time(r.start_us), r.start_reason);
  if (r.proposer >= 0) {
    out += fmt::format("  proposer    {}: {}{}\n", log.name(static_cast<std::size_t>(r.proposer)), r.proposer_state,
                       r.proposer_fault.empty() ? "" : " (" + r.proposer_fault + ")");
  }
  out += fmt::format("  proposal    {}\n", proposal_text(r, total));
  auto quorum = [](const std::optional<TimeUs>& after) {
    return after ? fmt::format(" (> 2/3 for the block after {})", seconds(*after)) : std::string();
  };
  out += fmt::format("  prevotes    {}{}\n", tally_text(log, r.prevotes, total), quorum(r.prevote_quorum_after_us));
  out += fmt::format("  precommits  {}{}\n", tally_text(log, r.precommits, total), quorum(r.precommit_quorum_after_us));
  std::string timeouts;
  for (const auto& t : r.timeouts) {
    timeouts += fmt::format("{}{} {} at {} nodes", timeouts.empty() ? "" : "; ", t.step, seconds(t.delay_us), t.nodes);
  }
  out += fmt::format("  timeouts    {}\n", timeouts.empty() ? "none fired" : timeouts);
}

std::string event_line(const EventLog& log, const LogEvent& e) {
  std::string what = e.kind;
  if (!e.text.empty()) what += " " + e.text;
  if (e.round >= 0) what += fmt::format(" r{}", e.round);
  if (e.kind == "vote" || e.kind == "polka" || e.kind == "decided" || e.kind == "lock") {
    what += " " + (e.block.empty() ? std::string("nil") : e.block);
  }
  return fmt::format("  {:>10} {:<12} {}\n", format_time(e.t), log.name(e.node), what);
}

OJson tally_json(const EventLog& log, const StakeTally& t) {
  OJson j;
  j["block"] = t.block;
  j["nil"] = t.nil;
  j["other"] = t.other;
  j["missing"] = t.missing;
  OJson missing = OJson::array();
  for (std::size_t n : t.missing_nodes) missing.push_back(log.name(n));
  j["missing_nodes"] = missing;
  return j;
}

OJson round_json(const EventLog& log, const RoundStory& r) {
  OJson j;
  j["round"] = r.round;
  j["start_us"] = r.start_us;
  j["entered_by"] = r.start_reason;
  j["proposer"] = r.proposer >= 0 ? OJson(log.name(static_cast<std::size_t>(r.proposer))) : OJson(nullptr);
  j["proposer_state"] = r.proposer_state;
  j["proposer_fault"] = r.proposer_fault;
  j["block"] = r.block.empty() ? OJson(nullptr) : OJson(r.block);
  j["proposal_stake"] = r.proposal_stake;
  j["proposal_quorum_after_us"] = r.proposal_quorum_after_us ? OJson(*r.proposal_quorum_after_us) : OJson(nullptr);
  j["proposal_late_stake"] = r.proposal_late_stake;
  j["prevotes"] = tally_json(log, r.prevotes);
  j["precommits"] = tally_json(log, r.precommits);
  OJson timeouts = OJson::array();
  for (const auto& t : r.timeouts) timeouts.push_back(OJson{{"step", t.step}, {"delay_us", t.delay_us}, {"nodes", t.nodes}});
  j["timeouts"] = timeouts;
  j["prevote_quorum_after_us"] = r.prevote_quorum_after_us ? OJson(*r.prevote_quorum_after_us) : OJson(nullptr);
  j["precommit_quorum_after_us"] = r.precommit_quorum_after_us ? OJson(*r.precommit_quorum_after_us) : OJson(nullptr);
  OJson late = OJson::array();
  for (std::size_t n : r.late_voters) late.push_back(log.name(n));
  j["late_voters"] = late;
  j["prevote_reasons"] = r.prevote_reasons;
  j["decided"] = r.decided;
  j["why"] = r.why;
  return j;
}

}  // namespace

std::string story_text(const EventLog& log, const HeightStory& story, const std::vector<std::size_t>& nodes) {
  std::string out;
  const std::string decided = story.decided_round
                                  ? fmt::format("decided in round {} at {}, {} after it began", *story.decided_round,
                                                format_time(*story.decided_us), seconds(*story.decided_us - story.start_us))
                                  : std::string("not decided in the log");
  out += fmt::format("height {}: {} round(s) from {}, {}\n", story.height, story.rounds.size(),
                     format_time(story.start_us), decided);
  for (const auto& f : story.faults) out += "  fault " + f + "\n";
  if (story.committed_by.size() > 1) {
    out += fmt::format("  CONFLICT: {} different blocks committed at height {}:\n", story.committed_by.size(), story.height);
    for (const auto& [block, who] : story.committed_by) out += fmt::format("    {} by {}\n", block, names(log, who));
  }
  for (const auto& r : story.rounds) out += r.why + "\n";
  for (const auto& r : story.rounds) round_text(out, log, r, story.total_stake);
  if (nodes.empty()) return out;
  out += "\nevents of " + names(log, nodes) + ":\n";
  for (const LogEvent& e : log.events) {
    if (e.height == story.height && std::find(nodes.begin(), nodes.end(), e.node) != nodes.end()) {
      out += event_line(log, e);
    }
  }
  return out;
}

OJson story_json(const EventLog& log, const HeightStory& story, const std::vector<std::size_t>& nodes) {
  OJson j;
  j["height"] = story.height;
  j["total_stake"] = story.total_stake;
  j["start_us"] = story.start_us;
  j["decided_us"] = story.decided_us ? OJson(*story.decided_us) : OJson(nullptr);
  j["decided_round"] = story.decided_round ? OJson(*story.decided_round) : OJson(nullptr);
  j["faults"] = story.faults;
  OJson committed = OJson::object();
  for (const auto& [block, by] : story.committed_by) {
    OJson who = OJson::array();
    for (std::size_t n : by) who.push_back(log.name(n));
    committed[block] = who;
  }
  j["committed_by"] = committed;
  OJson rounds = OJson::array();
  for (const auto& r : story.rounds) rounds.push_back(round_json(log, r));
  j["rounds"] = rounds;
  OJson events = OJson::array();
  for (const LogEvent& e : log.events) {
    if (e.height != story.height || std::find(nodes.begin(), nodes.end(), e.node) == nodes.end()) continue;
    events.push_back(OJson{{"t", e.t}, {"node", log.name(e.node)}, {"kind", e.kind}, {"round", e.round},
                           {"block", e.block}, {"text", e.text}});
  }
  if (!nodes.empty()) j["node_events"] = events;
  return j;
}

}  // namespace mt::sim
