#include "testnet/fault_driver.hpp"

namespace mt::testnet {

FaultDriver::FaultDriver(const sim::Scenario& scenario, sim::FaultPlan plan, std::vector<std::string> node_names,
                         ProcessHooks hooks)
    : node_count_(node_names.size()), hooks_(std::move(hooks)),
      timeline_(std::move(plan), scenario, std::move(node_names), *this), pushed_(node_count_) {}

void FaultDriver::tick(TimeUs now, std::uint64_t max_height) {
  timeline_.advance(now, max_height);
  push_rules();
}

void FaultDriver::finish(TimeUs now) { timeline_.end_pauses(now); }  // a stopped process cannot be stopped cleanly

void FaultDriver::crash(std::size_t node) { hooks_.crash(node); }

void FaultDriver::restart(std::size_t node, bool wipe) {
  hooks_.restart(node, wipe);
  pushed_.at(node) = LinkRules{{PeerId(~0u)}, {}, {}};  // a restarted node has no rules: send them again
}

void FaultDriver::pause(std::size_t node, TimeUs /*duration_us: the timeline ends it*/) { hooks_.pause(node); }
void FaultDriver::resume(std::size_t node) { hooks_.resume(node); }

// Refused before the run (testnet_scope.cpp): a process's clock and the validator set are not the
// harness's to change.
void FaultDriver::skew_clock(std::size_t /*node*/, TimeUs /*offset_us*/, std::int64_t /*drift_ppm*/) {}
void FaultDriver::submit_validator_tx(std::size_t /*node*/, TxPayload /*payload*/) {}

void FaultDriver::add_partition(std::size_t fault, const sim::Partition& partition) {
  partitions_.insert_or_assign(fault, partition);
}
void FaultDriver::remove_partition(std::size_t fault) { partitions_.erase(fault); }

// Only the delay applies to a real link (testnet_scope.cpp refuses the rest).
void FaultDriver::set_link(std::size_t from, std::size_t to, const sim::LinkFault& link) {
  delay_out_[{from, to}] = link.delay_us.value_or(0);
}
void FaultDriver::reset_link(std::size_t from, std::size_t to) { delay_out_.erase({from, to}); }

LinkRules FaultDriver::rules_of(std::size_t node) const {
  LinkRules r;
  const auto me = static_cast<PeerId>(node);
  for (const auto& [fault, partition] : partitions_) {
    for (PeerId p = 0; p < node_count_; ++p) {
      if (p == me) continue;
      if (partition.blocks(me, p)) r.blocked_out.insert(p);
      if (partition.blocks(p, me)) r.blocked_in.insert(p);
    }
  }
  for (const auto& [link, delay] : delay_out_) {
    if (link.first == node && delay > 0) r.delay_out[static_cast<PeerId>(link.second)] = delay;
  }
  return r;
}

void FaultDriver::push_rules() {
  for (std::size_t i = 0; i < node_count_; ++i) {
    LinkRules r = rules_of(i);
    if (r == pushed_[i]) continue;
    if (hooks_.set_rules(i, r)) pushed_[i] = std::move(r);
  }
}

}  // namespace mt::testnet
