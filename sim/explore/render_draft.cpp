// A Draft in the scenario format (docs/scenario-reference.md), one flow mapping per group, fault
// and expectation, as people write them.
#include <fmt/format.h>

#include <algorithm>

#include "sim/explore/draft.hpp"
#include "sim/scenario/units.hpp"

namespace mt::sim::explore {

namespace {

std::string stake_list(const std::vector<Amount>& stakes) {
  std::string s = "[";
  for (std::size_t i = 0; i < stakes.size(); ++i) s += (i ? ", " : "") + amount_to_string(stakes[i]);
  return s + "]";
}

std::string joined(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
  return s.empty() ? "none" : s;
}

// Downtime slashing needs only 10% of a window signed: a drawn network may be slow and lossy
// enough that an honest validator far from the proposers misses half of the commits, which the
// chain (rightly) slashes and honest_never_slashed would report as a false alarm. On a slow
// network (`slow`) every precommit is seconds late and a block's commit holds those that arrived
// in time: the slowest validators can miss nine in ten, so downtime slashing is off there. With a
// stale_evidence validator the evidence window is 8 blocks, so that height 1 falls out of it
// within a drawn run.
std::string render_chain(const ChainDraw& c, bool short_evidence_window, bool slow) {
  return fmt::format(
      "chain: {{ block_time: {}, crypto: {}, downtime_min_signed: {},{} timeouts: {{ propose: {}, propose_delta: {}, prevote: {}, "
      "prevote_delta: {}, precommit: {}, precommit_delta: {} }} }}\n",
      format_duration(c.block_time_us), c.fast_crypto ? "fast" : "real", slow ? "0%" : "10%",
      short_evidence_window ? " evidence_max_age_blocks: 8," : "", format_duration(c.propose_us),
      format_duration(c.propose_delta_us), format_duration(c.vote_us), format_duration(c.vote_delta_us),
      format_duration(c.vote_us), format_duration(c.vote_delta_us));
}

std::string render_validators(const ValidatorDraw& v) {
  std::string s = "validators:\n";
  s += fmt::format("  - {{ group: v, count: {}, stake: {} }}\n", v.honest.size(), stake_list(v.honest));
  if (!v.twins.empty()) {
    s += fmt::format("  - {{ group: t, count: {}, stake: {}, twin: true }}\n", v.twins.size(), stake_list(v.twins));
  }
  for (const auto& g : v.byz) {
    std::string b = "behavior: " + g.behaviour;
    if (!g.params.empty()) b += ", " + g.params;
    if (!g.window.empty()) b += ", " + g.window;
    s += fmt::format("  - {{ group: {}, count: {}, stake: {}, byzantine: {{ {} }} }}\n", g.name, g.stakes.size(),
                     stake_list(g.stakes), b);
  }
  if (!v.late.empty()) {
    s += fmt::format("  - {{ group: late, count: {}, stake: {}, at_genesis: false }}\n", v.late.size(), stake_list(v.late));
  }
  return s;
}

std::string render_faults(const Draft& d) {
  std::string s;
  if (!d.faults.empty()) s += "faults:\n";
  for (std::size_t i = 0; i < d.faults.size(); ++i) {
    const auto& f = d.faults[i];
    std::string trigger = f.at_height > 0 ? fmt::format("at_height: {}", f.at_height) : "at: " + format_duration(f.at_us);
    if (f.at_height > 0 && !f.at_step.empty()) trigger = fmt::format("at: {{ height: {}, {} }}", f.at_height, f.at_step);
    s += fmt::format("  - {{ id: f{}-{}, {}, {} }}\n", i + 1, f.kind, trigger, f.body);
  }
  if (!d.nemesis.empty()) s += "nemesis: " + d.nemesis + "\n";
  return s;
}

}  // namespace

std::string render_draft(const Draft& d, const std::string& envelope_name) {
  std::string s = "version: 1\n";
  s += fmt::format("name: explore-seed{}\n", d.seed);
  s += fmt::format("description: \"drawn by mtsim explore from {} (seed {}); {} validators, {} stake; faults: {}; "
                   "behaviours: {}{}\"\n",
                   envelope_name, d.seed, d.validators.size(), d.validators.shape, joined(d.swarm.faults),
                   joined(d.swarm.behaviours), d.over_third ? "; byzantine stake >= 1/3 on purpose" : "");
  s += fmt::format("seed: {}\nduration: {}\n", d.seed, format_duration(d.duration_us));
  const bool stale = std::any_of(d.validators.byz.begin(), d.validators.byz.end(),
                                 [](const ByzGroup& g) { return g.behaviour == "stale_evidence"; });
  s += render_chain(d.chain, stale, d.slow_us > 0);
  s += "network:\n" + d.network;
  s += render_validators(d.validators);
  s += d.load;
  s += render_faults(d);
  if (!d.expect.empty()) s += "expect:\n";
  for (const auto& e : d.expect) s += "  - " + e + "\n";
  return s;
}

}  // namespace mt::sim::explore
