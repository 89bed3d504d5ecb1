// `round_partitions: {heights: [a, b], schedule: [[[v[0], v[1]], [v_twin[0], v[2], v[3]]], ...]}`:
// Twins-style per-round partitions (Bano et al. 2020). Round r of each height in [a, b] uses
// schedule[r] (the last entry for every later round): the groups listed, plus one group of every
// node no group names. Proposals and votes of that (height, round) cross no group boundary; sync,
// txs and evidence flow. After the heights, or when the fault ends, nothing is cut.
//
// No new filter: the fault is expanded here into ordinary `messages` rules, one per (round, group,
// kind) — `drop proposal|vote from GROUP to EVERY OTHER NODE at heights [a, b], rounds [r, r]` —
// with ids `<id>.r<round>.g<group>.<kind>` and the fault's trigger and end. The resolved scenario
// lists those rules (what runs); each rule reads the (height, round) of the message it judges.
#include "sim/scenario/read_sections.hpp"

#include <limits>
#include <fmt/format.h>

namespace mt::sim::detail {
namespace {

using Partition = std::vector<std::vector<std::size_t>>;  // node indices per group

Selector nodes_selector(const Scenario& s, const std::vector<std::size_t>& nodes) {
  Selector any;
  any.kind = Selector::Kind::any_of;
  for (std::size_t i : nodes) {
    Selector one;
    one.kind = Selector::Kind::node;
    one.group = s.validators[i].group;
    one.index = s.validators[i].index_in_group;
    any.items.push_back(std::move(one));
  }
  return any;
}

// One schedule entry: a list of groups (each a selector), disjoint; the unnamed nodes form one more.
std::optional<Partition> read_partition_entry(const YamlNode& node, const std::string& what, const Scenario& s,
                                              Diagnostics& diag) {
  if (!node.is_seq() || node.children.empty()) {
    diag.error(node.loc, what + ": expected a list of groups, e.g. [[v[0], v[1]], [v_twin[0], v[2]]]");
    return std::nullopt;
  }
  const auto targets = s.selector_targets();
  std::vector<int> group_of(s.validators.size(), -1);
  Partition p;
  for (const auto& g : node.children) {
    auto sel = read_selector(g, diag);
    if (!sel) return std::nullopt;
    auto nodes = resolve_selector(*sel, targets, s.seed.value_or(1));
    if (!nodes.ok() || selector_needs_runtime(*sel)) {
      diag.error(g.loc, what + ": " + (nodes.ok() ? "a group must name fixed nodes" : nodes.error().message));
      return std::nullopt;
    }
    for (std::size_t i : nodes.value()) {
      if (group_of[i] >= 0) diag.error(g.loc, what + ": " + s.validators[i].name + " is in two groups of one round");
      group_of[i] = static_cast<int>(p.size());
    }
    p.push_back(nodes.value());
  }
  std::vector<std::size_t> rest;
  for (std::size_t i = 0; i < group_of.size(); ++i) {
    if (group_of[i] < 0) rest.push_back(i);
  }
  if (!rest.empty()) p.push_back(std::move(rest));
  return p;
}

// The rules of one round: each group's proposals and votes dropped to every node outside it.
void add_round(const FaultConfig& base, std::pair<std::uint64_t, std::uint64_t> heights,
               std::pair<std::uint32_t, std::uint32_t> rounds, const Partition& p, Scenario& s) {
  if (p.size() < 2) return;  // one group: nothing is cut in this round
  for (std::size_t g = 0; g < p.size(); ++g) {
    std::vector<std::size_t> others;
    for (std::size_t h = 0; h < p.size(); ++h) {
      if (h != g) others.insert(others.end(), p[h].begin(), p[h].end());
    }
    std::sort(others.begin(), others.end());
    for (const char* kind : {"proposal", "vote"}) {
      FaultConfig f = base;
      f.id = fmt::format("{}.r{}.g{}.{}", base.id, rounds.first, g, kind);
      f.action = FaultAction::messages;
      f.targets = nodes_selector(s, p[g]);
      f.to = nodes_selector(s, others);
      f.message_rule = MessageRuleConfig{kind, heights, rounds, true, 0, false};
      s.faults.push_back(std::move(f));
    }
  }
}

}  // namespace

void read_round_partitions(const YamlNode& node, const std::string& section, const FaultConfig& base, Scenario& s,
                           Diagnostics& diag) {
  MapReader r(node, section, {"heights", "schedule"}, diag);
  if (!r.valid()) return;
  const YamlNode* h = r.get("heights");
  const YamlNode* schedule = r.get("schedule");
  if (h == nullptr || schedule == nullptr) {
    diag.error(node.loc, section + ": needs 'heights' ([first, last]) and 'schedule' (a partition per round)");
    return;
  }
  auto heights = read_range(*h, section + ".heights", diag);
  if (heights && heights->first == 0) diag.error(h->loc, section + ".heights: heights start at 1");
  if (!schedule->is_seq() || schedule->children.empty() || schedule->children.size() > 64) {
    diag.error(schedule->loc, section + ".schedule: expected a list of 1 to 64 partitions (round 0 first)");
    return;
  }
  for (const auto& other : s.faults) {
    if (other.id.starts_with(base.id + ".r")) diag.error(node.loc, section + ": fault id '" + base.id + "' is used twice");
  }
  const auto rounds = static_cast<std::uint32_t>(schedule->children.size());
  for (std::uint32_t k = 0; k < rounds; ++k) {
    auto p = read_partition_entry(schedule->children[k], fmt::format("{}.schedule[{}]", section, k), s, diag);
    if (!p || !heights) continue;
    const std::uint32_t last = k + 1 == rounds ? std::numeric_limits<std::uint32_t>::max() : k;
    add_round(base, *heights, {k, last}, *p, s);
  }
}

}  // namespace mt::sim::detail
