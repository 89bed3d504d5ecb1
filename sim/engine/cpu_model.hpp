// Per-node processing model: a node handles one input at a time, and a handler can charge
// virtual CPU time (verify, execute, hash). Inputs that arrive while the node is busy wait in
// a FIFO queue and run when the previous work is done, as on a real single-threaded validator.
//
//   CpuModel cpu(scheduler, node_count);
//   // on delivery of a message to node n:
//   cpu.submit(n, [&, n, msg] { node[n].on_message(...); cpu.charge(n, cpu.costs().verify_us); });
//
// The handler runs inside submit() when the node is idle, otherwise from a scheduler event at
// the time the node becomes free. Queues are bounded; an input beyond the bound is dropped and
// counted (an overloaded node sheds load rather than growing without limit).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "core/node/wire.hpp"
#include "core/util/time.hpp"
#include "sim/engine/inline_function.hpp"
#include "sim/engine/scheduler.hpp"

namespace mt::sim {

// Default costs, calibrated from bench/crypto_bench.cpp on the reference machine (Release):
// Ed25519 verify ~75 us cold, ~0.5 us through the shared cache; BLAKE2b ~0.2 us per 64 B.
struct CpuCosts {
  TimeUs verify_us = 75;          // one Ed25519 verification (cache miss)
  TimeUs verify_cached_us = 1;    // a shared-cache hit
  TimeUs sign_us = 30;            // one Ed25519 signature
  TimeUs hash_per_kib_us = 3;     // BLAKE2b throughput
  TimeUs execute_tx_us = 5;       // state transition for one simple transfer
};

class CpuModel {
 public:
  static constexpr std::size_t kDefaultMaxQueue = 100'000;

  CpuModel(Scheduler& scheduler, std::size_t node_count, CpuCosts costs = {},
           std::size_t max_queue = kDefaultMaxQueue);

  // Runs `handler` for `node` now if it is idle, else after the inputs queued before it.
  // Returns false if the node's queue was full and the input was dropped.
  bool submit(PeerId node, InlineFunction handler);
  // Charges virtual CPU time to `node`'s current handler (call from inside a handler).
  void charge(PeerId node, TimeUs cost_us);

  [[nodiscard]] bool busy(PeerId node) const;
  [[nodiscard]] TimeUs busy_until(PeerId node) const { return state_.at(node).busy_until; }
  [[nodiscard]] std::size_t queued(PeerId node) const { return state_.at(node).queue.size(); }
  [[nodiscard]] std::uint64_t dropped(PeerId node) const { return state_.at(node).dropped; }
  [[nodiscard]] TimeUs total_charged(PeerId node) const { return state_.at(node).charged_us; }
  [[nodiscard]] const CpuCosts& costs() const { return costs_; }
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
  };
  void run(PeerId node, InlineFunction& handler);
  void drain(PeerId node);
  void arm_drain(PeerId node);

  Scheduler& scheduler_;
  CpuCosts costs_;
  std::size_t max_queue_;
  std::vector<NodeState> state_;
};

}  // namespace mt::sim
