// Applies a scenario's scripted faults (and the nemesis's random ones) to a World at their
// triggers (a time or a finalized height), and ends each one (duration, until_height,
// restart_after, or an explicit heal). Every fault's window is recorded for checks and reports.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/random.hpp"
#include "sim/net/network.hpp"
#include "sim/runner/run_result.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/world/world.hpp"

namespace mt::sim {

class FaultInjector {
 public:
  FaultInjector(World& world, const Scenario& scenario);

  // Schedules time triggers; height triggers fire from on_event. Call once before running.
  Status arm();
  void on_event(std::size_t node, const Event& e);
  // Windows as applied (end_us = -1 while open); for report.json and the HTML shading.
  [[nodiscard]] const std::vector<FaultWindow>& windows() const { return windows_; }

 private:
  struct Active {
    std::size_t config_index = 0;
    std::size_t window_index = 0;
    std::vector<std::size_t> targets;
    std::vector<std::size_t> to;
    std::optional<PartitionId> partition;
    bool ended = false;
  };
  void fire(std::size_t config_index);
  void end(std::size_t active_index);
  void heal(const std::string& fault_id);
  Result<std::vector<std::size_t>> resolve(const Selector& sel, std::size_t salt);
  void start_window(Active& a, const FaultConfig& f, const std::string& targets);
  void submit_validator_tx(std::size_t node, TxPayload payload);
  void nemesis_step();
  std::string describe(const std::vector<std::size_t>& nodes) const;

  World& world_;
  const Scenario& scenario_;
  Rng nemesis_rng_;
  std::vector<Active> active_;
  std::vector<FaultWindow> windows_;
  std::multimap<std::uint64_t, std::size_t> height_triggers_;  // height -> fault config index
  std::multimap<std::uint64_t, std::size_t> height_ends_;      // height -> active index
  std::map<std::size_t, std::uint64_t> validator_nonce_;       // node -> next nonce of its account
  std::uint64_t max_height_ = 0;
  std::size_t nemesis_count_ = 0;
  std::vector<FaultConfig> nemesis_faults_;                    // generated; indices after scenario's
};

}  // namespace mt::sim
