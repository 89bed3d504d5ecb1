// Applies a run's fault plan (sim/run/fault_plan.hpp: the scenario's faults and the nemesis's) to
// a World: FaultTimeline decides what starts and ends when; this file is the simulator's side of
// FaultHooks (world operations) and the scheduler events that call the timeline at exact times.
// Every fault's window is recorded for checks (the world's RunView) and reports.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "sim/events/world_event.hpp"
#include "sim/run/fault_timeline.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/world/world.hpp"

namespace mt::sim {

class FaultInjector final : public FaultHooks {
 public:
  FaultInjector(World& world, const Scenario& scenario, FaultPlan plan);

  // Schedules time triggers and the nemesis steps; height triggers fire from on_event. Call once
  // before running.
  void arm();
  void on_event(std::size_t node, const Event& e);
  // Receives each fault's begin and end and each crash and restart (events.jsonl).
  void on_world_event(std::function<void(const WorldEvent&)> fn) { world_listener_ = std::move(fn); }
  // Windows as applied (end_us = -1 while open); for report.json and the HTML shading.
  [[nodiscard]] const std::vector<FaultWindow>& windows() const { return timeline_.windows(); }

  // FaultHooks: each is an ordinary world operation.
  void crash(std::size_t node) override;
  void restart(std::size_t node, bool wipe) override;
  void corrupt_store(std::size_t node, const std::string& table) override;
  void damage_store(std::size_t node, const std::string& damage) override;
  void pause(std::size_t node, TimeUs duration_us) override;
  void resume(std::size_t node) override;
  void skew_clock(std::size_t node, TimeUs offset_us, std::int64_t drift_ppm) override;
  void add_partition(std::size_t fault, const Partition& partition) override;
  void remove_partition(std::size_t fault) override;
  void set_link(std::size_t from, std::size_t to, const LinkFault& link) override;
  void reset_link(std::size_t from, std::size_t to) override;
  void add_message_rule(std::size_t fault, const MessageRule& rule) override;
  void remove_message_rule(std::size_t fault) override;
  void submit_validator_tx(std::size_t node, TxPayload payload) override;
  [[nodiscard]] std::optional<std::size_t> proposer() override;

 private:
  void start(std::size_t planned);
  void end(std::size_t active);
  void nemesis_step();
  // Reports windows opened or closed since the last call (a heal closes others).
  void report_windows();
  void report(WorldEvent e);

  World& world_;
  const Scenario& scenario_;
  FaultTimeline timeline_;
  std::map<std::size_t, PartitionId> partitions_;          // active fault -> its partition
  std::map<std::size_t, MessageRules::Id> message_rules_;  // active fault -> its rule
  std::map<std::size_t, std::uint64_t> validator_nonce_;   // node -> next nonce of its account
  std::uint64_t max_height_ = 0;
  std::size_t next_nemesis_ = 0;                           // first nemesis fault not yet started
  std::function<void(const WorldEvent&)> world_listener_;
  std::string current_fault_;                              // the fault being applied, for crash/restart
  std::size_t windows_reported_ = 0;                       // windows whose begin was reported
  std::vector<bool> end_reported_;
};

}  // namespace mt::sim
