#include "sim/faults/fault_injector.hpp"

#include <algorithm>

namespace mt::sim {

namespace {
constexpr Amount kJoinFee = 1;
// The most unsynced transactions a store keeps for lose_unsynced: the OS writes older ones back on
// its own. A node writes one block transaction a height and a synced record write every vote, so
// a crash rarely has more than a few to lose.
constexpr std::size_t kUnsyncedLogMax = 64;

double ppm_prob(Ppm p) { return static_cast<double>(p) / static_cast<double>(kPpmOne); }

std::vector<std::string> names_of(const RunView& view) {
  std::vector<std::string> names;
  for (const auto& n : view.nodes) names.push_back(n.name);
  return names;
}
}  // namespace

FaultInjector::FaultInjector(World& world, const Scenario& scenario, FaultPlan plan)
    : world_(world), scenario_(scenario),
      timeline_(std::move(plan), scenario, names_of(world.view()), *this, &world.view()) {
  if (timeline_.plan().loses_unsynced()) world_.keep_unsynced_logs(kUnsyncedLogMax);
}

void FaultInjector::arm() {
  const auto& faults = timeline_.plan().faults();
  for (std::size_t i = 0; i < faults.size(); ++i) {
    if (!faults[i].nemesis && faults[i].start.at_us) {
      world_.scheduler().schedule_at(*faults[i].start.at_us, [this, i] { start(i); });
    }
  }
  next_nemesis_ = static_cast<std::size_t>(
      std::find_if(faults.begin(), faults.end(), [](const PlannedFault& p) { return p.nemesis; }) - faults.begin());
  const NemesisSteps& steps = timeline_.plan().nemesis_steps();
  if (!steps.empty()) world_.scheduler().schedule_at(steps.from_us, [this] { nemesis_step(); });
}

void FaultInjector::start(std::size_t planned) {
  current_fault_ = timeline_.plan().faults()[planned].fault.id;
  auto started = timeline_.start(planned, world_.scheduler().now());
  report_windows();
  if (started && started->lasts_us) {
    const std::size_t ai = started->active;
    world_.scheduler().schedule_after(*started->lasts_us, [this, ai] { end(ai); });
  }
}

void FaultInjector::end(std::size_t active) {
  current_fault_ = timeline_.windows().at(active).id;
  timeline_.end(active, world_.scheduler().now());
  report_windows();
}

void FaultInjector::report_windows() {
  if (!world_listener_) return;
  const auto& windows = timeline_.windows();
  for (; windows_reported_ < windows.size(); ++windows_reported_) {
    const FaultWindow& w = windows[windows_reported_];
    report(WorldEvent{"fault_begin", w.id, w.kind, w.targets, timeline_.nodes_of(windows_reported_), "", 0, -1});
    end_reported_.push_back(false);
  }
  for (std::size_t i = 0; i < windows.size(); ++i) {
    if (end_reported_[i] || windows[i].end_us < 0) continue;
    end_reported_[i] = true;
    report(WorldEvent{"fault_end", windows[i].id, windows[i].kind, windows[i].targets, timeline_.nodes_of(i), "", 0, -1});
  }
}

void FaultInjector::report(WorldEvent e) {
  if (world_listener_) world_listener_(e);
}

// One event per nemesis step; a step starts the faults the plan drew for it.
void FaultInjector::nemesis_step() {
  const auto& faults = timeline_.plan().faults();
  const TimeUs now = world_.scheduler().now();
  while (next_nemesis_ < faults.size() && faults[next_nemesis_].start.at_us == now) start(next_nemesis_++);
  const NemesisSteps& steps = timeline_.plan().nemesis_steps();
  if (now + steps.every_us <= steps.last_us) {
    world_.scheduler().schedule_at(now + steps.every_us, [this] { nemesis_step(); });
  }
}

void FaultInjector::on_event(std::size_t node, const Event& e) {
  if (timeline_.has_step_triggers()) {
    // A protocol point starts its fault as its own event too, right after the step that reached it.
    for (auto i : timeline_.due_at_event(node, e)) world_.scheduler().schedule_after(0, [this, i] { start(i); });
  }
  const auto* c = std::get_if<BlockCommitted>(&e);
  if (c == nullptr || !world_.view().nodes.at(node).honest || c->height <= max_height_) return;
  max_height_ = c->height;
  // Height triggers fire on the first honest commit of that height, as their own events so a
  // fault never re-enters the node that reported the commit.
  const auto due = timeline_.due_at_height(max_height_);
  for (auto i : due.starts) world_.scheduler().schedule_after(0, [this, i] { start(i); });
  for (auto a : due.ends) world_.scheduler().schedule_after(0, [this, a] { end(a); });
}

void FaultInjector::crash(std::size_t node) {
  report(WorldEvent{"crash", current_fault_, "crash", world_.view().nodes.at(node).name, {node}, "", 0, -1});
  world_.crash(node);
}

void FaultInjector::restart(std::size_t node, bool wipe) {
  report(WorldEvent{"restart", current_fault_, wipe ? "restart_wiped" : "restart", world_.view().nodes.at(node).name,
                    {node}, "", 0, -1});
  world_.restart(node, wipe);
}
void FaultInjector::corrupt_store(std::size_t node, const std::string& table) { world_.corrupt_store(node, table); }
void FaultInjector::damage_store(std::size_t node, const std::string& damage) { world_.damage_store(node, damage); }
void FaultInjector::pause(std::size_t node, TimeUs duration_us) { world_.pause(node, duration_us); }
void FaultInjector::resume(std::size_t /*node*/) {}  // a paused simulated node wakes by itself
void FaultInjector::skew_clock(std::size_t node, TimeUs offset_us, std::int64_t drift_ppm) {
  world_.skew_clock(node, offset_us, drift_ppm);
}

void FaultInjector::add_partition(std::size_t fault, const Partition& partition) {
  partitions_[fault] = world_.network().add_partition(partition);
}

void FaultInjector::remove_partition(std::size_t fault) {
  if (auto it = partitions_.find(fault); it != partitions_.end()) {
    world_.network().remove_partition(it->second);
    partitions_.erase(it);
  }
}

void FaultInjector::add_message_rule(std::size_t fault, const MessageRule& rule) {
  MessageRule r = rule;
  if (r.by_signer) {  // the signers' addresses, from the validators' keys
    const auto& validators = world_.config().validators;
    for (std::size_t i = 0; i < validators.size() && i < r.from.size(); ++i) {
      if (r.from[i]) r.signers.push_back(validators[i].key.public_key());
    }
  }
  message_rules_[fault] = world_.network().add_message_rule(std::move(r));
}

void FaultInjector::remove_message_rule(std::size_t fault) {
  if (auto it = message_rules_.find(fault); it != message_rules_.end()) {
    world_.network().remove_message_rule(it->second);
    message_rules_.erase(it);
  }
}

// A link fault keeps the scenario's other link settings; only the named ones change.
void FaultInjector::set_link(std::size_t from, std::size_t to, const LinkFault& link) {
  LinkParams p;
  p.loss = ppm_prob(link.loss.value_or(scenario_.network.loss));
  p.duplicate = ppm_prob(link.duplicate.value_or(scenario_.network.duplicate));
  p.reorder = ppm_prob(scenario_.network.reorder);
  p.bandwidth_bps = link.bandwidth_bits_per_s.value_or(scenario_.network.bandwidth_bits_per_s);
  if (link.delay_us) p.extra_delay_us = *link.delay_us;
  world_.network().set_link_params(static_cast<PeerId>(from), static_cast<PeerId>(to), p);
}

void FaultInjector::reset_link(std::size_t from, std::size_t to) {
  world_.network().reset_link_params(static_cast<PeerId>(from), static_cast<PeerId>(to));
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

// The proposer of the next height as the most advanced live honest node sees it.
std::optional<std::size_t> FaultInjector::proposer() {
  std::size_t best = world_.size();
  for (std::size_t i = 0; i < world_.size(); ++i) {
    if (world_.is_up(i) && (best == world_.size() || world_.height_of(i) > world_.height_of(best))) best = i;
  }
  if (best == world_.size() || world_.node(best) == nullptr) return std::nullopt;
  auto idx = world_.view().node_by_address(world_.node(best)->state()->validator_set().proposer());
  if (idx < 0) return std::nullopt;
  return static_cast<std::size_t>(idx);
}

}  // namespace mt::sim
