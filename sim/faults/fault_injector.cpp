#include "sim/faults/fault_injector.hpp"

#include <algorithm>

#include "sim/net/partition.hpp"

namespace mt::sim {

namespace {
// Link faults keep the scenario's other link settings; only the named ones change.
double ppm_prob(Ppm p) { return static_cast<double>(p) / static_cast<double>(kPpmOne); }
constexpr Amount kJoinFee = 1;
}  // namespace

FaultInjector::FaultInjector(World& world, const Scenario& scenario)
    : world_(world), scenario_(scenario), nemesis_rng_(world.streams().stream("nemesis")) {}

Result<std::vector<std::size_t>> FaultInjector::resolve(const Selector& sel, std::size_t salt) {
  std::optional<std::size_t> proposer;
  if (selector_needs_runtime(sel)) {
    // The proposer of the next height as the most advanced live honest node sees it.
    std::size_t best = world_.size();
    for (std::size_t i = 0; i < world_.size(); ++i) {
      if (world_.is_up(i) && (best == world_.size() || world_.height_of(i) > world_.height_of(best))) best = i;
    }
    if (best < world_.size() && world_.node(best) != nullptr) {
      auto idx = world_.view().node_by_address(world_.node(best)->state()->validator_set().proposer());
      if (idx >= 0) proposer = static_cast<std::size_t>(idx);
    }
  }
  auto targets = scenario_.selector_targets();
  return resolve_selector(sel, targets, world_.streams().seed_of("selector", salt), proposer);
}

std::string FaultInjector::describe(const std::vector<std::size_t>& nodes) const {
  std::string s;
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    if (k == 8) {
      s += ", ... (" + std::to_string(nodes.size()) + " nodes)";
      break;
    }
    if (!s.empty()) s += ", ";
    s += world_.view().nodes.at(nodes[k]).name;
  }
  return s;
}

Status FaultInjector::arm() {
  for (std::size_t i = 0; i < scenario_.faults.size(); ++i) {
    const auto& f = scenario_.faults[i];
    if (f.at_us) {
      world_.scheduler().schedule_at(*f.at_us, [this, i] { fire(i); });
    } else if (f.at_height) {
      height_triggers_.emplace(*f.at_height, i);
    }
  }
  if (scenario_.nemesis && scenario_.nemesis->interval_us > 0 && !scenario_.nemesis->faults.empty()) {
    world_.scheduler().schedule_at(scenario_.nemesis->from_us, [this] { nemesis_step(); });
  }
  return {};
}

void FaultInjector::on_event(std::size_t node, const Event& e) {
  const auto* c = std::get_if<BlockCommitted>(&e);
  if (c == nullptr || !world_.view().nodes.at(node).honest || c->height <= max_height_) return;
  max_height_ = c->height;
  // Height triggers fire on the first honest commit of that height.
  std::vector<std::size_t> due;
  for (auto it = height_triggers_.begin(); it != height_triggers_.end() && it->first <= max_height_;) {
    due.push_back(it->second);
    it = height_triggers_.erase(it);
  }
  std::vector<std::size_t> ends;
  for (auto it = height_ends_.begin(); it != height_ends_.end() && it->first <= max_height_;) {
    ends.push_back(it->second);
    it = height_ends_.erase(it);
  }
  // Run them as their own events so a fault never re-enters the node that reported the commit.
  for (auto i : due) world_.scheduler().schedule_after(0, [this, i] { fire(i); });
  for (auto a : ends) world_.scheduler().schedule_after(0, [this, a] { end(a); });
}

void FaultInjector::start_window(Active& a, const FaultConfig& f, const std::string& targets) {
  FaultWindow w;
  w.id = f.id;
  w.kind = to_string(f.action);
  w.targets = targets;
  w.start_us = world_.scheduler().now();
  w.end_us = -1;
  a.window_index = windows_.size();
  windows_.push_back(w);
  world_.view().faults.push_back(FaultSpan{w.id, w.kind, w.start_us, -1});
}

