#include "sim/run/fault_timeline.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "sim/engine/streams.hpp"
#include "sim/scenario/selector.hpp"

namespace mt::sim {

namespace {
// Selector salts of a fault's other selectors, derived from its own (kept as they always were:
// changing them moves every group and `to` target).
constexpr std::size_t kSaltStride = 131;
constexpr std::size_t kToSalt = 7;
constexpr std::size_t kStepNodeSalt = 11;
constexpr std::size_t kDescribedNodesMax = 8;

bool is_net_fault(FaultAction a) {
  return a == FaultAction::partition || a == FaultAction::link || a == FaultAction::messages;
}

std::vector<PeerId> peers_of(const std::vector<std::size_t>& nodes) { return {nodes.begin(), nodes.end()}; }

// Whether an event is a validator proposing, or casting the named vote, at the point's height and round.
bool reaches(const ProtocolPoint& p, const Event& e) {
  if (const auto* m = std::get_if<ProposalMade>(&e)) {
    return p.step == ProtocolPoint::Step::propose && m->height == p.height && m->round == p.round;
  }
  if (const auto* v = std::get_if<VoteCast>(&e)) {
    const auto step = v->type == VoteType::prevote ? ProtocolPoint::Step::prevote : ProtocolPoint::Step::precommit;
    return p.step == step && v->height == p.height && v->round == p.round;
  }
  return false;
}
}  // namespace

FaultTimeline::FaultTimeline(FaultPlan plan, const Scenario& scenario, std::vector<std::string> node_names,
                             FaultHooks& hooks, RunView* view)
    : plan_(std::move(plan)), scenario_(scenario), names_(std::move(node_names)), hooks_(hooks), view_(view),
      started_(plan_.faults().size(), false) {
  for (std::size_t i = 0; i < plan_.faults().size(); ++i) {
    const auto& trigger = plan_.faults()[i].start;
    if (!trigger.at_us && trigger.at_height) height_starts_.emplace(*trigger.at_height, i);
    if (trigger.at_step) step_starts_.push_back(i);
  }
}

Result<std::vector<std::size_t>> FaultTimeline::resolve(const Selector& sel, std::size_t salt) {
  std::optional<std::size_t> proposer;
  if (selector_needs_runtime(sel)) proposer = hooks_.proposer();
  auto targets = scenario_.selector_targets();
  return resolve_selector(sel, targets, Streams(plan_.seed()).seed_of("selector", salt), proposer);
}

Result<FaultTimeline::Resolved> FaultTimeline::resolve_all(const PlannedFault& p) {
  const FaultConfig& f = p.fault;
  Resolved r;
  auto targets = resolve(f.targets, p.salt);
  if (!targets.ok()) return targets.error();
  r.targets = std::move(targets).value();
  const bool one_way = f.action == FaultAction::partition && f.partition_mode == FaultConfig::PartitionMode::one_way;
  if (f.action == FaultAction::partition && f.partition_mode == FaultConfig::PartitionMode::groups) {
    for (std::size_t g = 0; g < f.groups.size(); ++g) {
      auto group = resolve(f.groups[g], p.salt * kSaltStride + g);
      if (!group.ok()) return group.error();
      r.groups.push_back(std::move(group).value());
    }
  } else if (one_way || f.action == FaultAction::link || f.action == FaultAction::messages) {
    auto to = resolve(f.to, p.salt * kSaltStride + kToSalt);
    if (!to.ok()) return to.error();
    r.to = std::move(to).value();
  }
  return r;
}

std::optional<FaultTimeline::Started> FaultTimeline::start(std::size_t planned, TimeUs now) {
  started_.at(planned) = true;
  const PlannedFault& p = plan_.faults()[planned];
  const FaultConfig& f = p.fault;
  if (f.action == FaultAction::heal) {
    heal(f.heal_id, now);
    return std::nullopt;
  }
  auto resolved = resolve_all(p);
  if (!resolved.ok()) return std::nullopt;  // validated at load; a runtime selector may match nobody
  const std::size_t ai = active_.size();
  apply(ai, f, resolved.value());
  Active a{planned, std::move(resolved.value().targets), std::move(resolved.value().to), std::nullopt, std::nullopt,
           false};
  const auto lasts = fault_lasts_us(f);
  if (lasts) {
    a.end_at_us = now + *lasts;
  } else if (f.until_height) {
    a.end_at_height = f.until_height;
    height_ends_.emplace(*f.until_height, ai);
  }
  open_window(a, f, now);
  active_.push_back(std::move(a));
  if (fault_is_instant(f)) end(ai, now);
  return Started{ai, lasts};
}

void FaultTimeline::apply(std::size_t ai, const FaultConfig& f, const Resolved& r) {
  const std::size_t n = names_.size();
  switch (f.action) {
    case FaultAction::partition:
      if (f.partition_mode == FaultConfig::PartitionMode::isolate) {
        hooks_.add_partition(ai, Partition::isolate(n, peers_of(r.targets)));
      } else if (f.partition_mode == FaultConfig::PartitionMode::groups) {
        std::vector<std::vector<PeerId>> groups;
        for (const auto& g : r.groups) groups.push_back(peers_of(g));
        hooks_.add_partition(ai, Partition::groups(n, groups));
      } else {
        hooks_.add_partition(ai, Partition::one_way(n, peers_of(r.targets), peers_of(r.to)));
      }
      break;
    case FaultAction::crash:
      for (auto t : r.targets) {
        hooks_.crash(t);
        if (!f.storage.empty()) hooks_.damage_store(t, f.storage);
        if (!f.corrupt.empty()) hooks_.corrupt_store(t, f.corrupt);
      }
      break;
    case FaultAction::pause:
      for (auto t : r.targets) hooks_.pause(t, f.duration_us.value_or(kDefaultPauseUs));
      break;
    case FaultAction::clock_skew:
      for (auto t : r.targets) hooks_.skew_clock(t, f.skew_offset_us, f.drift_ppm);
      break;
    case FaultAction::link:
      for (auto x : r.targets) {
        for (auto y : r.to) {
          if (x != y) hooks_.set_link(x, y, link_fault_of(f));
        }
      }
      break;
    case FaultAction::messages: hooks_.add_message_rule(ai, message_rule_of(f, r.targets, r.to, n)); break;
    case FaultAction::join:
      for (auto t : r.targets) hooks_.submit_validator_tx(t, RegisterValidator{scenario_.validators.at(t).stake});
      break;
    case FaultAction::leave:
      for (auto t : r.targets) hooks_.submit_validator_tx(t, Unbond{scenario_.validators.at(t).stake});
      break;
    case FaultAction::stake:
      for (auto t : r.targets) {
        const Amount old = scenario_.validators.at(t).stake;
        if (f.stake_amount > old) hooks_.submit_validator_tx(t, Bond{f.stake_amount - old});
        if (f.stake_amount < old) hooks_.submit_validator_tx(t, Unbond{old - f.stake_amount});
      }
      break;
    case FaultAction::heal: break;
  }
}

void FaultTimeline::end(std::size_t ai, TimeUs now) {
  Active& a = active_.at(ai);
  if (a.ended) return;
  a.ended = true;
  revert(a, ai);
  close_window(ai, now);
}

void FaultTimeline::revert(const Active& a, std::size_t ai) {
  const FaultConfig& f = config_of(a);
  switch (f.action) {
    case FaultAction::partition: hooks_.remove_partition(ai); break;
    case FaultAction::messages: hooks_.remove_message_rule(ai); break;
    case FaultAction::crash:
      for (auto t : a.targets) hooks_.restart(t, f.wipe);
      break;
    case FaultAction::pause:
      for (auto t : a.targets) hooks_.resume(t);
      break;
    case FaultAction::clock_skew:
      for (auto t : a.targets) hooks_.skew_clock(t, -f.skew_offset_us, 0);
      break;
    case FaultAction::link:
      for (auto x : a.targets) {
        for (auto y : a.to) {
          if (x != y) hooks_.reset_link(x, y);
        }
      }
      break;
    default: break;  // join / leave / stake are instantaneous
  }
}

void FaultTimeline::heal(const std::string& fault_id, TimeUs now) {
  for (std::size_t i = 0; i < active_.size(); ++i) {
    const auto& a = active_[i];
    if (a.ended) continue;
    const FaultConfig& f = config_of(a);
    if ((fault_id.empty() && is_net_fault(f.action)) || f.id == fault_id) end(i, now);
  }
}

FaultTimeline::Due FaultTimeline::due_at_height(std::uint64_t max_height) {
  Due due;
  for (auto it = height_starts_.begin(); it != height_starts_.end() && it->first <= max_height;) {
    if (!started_[it->second]) due.starts.push_back(it->second);
    it = height_starts_.erase(it);
  }
  for (auto it = height_ends_.begin(); it != height_ends_.end() && it->first <= max_height;) {
    if (!active_[it->second].ended) due.ends.push_back(it->second);
    it = height_ends_.erase(it);
  }
  return due;
}

std::vector<std::size_t> FaultTimeline::due_at_event(std::size_t node, const Event& e) {
  std::vector<std::size_t> due;
  for (auto it = step_starts_.begin(); it != step_starts_.end();) {
    const PlannedFault& p = plan_.faults()[*it];
    const ProtocolPoint& point = *p.start.at_step;
    bool hit = !started_[*it] && reaches(point, e);
    if (hit && point.node) {  // validated at load: names validators, resolvable without the run
      auto who = resolve(*point.node, p.salt * kSaltStride + kStepNodeSalt);
      hit = who.ok() && std::find(who.value().begin(), who.value().end(), node) != who.value().end();
    }
    if (hit) {
      due.push_back(*it);
      it = step_starts_.erase(it);
    } else {
      ++it;
    }
  }
  return due;
}

void FaultTimeline::advance(TimeUs now, std::uint64_t max_height) {
  for (std::size_t i = 0; i < plan_.faults().size(); ++i) {
    const auto& trigger = plan_.faults()[i].start;
    if (started_[i]) continue;
    if ((trigger.at_us && *trigger.at_us <= now) || (trigger.at_height && *trigger.at_height <= max_height)) {
      (void)start(i, now);
    }
  }
  for (std::size_t i = 0; i < active_.size(); ++i) {
    const auto& a = active_[i];
    if (a.ended) continue;
    if ((a.end_at_us && *a.end_at_us <= now) || (a.end_at_height && *a.end_at_height <= max_height)) end(i, now);
  }
}

std::vector<std::size_t> FaultTimeline::nodes_of(std::size_t active) const {
  std::vector<std::size_t> nodes = active_.at(active).targets;
  nodes.insert(nodes.end(), active_.at(active).to.begin(), active_.at(active).to.end());
  return nodes;
}

void FaultTimeline::end_pauses(TimeUs now) {
  for (std::size_t i = 0; i < active_.size(); ++i) {
    if (!active_[i].ended && config_of(active_[i]).action == FaultAction::pause) end(i, now);
  }
}

std::string FaultTimeline::describe(const std::vector<std::size_t>& nodes) const {
  std::string s;
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    if (k == kDescribedNodesMax) return fmt::format("{}, ... ({} nodes)", s, nodes.size());
    if (!s.empty()) s += ", ";
    s += names_.at(nodes[k]);
  }
  return s;
}

void FaultTimeline::open_window(const Active& a, const FaultConfig& f, TimeUs now) {
  FaultWindow w{f.id, to_string(f.action), describe(a.targets), now, -1};
  if (!a.to.empty()) w.targets += " -> " + describe(a.to);
  windows_.push_back(w);
  if (view_ != nullptr) view_->faults.push_back(std::move(w));
}

void FaultTimeline::close_window(std::size_t ai, TimeUs now) {
  windows_.at(ai).end_us = now;
  if (view_ != nullptr) view_->faults.at(ai).end_us = now;
}

}  // namespace mt::sim
