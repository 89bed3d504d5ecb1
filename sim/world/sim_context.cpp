#include "sim/world/sim_context.hpp"

#include <algorithm>

#include "sim/world/world.hpp"

namespace mt::sim {

SimContext::SimContext(World& world, std::size_t node) : world_(world), node_(node) {}

SimContext::~SimContext() { cancel_all_timers(); }

TimeUs SimContext::now() const {
  return world_.slots_[node_].clock.to_local(world_.scheduler_.now());
}

// Every copy sent pays the sender's transport work (CpuCosts::send_message_us), as a real
// runtime writes one frame per peer.
void SimContext::send(PeerId to, WirePtr message) {
  charge_sends(1);
  world_.network_->send(static_cast<PeerId>(node_), to, std::move(message));
}

void SimContext::gossip(WirePtr message, std::optional<PeerId> except) {
  const auto nb = peers();
  const bool skips = except && std::find(nb.begin(), nb.end(), *except) != nb.end();
  charge_sends(nb.size() - (skips ? 1 : 0));
  world_.network_->gossip(static_cast<PeerId>(node_), message, except);
}

void SimContext::gossip_to(WirePtr message, std::span<const PeerId> to) {
  charge_sends(to.size());
  world_.network_->multicast(static_cast<PeerId>(node_), message, to);
}

void SimContext::charge_sends(std::size_t copies) {
  const TimeUs each = world_.config_.costs.send_message_us;
  if (each > 0 && copies > 0) charge_cpu(each * static_cast<TimeUs>(copies));
}

std::span<const PeerId> SimContext::peers() const {
  return world_.network_->topology().neighbours(static_cast<PeerId>(node_));
}

TimerId SimContext::set_timer(TimeUs delay, std::uint64_t tag) {
  MT_ASSERT(delay >= 0, "negative timer delay");
  const TimerId id = next_timer_++;
  auto& slot = world_.slots_[node_];
  const TimeUs local_deadline = slot.clock.to_local(world_.scheduler_.now()) + delay;
  const TimeUs at = std::max(world_.scheduler_.now(), slot.clock.to_world(local_deadline));
  const std::uint64_t incarnation = slot.incarnation;
  EventId ev = world_.scheduler_.schedule_at(at, [this, id, tag, incarnation] {
    timers_.erase(id);
    World& w = world_;
    const std::size_t n = node_;
    if (w.slots_[n].incarnation != incarnation || w.slots_[n].node == nullptr) return;
    w.digest_.record_timer(w.scheduler_.now(), static_cast<PeerId>(n), tag);
    w.cpu_->submit(static_cast<PeerId>(n), [&w, n, id, tag, incarnation] {
      auto& s = w.slots_[n];
      if (s.incarnation == incarnation && s.node != nullptr) s.node->on_timer(id, tag);
    });
  });
  timers_.emplace(id, ev);
  return id;
}

void SimContext::cancel_timer(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  world_.scheduler_.cancel(it->second);
  timers_.erase(it);
}

void SimContext::cancel_all_timers() {
  for (const auto& [id, ev] : timers_) world_.scheduler_.cancel(ev);
  timers_.clear();
}

storage::Store& SimContext::storage() { return *world_.slots_[node_].store; }

crypto::Verifier& SimContext::verifier() {
  auto& slot = world_.slots_[node_];
  return slot.own_verifier ? *slot.own_verifier : *world_.shared_verifier_;
}

void SimContext::charge_cpu(TimeUs cost) { world_.cpu_->charge(static_cast<PeerId>(node_), cost); }

void SimContext::emit(const Event& event) { world_.emit(node_, event); }

}  // namespace mt::sim
