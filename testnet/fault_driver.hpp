// Applies a run's fault plan (sim/run/fault_plan.hpp, the same one the simulator applies) to real
// processes: FaultTimeline decides what starts and ends when, polled from the harness's loop
// (a testnet time or a finalized height seen by the harness); this file is the testnet's side of
// FaultHooks. What each fault becomes:
//   crash      SIGKILL; its end: the same launch file again (wipe: the node's store deleted)
//   pause      SIGSTOP, then SIGCONT at its end (sockets stay open; peers' queues fill)
//   partition  link rules in every affected node's transport (isolate, groups, one_way)
//   link       a per-peer send delay in the transport (delay only)
//   heal       ends the named (or every) partition and link fault
// Faults a real process cannot take (clock skew, validator-set changes, link loss) are refused
// before the run (testnet_scope.hpp).
#pragma once

#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "sim/run/fault_timeline.hpp"
#include "testnet/transport.hpp"

namespace mt::testnet {

// What the harness does to its processes.
struct ProcessHooks {
  std::function<void(std::size_t node)> crash;
  std::function<void(std::size_t node, bool wipe)> restart;
  std::function<void(std::size_t node)> pause;
  std::function<void(std::size_t node)> resume;
  // false: not delivered now (node down or paused); retried on the next tick.
  std::function<bool(std::size_t node, const LinkRules& rules)> set_rules;
};

class FaultDriver final : public sim::FaultHooks {
 public:
  FaultDriver(const sim::Scenario& scenario, sim::FaultPlan plan, std::vector<std::string> node_names,
              ProcessHooks hooks);

  // Fires every trigger and end that is due at (now, max finalized height).
  void tick(TimeUs now_us, std::uint64_t max_height);
  // Closes open pauses at the end of the run (resumes paused nodes so they can be stopped).
  void finish(TimeUs now_us);
  [[nodiscard]] const std::vector<sim::FaultWindow>& windows() const { return timeline_.windows(); }
  // The rules node i should have now (re-sent after a restart).
  [[nodiscard]] LinkRules rules_of(std::size_t node) const;

  // sim::FaultHooks
  void crash(std::size_t node) override;
  void restart(std::size_t node, bool wipe) override;
  void pause(std::size_t node, TimeUs duration_us) override;
  void resume(std::size_t node) override;
  void skew_clock(std::size_t node, TimeUs offset_us, std::int64_t drift_ppm) override;
  void add_partition(std::size_t fault, const sim::Partition& partition) override;
  void remove_partition(std::size_t fault) override;
  void set_link(std::size_t from, std::size_t to, const sim::LinkFault& link) override;
  void reset_link(std::size_t from, std::size_t to) override;
  void submit_validator_tx(std::size_t node, TxPayload payload) override;

 private:
  void push_rules();

  std::size_t node_count_;
  ProcessHooks hooks_;
  sim::FaultTimeline timeline_;
  std::map<std::size_t, sim::Partition> partitions_;                  // active fault -> partition
  std::map<std::pair<std::size_t, std::size_t>, TimeUs> delay_out_;   // (from, to) -> added delay
  std::vector<LinkRules> pushed_;                                     // last rules sent to each node
};

}  // namespace mt::testnet
