#include "testnet/fault_driver.hpp"

#include <algorithm>

#include "sim/engine/streams.hpp"
#include "sim/scenario/selector.hpp"

namespace mt::testnet {

using sim::FaultAction;
using sim::FaultConfig;

FaultDriver::FaultDriver(const sim::Scenario& scenario, std::uint64_t seed, std::vector<std::string> node_names,
                         FaultHooks hooks)
    : scenario_(scenario), seed_(seed), names_(std::move(node_names)), hooks_(std::move(hooks)),
      fired_(scenario.faults.size(), false), pushed_(names_.size()) {}

Result<std::vector<std::size_t>> FaultDriver::resolve(const sim::Selector& sel, std::size_t salt) const {
  // The same seed the simulator's FaultInjector uses (Streams(seed).seed_of("selector", salt)).
  auto targets = scenario_.selector_targets();
  return sim::resolve_selector(sel, targets, sim::Streams(seed_).seed_of("selector", salt));
}

std::string FaultDriver::describe(const std::vector<std::size_t>& nodes) const {
  std::string s;
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    if (k == 8) return s + ", ... (" + std::to_string(nodes.size()) + " nodes)";
    s += (s.empty() ? "" : ", ") + names_.at(nodes[k]);
  }
  return s;
}

void FaultDriver::tick(TimeUs now, std::uint64_t max_height) {
  for (std::size_t i = 0; i < scenario_.faults.size(); ++i) {
    const auto& f = scenario_.faults[i];
    if (fired_[i]) continue;
    if ((f.at_us && *f.at_us <= now) || (f.at_height && *f.at_height <= max_height)) {
      fired_[i] = true;
      fire(i, now);
    }
  }
  for (auto& a : active_) {
    if (a.ended) continue;
    if ((a.end_at_us && *a.end_at_us <= now) || (a.end_at_height && *a.end_at_height <= max_height)) end(a, now);
  }
  push_rules();
}

void FaultDriver::fire(std::size_t ci, TimeUs now) {
  const FaultConfig& f = scenario_.faults[ci];
  if (f.action == FaultAction::heal) {
    for (auto& a : active_) {
      const auto& af = scenario_.faults[a.config_index];
      const bool net_fault = af.action == FaultAction::partition || af.action == FaultAction::link;
      if (!a.ended && ((f.heal_id.empty() && net_fault) || af.id == f.heal_id)) end(a, now);
    }
    return;
  }
  auto targets = resolve(f.targets, ci);
  if (!targets.ok()) return;
  Active a;
  a.config_index = ci;
  a.targets = targets.value();
  const std::size_t n = names_.size();
  std::vector<PeerId> set(a.targets.begin(), a.targets.end());
  switch (f.action) {
    case FaultAction::partition:
      if (f.partition_mode == FaultConfig::PartitionMode::isolate) {
        a.partition = sim::Partition::isolate(n, set);
      } else if (f.partition_mode == FaultConfig::PartitionMode::groups) {
        std::vector<std::vector<PeerId>> groups;
        for (std::size_t g = 0; g < f.groups.size(); ++g) {
          auto r = resolve(f.groups[g], ci * 131 + g);
          if (!r.ok()) return;
          groups.emplace_back(r.value().begin(), r.value().end());
        }
        a.partition = sim::Partition::groups(n, groups);
      } else {
        auto to = resolve(f.to, ci * 131 + 7);
        if (!to.ok()) return;
        a.to = to.value();
        a.partition = sim::Partition::one_way(n, set, std::vector<PeerId>(a.to.begin(), a.to.end()));
      }
      break;
    case FaultAction::link: {
      auto to = resolve(f.to, ci * 131 + 7);
      if (!to.ok()) return;
      a.to = to.value();
      a.delay_us = f.link_delay_us.value_or(0);
      break;
    }
    case FaultAction::crash:
      for (auto t : a.targets) hooks_.crash(t);
      break;
    case FaultAction::pause:
      for (auto t : a.targets) hooks_.pause(t);
      break;
    default: return;  // refused before the run (testnet_scope.cpp)
  }
  sim::FaultWindow w;
  w.id = f.id;
  w.kind = sim::to_string(f.action);
  w.targets = describe(a.targets) + (a.to.empty() ? "" : " -> " + describe(a.to));
  w.start_us = now;
  w.end_us = -1;
  a.window = windows_.size();
  windows_.push_back(w);
  std::optional<TimeUs> after = f.duration_us;
  if (f.action == FaultAction::pause && !after) after = sec(10);  // the simulator's default
  if (f.action == FaultAction::crash && f.restart_after_us) after = f.restart_after_us;
  if (after) a.end_at_us = now + *after;
  if (f.until_height) a.end_at_height = f.until_height;
  active_.push_back(std::move(a));
}

void FaultDriver::end(Active& a, TimeUs now) {
  if (a.ended) return;
  a.ended = true;
  const FaultConfig& f = scenario_.faults[a.config_index];
  if (f.action == FaultAction::crash) {
    for (auto t : a.targets) hooks_.restart(t, f.wipe);
    // A restarted node starts with no rules: send it the current ones again.
    for (auto t : a.targets) pushed_.at(t) = LinkRules{{PeerId(~0u)}, {}, {}};
  }
  if (f.action == FaultAction::pause) {
    for (auto t : a.targets) hooks_.resume(t);
  }
  windows_.at(a.window).end_us = now;
}

LinkRules FaultDriver::rules_of(std::size_t node) const {
  LinkRules r;
  const auto me = static_cast<PeerId>(node);
  for (const auto& a : active_) {
    if (a.ended) continue;
    for (PeerId p = 0; p < names_.size(); ++p) {
      if (p == me) continue;
      if (a.partition && a.partition->blocks(me, p)) r.blocked_out.insert(p);
      if (a.partition && a.partition->blocks(p, me)) r.blocked_in.insert(p);
    }
    if (a.delay_us > 0 && std::find(a.targets.begin(), a.targets.end(), node) != a.targets.end()) {
      for (auto t : a.to) {
        if (t != node) r.delay_out[static_cast<PeerId>(t)] = std::max(r.delay_out[static_cast<PeerId>(t)], a.delay_us);
      }
    }
  }
  return r;
}

void FaultDriver::push_rules() {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    LinkRules r = rules_of(i);
    if (r == pushed_[i]) continue;
    if (hooks_.set_rules(i, r)) pushed_[i] = std::move(r);
  }
}

void FaultDriver::finish(TimeUs now) {
  for (auto& a : active_) {
    const auto action = scenario_.faults[a.config_index].action;
    if (!a.ended && action == FaultAction::pause) end(a, now);  // a stopped process cannot be stopped cleanly
  }
}

std::vector<sim::FaultSpan> FaultDriver::spans() const {
  std::vector<sim::FaultSpan> out;
  for (const auto& w : windows_) out.push_back(sim::FaultSpan{w.id, w.kind, w.start_us, w.end_us});
  return out;
}

}  // namespace mt::testnet