void FaultInjector::fire(std::size_t ci) {
  const FaultConfig& f = ci < scenario_.faults.size() ? scenario_.faults[ci] : nemesis_faults_.at(ci - scenario_.faults.size());
  if (f.action == FaultAction::heal) {
    heal(f.heal_id);
    return;
  }
  Active a;
  a.config_index = ci;
  auto targets = resolve(f.targets, ci);
  if (!targets.ok()) return;  // validated at load; a runtime selector may match nobody: skip
  a.targets = targets.value();
  auto& net = world_.network();
  const auto n = world_.size();
  switch (f.action) {
    case FaultAction::partition: {
      std::vector<PeerId> set(a.targets.begin(), a.targets.end());
      if (f.partition_mode == FaultConfig::PartitionMode::isolate) {
        a.partition = net.add_partition(Partition::isolate(n, set));
      } else if (f.partition_mode == FaultConfig::PartitionMode::groups) {
        std::vector<std::vector<PeerId>> groups;
        for (std::size_t g = 0; g < f.groups.size(); ++g) {
          auto r = resolve(f.groups[g], ci * 131 + g);
          if (!r.ok()) return;
          groups.emplace_back(r.value().begin(), r.value().end());
        }
        a.partition = net.add_partition(Partition::groups(n, groups));
      } else {
        auto to = resolve(f.to, ci * 131 + 7);
        if (!to.ok()) return;
        a.to = to.value();
        a.partition = net.add_partition(Partition::one_way(n, set, std::vector<PeerId>(a.to.begin(), a.to.end())));
      }
      break;
    }
    case FaultAction::crash:
      for (auto t : a.targets) world_.crash(t);
      break;
    case FaultAction::pause:
      for (auto t : a.targets) world_.pause(t, f.duration_us.value_or(sec(10)));
      break;
    case FaultAction::clock_skew:
      for (auto t : a.targets) world_.skew_clock(t, f.skew_offset_us, f.drift_ppm);
      break;
    case FaultAction::link: {
      auto to = resolve(f.to, ci * 131 + 7);
      if (!to.ok()) return;
      a.to = to.value();
      LinkParams p;
      p.loss = ppm_prob(scenario_.network.loss);
      p.duplicate = ppm_prob(scenario_.network.duplicate);
      p.reorder = ppm_prob(scenario_.network.reorder);
      p.bandwidth_bps = scenario_.network.bandwidth_bits_per_s;
      if (f.link_delay_us) p.extra_delay_us = *f.link_delay_us;
      if (f.link_loss) p.loss = ppm_prob(*f.link_loss);
      if (f.link_duplicate) p.duplicate = ppm_prob(*f.link_duplicate);
      if (f.link_bandwidth_bits_per_s) p.bandwidth_bps = *f.link_bandwidth_bits_per_s;
      for (auto x : a.targets) {
        for (auto y : a.to) {
          if (x != y) net.set_link_params(static_cast<PeerId>(x), static_cast<PeerId>(y), p);
        }
      }
      break;
    }
    case FaultAction::join:
      for (auto t : a.targets) submit_validator_tx(t, RegisterValidator{world_.config().validators[t].stake});
      break;
    case FaultAction::leave:
      for (auto t : a.targets) submit_validator_tx(t, Unbond{world_.config().validators[t].stake});
      break;
    case FaultAction::stake:
      for (auto t : a.targets) {
        const Amount old = world_.config().validators[t].stake;
        if (f.stake_amount > old) submit_validator_tx(t, Bond{f.stake_amount - old});
        if (f.stake_amount < old) submit_validator_tx(t, Unbond{old - f.stake_amount});
      }
      break;
    case FaultAction::heal: break;
  }
  std::string desc = describe(a.targets);
  if (!a.to.empty()) desc += " -> " + describe(a.to);
  start_window(a, f, desc);
  const std::size_t ai = active_.size();
  active_.push_back(std::move(a));
  // Scheduling the end.
  std::optional<TimeUs> end_after = f.duration_us;
  if (f.action == FaultAction::crash && f.restart_after_us) end_after = f.restart_after_us;
  if (end_after) {
    world_.scheduler().schedule_after(*end_after, [this, ai] { end(ai); });
  } else if (f.until_height) {
    height_ends_.emplace(*f.until_height, ai);
  } else if (f.action == FaultAction::join || f.action == FaultAction::leave || f.action == FaultAction::stake) {
    end(ai);  // instantaneous: the window is the moment the transactions were sent
  }
}

