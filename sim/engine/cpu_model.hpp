// Per-node processing model: a node handles one input at a time, and a handler can charge
// virtual CPU time (verify, execute, hash). Inputs that arrive while the node is busy wait in
// a FIFO queue and run when the previous work is done, as on a real single-threaded validator.
//
//   CpuModel cpu(scheduler, node_count);
//   // on delivery of a message to node n:
//   cpu.set_speed(n, 500);  // a machine half as fast: every charge of node n takes twice as long
//   cpu.submit(n, [&, n, msg] { node[n].on_message(...); cpu.charge(n, 50); });
//
// The handler runs inside submit() when the node is idle, otherwise from a scheduler event at
// the time the node becomes free. Queues are bounded; an input beyond the bound is dropped and
// counted (an overloaded node sheds load rather than growing without limit). What the nodes
// charge (per operation) is core/node/cpu_costs.hpp's CpuCosts; the model scales each charge by
// the node's speed (permille of the reference machine, rounded up to whole microseconds) and
// records the busy time in a BusyMeter for the cpu.busy_max metric.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "core/node/wire.hpp"
#include "core/util/time.hpp"
#include "sim/engine/busy_meter.hpp"
#include "sim/engine/inline_function.hpp"
#include "sim/engine/scheduler.hpp"

namespace mt::sim {

class CpuModel {
 public:
  static constexpr std::size_t kDefaultMaxQueue = 100'000;
  static constexpr std::uint32_t kReferenceSpeed = 1000;  // permille: the machine the costs describe

  CpuModel(Scheduler& scheduler, std::size_t node_count, std::size_t max_queue = kDefaultMaxQueue);

  // `node`'s speed in permille of the reference machine (> 0): a charge of c takes c * 1000 / speed.
  void set_speed(PeerId node, std::uint32_t permille);

  // Runs `handler` for `node` now if it is idle, else after the inputs queued before it.
  // Returns false if the node's queue was full and the input was dropped.
  bool submit(PeerId node, InlineFunction handler);
  // Charges virtual CPU time to `node`'s current handler (call from inside a handler), scaled by
  // the node's speed.
  void charge(PeerId node, TimeUs cost_us);
  // Holds `node` for `duration_us` of the current handler (a paused process): not scaled by the
  // node's speed and not counted as busy CPU time.
  void hold(PeerId node, TimeUs duration_us);

  [[nodiscard]] bool busy(PeerId node) const;
  [[nodiscard]] TimeUs busy_until(PeerId node) const { return state_.at(node).busy_until; }
  [[nodiscard]] std::size_t queued(PeerId node) const { return state_.at(node).queue.size(); }
  [[nodiscard]] std::uint64_t dropped(PeerId node) const { return state_.at(node).dropped; }
  [[nodiscard]] TimeUs total_charged(PeerId node) const { return state_.at(node).charged_us; }
  [[nodiscard]] const BusyMeter& usage() const { return usage_; }
  // Forgets queued work (a crash): queued handlers are destroyed without running.
  void clear(PeerId node);

 private:
  struct NodeState {
    TimeUs busy_until = 0;
    TimeUs charged_us = 0;
    std::uint64_t dropped = 0;
    std::deque<InlineFunction> queue;
    EventId drain;  // pending "node is free" event, if any
    bool running = false;
    std::uint32_t speed_permille = kReferenceSpeed;
  };
  void run(PeerId node, InlineFunction& handler);
  void drain(PeerId node);
  void arm_drain(PeerId node);

  Scheduler& scheduler_;
  std::size_t max_queue_;
  BusyMeter usage_;
  std::vector<NodeState> state_;
};

}  // namespace mt::sim
