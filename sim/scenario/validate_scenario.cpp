// Cross-section checks: what no single section can know alone.
#include "sim/scenario/read_sections.hpp"

#include <fmt/format.h>

#include "sim/scenario/check_registry.hpp"

namespace mt::sim::detail {
namespace {

bool has_fault(const Scenario& s, const std::string& id) {
  return std::any_of(s.faults.begin(), s.faults.end(), [&](const FaultConfig& f) { return f.id == id; });
}

std::vector<std::string> fault_ids(const Scenario& s) {
  std::vector<std::string> ids;
  for (const auto& f : s.faults) ids.push_back(f.id);
  return ids;
}

void check_selector(const Selector& sel, const Scenario& s, const std::vector<SelectorTarget>& targets,
                    Diagnostics& diag) {
  if (selector_needs_runtime(sel)) return;
  auto r = resolve_selector(sel, targets, s.seed.value_or(1));
  if (!r) diag.error(SourceLoc{}, r.error().message);
}

void check_peers(const Scenario& s, Diagnostics& diag) {
  const auto& p = s.network.peers;
  const std::size_t n = s.validators.size();
  const SourceLoc& at = p.loc;
  if (p.kind == PeersConfig::Kind::random_regular) {
    if (p.degree == 0 || p.degree >= n) {
      diag.error(
          at, fmt::format("network.peers: random_regular degree {} needs 1 <= degree < {} (the number of validators)",
                          p.degree, n));
    } else if (n * p.degree % 2 != 0) {
      diag.error(at, "network.peers: random_regular needs validators x degree to be even");
    } else if (p.degree == 1 && n > 2) {
      diag.error(at, "network.peers: random_regular with degree 1 is never connected beyond two validators");
    }
  }
  if (p.kind == PeersConfig::Kind::small_world && (p.k < 2 || p.k % 2 != 0 || p.k >= n)) {
    diag.error(at, fmt::format("network.peers: small_world needs an even k with 2 <= k < {}", n));
  }
}

void check_network(const Scenario& s, Diagnostics& diag) {
  for (const auto& pair : s.network.matrix) {
    for (const auto* z : {&pair.from, &pair.to}) {
      if (std::find(s.network.zones.begin(), s.network.zones.end(), *z) == s.network.zones.end()) {
        diag.error(pair.loc, "network.latency.matrix: unknown zone '" + *z + "'" +
                                                did_you_mean(*z, s.network.zones));
      }
    }
  }
  check_peers(s, diag);
}

void check_times(Scenario& s, Diagnostics& diag) {
  const SourceLoc top{s.file, 0, 0};
  if (!s.duration_us && !s.stop_at_height) diag.error(top, "the run needs an end: 'duration' and/or 'stop_at_height'");
  if (s.duration_us && *s.duration_us == 0) diag.error(top, "duration must be above 0");
  if (s.duration_us && s.warmup_us >= *s.duration_us) diag.error(top, "warmup must be shorter than duration");
  const TimeUs end = s.duration_us.value_or(-1);
  for (std::size_t i = 0; i < s.load.size(); ++i) {
    auto& seg = s.load[i];
    if (seg.until_us < 0) seg.until_us = end;
    if (end >= 0 && seg.from_us >= end) diag.error(seg.loc, fmt::format("load[{}]: starts after the run ends", i));
  }
  for (const auto& f : s.faults) {
    if (end >= 0 && f.at_us && *f.at_us >= end) diag.error(f.loc, "fault '" + f.id + "' starts after the run ends");
    const auto at_height = f.at_step ? std::optional<std::uint64_t>(f.at_step->height) : f.at_height;
    if (s.stop_at_height && at_height && *at_height >= *s.stop_at_height) {
      diag.error(f.loc, "fault '" + f.id + "' triggers at or after stop_at_height");
    }
  }
  if (s.nemesis) {
    if (s.nemesis->until_us < 0) s.nemesis->until_us = end;
    if (end >= 0 && s.nemesis->from_us >= end) diag.error(s.nemesis->loc, "nemesis: starts after the run ends");
  }
}

void check_fault_targets(const Scenario& s, const std::vector<SelectorTarget>& targets, Diagnostics& diag) {
  for (std::size_t k = 0; k < s.faults.size(); ++k) {
    const auto& f = s.faults[k];
    if (f.at_step && f.at_step->node) {
      check_selector(*f.at_step->node, s, targets, diag);
      if (selector_needs_runtime(*f.at_step->node)) {
        diag.error(f.loc, "fault '" + f.id + "': at.node must name validators (not the proposer, known only while running)");
      }
    }
    if (f.action == FaultAction::heal) {
      if (!f.heal_id.empty() && !has_fault(s, f.heal_id)) {
        diag.error(f.loc, "heal: no fault with id '" + f.heal_id + "'" + did_you_mean(f.heal_id, fault_ids(s)));
      }
      continue;
    }
    if (f.action == FaultAction::partition && f.partition_mode == FaultConfig::PartitionMode::groups) {
      for (const auto& g : f.groups) check_selector(g, s, targets, diag);
    } else {
      check_selector(f.targets, s, targets, diag);
    }
    if (f.action == FaultAction::link || f.action == FaultAction::messages || (f.action == FaultAction::partition &&
                                          f.partition_mode == FaultConfig::PartitionMode::one_way)) {
      check_selector(f.to, s, targets, diag);
    }
    if ((f.action == FaultAction::join || f.action == FaultAction::leave) && !selector_needs_runtime(f.targets)) {
      auto who = resolve_selector(f.targets, targets, s.seed.value_or(1));
      const bool want_genesis = f.action == FaultAction::leave;
      for (std::size_t i : who ? who.value() : std::vector<std::size_t>{}) {
        if (s.validators[i].at_genesis != want_genesis) {
          diag.error(f.loc, "fault '" + f.id + "': " + s.validators[i].name +
                                (want_genesis ? " is not a genesis validator, so it cannot leave"
                                              : " is already a validator at genesis (declare its group with at_genesis: false)"));
          break;
        }
      }
    }
  }
  if (s.nemesis) {
    for (const auto& t : s.nemesis->targets) check_selector(t, s, targets, diag);
  }
}

void check_expectations(const Scenario& s, const std::vector<SelectorTarget>& targets, Diagnostics& diag) {
  for (const auto& e : s.expect) {
    if ((e.window.kind == Window::Kind::during || e.window.kind == Window::Kind::after) && !has_fault(s, e.window.fault_id)) {
      diag.error(e.loc, "window '" + e.window.to_string() + "': no fault with that id" +
                            did_you_mean(e.window.fault_id, fault_ids(s)));
    }
    if (e.name == "recovers" && !e.after.empty() && !has_fault(s, e.after)) {
      diag.error(e.loc, "recovers: no fault with id '" + e.after + "'" + did_you_mean(e.after, fault_ids(s)));
    }
    if (e.who) check_selector(*e.who, s, targets, diag);
    if (e.min && e.max && e.min->unit == e.max->unit && e.min->to_string() != e.max->to_string()) {
      const bool inverted = (e.min->unit == Bound::Unit::number && e.min->number > e.max->number) ||
                            (e.min->unit == Bound::Unit::duration && e.min->time_us > e.max->time_us);
      if (inverted) diag.error(e.loc, "expectation '" + e.name + "': min is above max");
    }
  }
  for (const auto& g : s.groups) {
    if (g.byzantine && g.byzantine->to) check_selector(*g.byzantine->to, s, targets, diag);
  }
}

}  // namespace

// Subnet load and checks need a `subnets:` section; subnets need the chain's limits.
void check_subnets(const Scenario& s, Diagnostics& diag) {
  for (const auto& l : s.load) {
    if ((l.tx == LoadTx::set_weights || l.tx == LoadTx::register_neuron) && s.subnets.empty()) {
      diag.error(l.loc, "load: tx " + to_string(l.tx) + " needs a 'subnets:' section");
    }
  }
  for (const auto& e : s.expect) {
    const CheckSpec* check = e.kind == Expectation::Kind::check ? find_check(e.name) : nullptr;
    if (check != nullptr && check->needs_subnets && s.subnets.empty()) {
      diag.error(e.loc, "expect: check " + e.name + " needs a 'subnets:' section");
    }
  }
  const Params& p = s.chain.params;
  if (s.subnets.size() > p.max_subnets) {
    diag.error(SourceLoc{s.file, 0, 0}, fmt::format("subnets: more than chain.max_subnets ({})", p.max_subnets));
  }
  for (const auto& sn : s.subnets) {
    if (sn.max_neurons > p.max_neurons_per_subnet) {
      diag.error(sn.loc, "subnets: '" + sn.name + "' max_neurons above chain.max_neurons_per_subnet");
    }
  }
}

// A size above the chain's max_tx_bytes would make every such transaction oversize (rejected at
// admission), which is never what a size mix means: say so at load time.
void check_load_sizes(const Scenario& s, Diagnostics& diag) {
  for (std::size_t i = 0; i < s.load.size(); ++i) {
    for (const auto& share : s.load[i].size) {
      if (share.bytes <= s.chain.params.max_tx_bytes) continue;
      diag.error(s.load[i].loc, fmt::format("load[{}].size: {} bytes is above chain.max_tx_bytes ({})", i, share.bytes,
                                            s.chain.params.max_tx_bytes));
    }
  }
}

void validate_scenario(Scenario& s, Diagnostics& diag) {
  check_times(s, diag);
  check_subnets(s, diag);
  check_load_sizes(s, diag);
  if (s.validators.empty()) return;  // already reported
  if (std::none_of(s.validators.begin(), s.validators.end(), [](const ResolvedValidator& v) { return v.at_genesis; })) {
    diag.error(SourceLoc{s.file, 0, 0}, "validators: at least one group must be a validator at genesis");
  }
  check_network(s, diag);
  const auto targets = s.selector_targets();
  check_fault_targets(s, targets, diag);
  check_expectations(s, targets, diag);
  if (auto st = s.chain.params.validate(); !st) diag.error(SourceLoc{s.file, 0, 0}, "chain: " + st.error().message);
  if (s.chain.params.quorum_below_bft()) {
    const std::string w = fmt::format(
        "chain.quorum {}/{} is below 2/3: the chain is not BFT-safe (allowed, to reproduce that class of bug)",
        s.chain.params.quorum_num, s.chain.params.quorum_den);
    s.warnings.push_back(w);
  }
}

}  // namespace mt::sim::detail
