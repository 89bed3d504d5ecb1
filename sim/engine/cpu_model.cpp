#include "sim/engine/cpu_model.hpp"

#include <algorithm>

namespace mt::sim {

CpuModel::CpuModel(Scheduler& scheduler, std::size_t node_count, CpuCosts costs, std::size_t max_queue)
    : scheduler_(scheduler), costs_(costs), max_queue_(max_queue), state_(node_count) {
  MT_ASSERT(max_queue_ > 0, "CpuModel needs room for at least one queued input");
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
  s.busy_until += cost_us;
  s.charged_us += cost_us;
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