void FaultInjector::end(std::size_t ai) {
  Active& a = active_.at(ai);
  if (a.ended) return;
  a.ended = true;
  const FaultConfig& f = a.config_index < scenario_.faults.size()
                             ? scenario_.faults[a.config_index]
                             : nemesis_faults_.at(a.config_index - scenario_.faults.size());
  auto& net = world_.network();
  switch (f.action) {
    case FaultAction::partition:
      if (a.partition) net.remove_partition(*a.partition);
      break;
    case FaultAction::crash:
      for (auto t : a.targets) world_.restart(t, f.wipe);
      break;
    case FaultAction::clock_skew:
      for (auto t : a.targets) world_.skew_clock(t, -f.skew_offset_us, 0);
      break;
    case FaultAction::link:
      for (auto x : a.targets) {
        for (auto y : a.to) {
          if (x != y) net.reset_link_params(static_cast<PeerId>(x), static_cast<PeerId>(y));
        }
      }
      break;
    default: break;  // pause ends by itself; join/leave/stake are instantaneous
  }
  const TimeUs now = world_.scheduler().now();
  windows_[a.window_index].end_us = now;
  world_.view().faults[a.window_index].end_us = now;
}

void FaultInjector::heal(const std::string& fault_id) {
  for (std::size_t i = 0; i < active_.size(); ++i) {
    const auto& a = active_[i];
    if (a.ended) continue;
    const FaultConfig& f = a.config_index < scenario_.faults.size()
                               ? scenario_.faults[a.config_index]
                               : nemesis_faults_.at(a.config_index - scenario_.faults.size());
    const bool net_fault = f.action == FaultAction::partition || f.action == FaultAction::link;
    if ((fault_id.empty() && net_fault) || f.id == fault_id) end(i);
  }
}

void FaultInjector::submit_validator_tx(std::size_t node, TxPayload payload) {
  const auto& v = world_.config().validators.at(node);
  Transaction tx;
  tx.chain_id = world_.config().genesis.params.chain_id;
  tx.sender = v.key.public_key();
  tx.nonce = validator_nonce_[node]++;
  tx.fee = std::max(kJoinFee, world_.config().genesis.params.min_fee);
  tx.payload = std::move(payload);
  tx.sign(v.key, world_.config().backend);
  auto stx = SignedTx::make(std::move(tx));
  // The validator's own node submits it if it is up; otherwise any live node does.
  for (std::size_t k = 0; k < world_.size(); ++k) {
    std::size_t target = (node + k) % world_.size();
    if (world_.is_up(target)) {
      world_.submit_tx(target, stx);
      return;
    }
  }
}

void FaultInjector::nemesis_step() {
  const auto& nem = *scenario_.nemesis;
  const TimeUs now = world_.scheduler().now();
  if (now >= nem.until_us && nem.until_us > 0) return;
  std::size_t open = 0;
  for (const auto& a : active_) open += (!a.ended && a.config_index >= scenario_.faults.size()) ? 1u : 0u;
  if (open < nem.max_concurrent) {
    FaultConfig f;
    f.id = "nemesis-" + std::to_string(++nemesis_count_);
    const auto& kind = nem.faults[nemesis_rng_.uniform_u64(nem.faults.size())];
    if (nem.targets.empty()) {
      f.targets.kind = Selector::Kind::one;
    } else {
      f.targets = nem.targets[nemesis_rng_.uniform_u64(nem.targets.size())];
    }
    f.duration_us = nem.duration_us > 0 ? nem.duration_us : nem.interval_us / 2;
    if (kind == "partition") {
      f.action = FaultAction::partition;
    } else if (kind == "crash") {
      f.action = FaultAction::crash;
      f.restart_after_us = f.duration_us;
    } else if (kind == "pause") {
      f.action = FaultAction::pause;
    } else if (kind == "clock_skew") {
      f.action = FaultAction::clock_skew;
      f.skew_offset_us = static_cast<TimeUs>(nemesis_rng_.uniform_int(-2'000'000, 2'000'000));
    } else {
      f.action = FaultAction::link;
      f.to.kind = Selector::Kind::all;
      if (kind == "link_delay") f.link_delay_us = static_cast<TimeUs>(nemesis_rng_.uniform_int(50'000, 1'000'000));
      if (kind == "link_loss") f.link_loss = static_cast<Ppm>(nemesis_rng_.uniform_u64(500'000));
      if (kind == "link_duplicate") f.link_duplicate = static_cast<Ppm>(nemesis_rng_.uniform_u64(500'000));
      if (kind == "link_bandwidth") f.link_bandwidth_bits_per_s = 1'000'000;
    }
    nemesis_faults_.push_back(f);
    fire(scenario_.faults.size() + nemesis_faults_.size() - 1);
  }
  world_.scheduler().schedule_after(nem.interval_us, [this] { nemesis_step(); });
}

}  // namespace mt::sim
