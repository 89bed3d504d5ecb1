// Applies a scenario's scripted faults to real processes, at their triggers (a testnet time or a
// finalized height seen by the harness), and ends them (duration, until_height, restart_after,
// heal). What each fault becomes:
//   crash      SIGKILL; restart_after: the same launch file again (wipe: the node's store deleted)
//   pause      SIGSTOP, then SIGCONT after `duration` (sockets stay open; peers' queues fill)
//   partition  link rules in every affected node's transport (isolate, groups, one_way)
//   link       a per-peer send delay in the transport (delay only)
//   heal       ends the named (or every) partition and link fault
// Targets are resolved exactly like the simulator's fault injector (same selector seeds), so a
// scenario hits the same validators in both. Faults a real process cannot take are refused
// before the run (testnet_scope.hpp).
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "sim/checks/check.hpp"
#include "sim/net/partition.hpp"
#include "sim/runner/run_result.hpp"
#include "sim/scenario/scenario.hpp"
#include "testnet/transport.hpp"

namespace mt::testnet {

struct FaultHooks {
  std::function<void(std::size_t node)> crash;
  std::function<void(std::size_t node, bool wipe)> restart;
  std::function<void(std::size_t node)> pause;
  std::function<void(std::size_t node)> resume;
  // false: not delivered now (node down or paused); retried on the next tick.
  std::function<bool(std::size_t node, const LinkRules& rules)> set_rules;
};

class FaultDriver {
 public:
  FaultDriver(const sim::Scenario& scenario, std::uint64_t seed, std::vector<std::string> node_names, FaultHooks hooks);

  // Fires every trigger and end that is due at (now, max finalized height).
  void tick(TimeUs now_us, std::uint64_t max_height);
  // Closes open windows at the end of the run (resumes paused nodes so they can be stopped).
  void finish(TimeUs now_us);
  [[nodiscard]] const std::vector<sim::FaultWindow>& windows() const { return windows_; }
  [[nodiscard]] std::vector<sim::FaultSpan> spans() const;
  // The rules node i should have now (re-sent after a restart).
  [[nodiscard]] LinkRules rules_of(std::size_t node) const;

 private:
  struct Active {
    std::size_t config_index = 0;
    std::vector<std::size_t> targets;
    std::vector<std::size_t> to;
    std::optional<sim::Partition> partition;
    TimeUs delay_us = 0;  // link
    std::optional<TimeUs> end_at_us;
    std::optional<std::uint64_t> end_at_height;
    std::size_t window = 0;
    bool ended = false;
  };
  void fire(std::size_t config_index, TimeUs now);
  void end(Active& a, TimeUs now);
  void push_rules();
  Result<std::vector<std::size_t>> resolve(const sim::Selector& sel, std::size_t salt) const;
  [[nodiscard]] std::string describe(const std::vector<std::size_t>& nodes) const;

  const sim::Scenario& scenario_;
  std::uint64_t seed_;
  std::vector<std::string> names_;
  FaultHooks hooks_;
  std::vector<bool> fired_;
  std::vector<Active> active_;
  std::vector<sim::FaultWindow> windows_;
  std::vector<LinkRules> pushed_;  // last rules sent to each node
};

}  // namespace mt::testnet
