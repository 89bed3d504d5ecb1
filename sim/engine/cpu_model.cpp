#include "sim/engine/cpu_model.hpp"

#include <algorithm>

namespace mt::sim {

CpuModel::CpuModel(Scheduler& scheduler, std::size_t node_count, std::size_t max_queue)
    : scheduler_(scheduler), max_queue_(max_queue), state_(node_count) {
  MT_ASSERT(max_queue_ > 0, "CpuModel needs room for at least one queued input");
}

void CpuModel::set_speed(PeerId node, std::uint32_t permille) {
  MT_ASSERT(permille > 0, "a CPU speed must be positive");
  state_.at(node).speed_permille = permille;
}

bool CpuModel::busy(PeerId node) const {
  const NodeState& s = state_.at(node);
  return s.running || s.busy_until > scheduler_.now() || !s.queue.empty();
}

bool CpuModel::submit(PeerId node, InlineFunction handler) {
  NodeState& s = state_.at(node);
  if (!busy(node)) {
    run(node, handler);
    return true;
  }
  if (s.queue.size() >= max_queue_) {
    ++s.dropped;
    return false;
  }
  s.queue.push_back(std::move(handler));
  if (!s.running) arm_drain(node);
  return true;
}

void CpuModel::charge(PeerId node, TimeUs cost_us) {
  MT_ASSERT(cost_us >= 0, "negative CPU charge");
  NodeState& s = state_.at(node);
  if (s.speed_permille != kReferenceSpeed) {
    cost_us = (cost_us * kReferenceSpeed + s.speed_permille - 1) / s.speed_permille;
  }
  usage_.add(node, s.busy_until, s.busy_until + cost_us);
  s.busy_until += cost_us;
  s.charged_us += cost_us;
}

void CpuModel::hold(PeerId node, TimeUs duration_us) {
  MT_ASSERT(duration_us >= 0, "negative hold");
  state_.at(node).busy_until += duration_us;
}

void CpuModel::run(PeerId node, InlineFunction& handler) {
  NodeState& s = state_[node];
  MT_ASSERT(!s.running, "CpuModel: a node's handler re-entered itself");
  s.busy_until = std::max(s.busy_until, scheduler_.now());
  s.running = true;
  handler();
  state_[node].running = false;
  if (!state_[node].queue.empty()) arm_drain(node);
}

void CpuModel::arm_drain(PeerId node) {
  NodeState& s = state_[node];
  if (scheduler_.is_pending(s.drain)) return;
  const TimeUs at = std::max(s.busy_until, scheduler_.now());
  s.drain = scheduler_.schedule_at(at, [this, node] { drain(node); });
}

void CpuModel::drain(PeerId node) {
  NodeState& s = state_[node];
  if (s.queue.empty()) return;
  if (s.busy_until > scheduler_.now()) {  // charged more since the event was armed
    arm_drain(node);
    return;
  }
  InlineFunction handler = std::move(s.queue.front());
  s.queue.pop_front();
  run(node, handler);
}

void CpuModel::clear(PeerId node) {
  NodeState& s = state_.at(node);
  s.queue.clear();
  scheduler_.cancel(s.drain);
  s.busy_until = scheduler_.now();
}

}  // namespace mt::sim
