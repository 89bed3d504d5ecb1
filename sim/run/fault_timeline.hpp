// Walks a FaultPlan in one runtime: starts each planned fault when its trigger is due, ends it
// (after its duration, at its height, or by a heal), records its window, and does the work
// through FaultHooks, which is all a runtime writes. The simulator calls start/end from scheduler
// events at exact times (sim/faults/fault_injector.hpp); the testnet polls `advance` from its
// loop (testnet/fault_driver.hpp). Targets are resolved here, once for both.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/chain/transaction.hpp"
#include "core/node/events.hpp"
#include "core/util/result.hpp"
#include "sim/net/partition.hpp"
#include "sim/run/fault_plan.hpp"
#include "sim/run/run_view.hpp"

namespace mt::sim {

// What a runtime does for each fault action. Node indices are validator indices.
class FaultHooks {
 public:
  virtual ~FaultHooks() = default;
  virtual void crash(std::size_t node) = 0;
  virtual void restart(std::size_t node, bool wipe) = 0;
  // While a crashed node is down: damage one table of its store (`crash: {who, corrupt: table}`).
  // Simulator only (testnet_scope refuses it), so this does nothing here.
  virtual void corrupt_store(std::size_t /*node*/, const std::string& /*table*/) {}
  // While a crashed node is down: a machine crash's damage to its store (`crash: {who, storage:
  // lose_unsynced | torn_write}`, kStorageDamages). Simulator only, as corrupt_store.
  virtual void damage_store(std::size_t /*node*/, const std::string& /*damage*/) {}
  virtual void pause(std::size_t node, TimeUs duration_us) = 0;
  virtual void resume(std::size_t node) = 0;  // a pause's end (the simulator's node wakes by itself)
  virtual void skew_clock(std::size_t node, TimeUs offset_us, std::int64_t drift_ppm) = 0;
  // `fault` names the active fault, for the matching remove_partition.
  virtual void add_partition(std::size_t fault, const Partition& partition) = 0;
  virtual void remove_partition(std::size_t fault) = 0;
  virtual void set_link(std::size_t from, std::size_t to, const LinkFault& link) = 0;
  virtual void reset_link(std::size_t from, std::size_t to) = 0;
  // A message rule (`messages`), by active fault. Simulator only: a runtime that cannot see
  // message contents refuses such scenarios up front (testnet_scope), so these do nothing here.
  virtual void add_message_rule(std::size_t /*fault*/, const MessageRule& /*rule*/) {}
  virtual void remove_message_rule(std::size_t /*fault*/) {}
  // A validator-set change (join, leave, stake): the runtime signs and submits the tx.
  virtual void submit_validator_tx(std::size_t node, TxPayload payload) = 0;
  // The next height's proposer, for selectors resolved at run time; nullopt: unknown.
  [[nodiscard]] virtual std::optional<std::size_t> proposer() { return std::nullopt; }
};

class FaultTimeline {
 public:
  // `view`, when given, gets every window too (checks read it while the run goes).
  FaultTimeline(FaultPlan plan, const Scenario& scenario, std::vector<std::string> node_names, FaultHooks& hooks,
                RunView* view = nullptr);

  // Starts planned fault `planned` now. Returns the active index and how long it lasts (nullopt:
  // until its height or a heal); nullopt when it started nothing (a heal, or targets that
  // resolved to nobody). Instant faults are ended before it returns.
  struct Started {
    std::size_t active = 0;
    std::optional<TimeUs> lasts_us;
  };
  std::optional<Started> start(std::size_t planned, TimeUs now);
  void end(std::size_t active, TimeUs now);

  // Height triggers due at a new highest finalized height, each handed out once.
  struct Due {
    std::vector<std::size_t> starts;  // planned indices
    std::vector<std::size_t> ends;    // active indices
  };
  Due due_at_height(std::uint64_t max_height);
  // Protocol-point triggers (`at: {height, round, step, node}`) that node's event reaches, each
  // handed out once (planned indices).
  std::vector<std::size_t> due_at_event(std::size_t node, const Event& e);
  [[nodiscard]] bool has_step_triggers() const { return !step_starts_.empty(); }
  // For polling runtimes: starts (in plan order) and ends everything due at (now, max_height).
  void advance(TimeUs now, std::uint64_t max_height);
  // Closes the windows of open pauses (a stopped process must be resumed to be stopped).
  void end_pauses(TimeUs now);

  [[nodiscard]] const FaultPlan& plan() const { return plan_; }
  [[nodiscard]] const std::vector<FaultWindow>& windows() const { return windows_; }
  // The nodes an active fault (same index as its window) hit, and for one-way faults whom they
  // were cut from.
  [[nodiscard]] std::vector<std::size_t> nodes_of(std::size_t active) const;

 private:
  struct Active {
    std::size_t planned = 0;
    std::vector<std::size_t> targets;
    std::vector<std::size_t> to;
    std::optional<TimeUs> end_at_us;
    std::optional<std::uint64_t> end_at_height;
    bool ended = false;
  };
  struct Resolved {
    std::vector<std::size_t> targets, to;
    std::vector<std::vector<std::size_t>> groups;
  };
  Result<std::vector<std::size_t>> resolve(const Selector& sel, std::size_t salt);
  Result<Resolved> resolve_all(const PlannedFault& p);
  void apply(std::size_t active, const FaultConfig& f, const Resolved& r);
  void revert(const Active& a, std::size_t active);
  void heal(const std::string& fault_id, TimeUs now);
  void open_window(const Active& a, const FaultConfig& f, TimeUs now);
  void close_window(std::size_t active, TimeUs now);
  [[nodiscard]] std::string describe(const std::vector<std::size_t>& nodes) const;
  [[nodiscard]] const FaultConfig& config_of(const Active& a) const { return plan_.faults().at(a.planned).fault; }

  FaultPlan plan_;
  const Scenario& scenario_;
  std::vector<std::string> names_;
  FaultHooks& hooks_;
  RunView* view_;
  std::vector<bool> started_;
  std::vector<Active> active_;
  std::vector<FaultWindow> windows_;                           // one per active fault, same index
  std::multimap<std::uint64_t, std::size_t> height_starts_;    // height -> planned index
  std::multimap<std::uint64_t, std::size_t> height_ends_;      // height -> active index
  std::vector<std::size_t> step_starts_;                       // planned indices with at_step, not handed out
};

}  // namespace mt::sim
