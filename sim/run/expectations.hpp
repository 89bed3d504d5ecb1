// Turns the scenario's `expect:` list into live checks and, at the end, into evaluated
// ExpectationResults (checks by their verdict, metrics against their bounds over their window).
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "core/state/state.hpp"
#include "sim/checks/check.hpp"
#include "sim/checks/reference_replica.hpp"
#include "sim/metrics/interval_set.hpp"
#include "sim/metrics/metrics_collector.hpp"
#include "sim/run/run_result.hpp"
#include "sim/scenario/scenario.hpp"

namespace mt::sim {

class ExpectationSet {
 public:
  ExpectationSet(const Scenario& scenario, RunView& view, state::StatePtr genesis, crypto::Backend backend,
                 std::uint64_t seed);

  // Feeds an event to every check whose window is open at time t.
  void on_event(std::size_t node, TimeUs t, const Event& e);
  // A safety check has failed (the run may stop here).
  [[nodiscard]] bool safety_violated() const;
  // Settles time-based checks and evaluates metrics; returns one result per expectation, in order.
  std::vector<ExpectationResult> finish(TimeUs end_us, const MetricsCollector& metrics);

  // The window a metric or check uses, as an interval set over [0, end_us].
  [[nodiscard]] IntervalSet window_set(const Window& w, TimeUs end_us) const;
  [[nodiscard]] IntervalSet steady(TimeUs end_us) const { return window_set(Window{Window::Kind::steady, {}, 0, 0}, end_us); }

 private:
  struct Entry {
    const Expectation* exp = nullptr;
    std::unique_ptr<Check> check;  // null for metrics
  };
  using ReplicaFn = std::function<std::shared_ptr<ReferenceReplica>()>;
  [[nodiscard]] std::unique_ptr<Check> make_check(const Expectation& e, const ReplicaFn& replica, std::uint64_t seed) const;
  [[nodiscard]] bool window_open(const Window& w, TimeUs t) const;
  ExpectationResult evaluate_metric(const Expectation& e, TimeUs end_us, const MetricsCollector& m) const;

  const Scenario& scenario_;
  RunView& view_;
  crypto::Backend backend_;  // for checks that verify signatures themselves
  std::string chain_id_;
  std::uint64_t evidence_max_age_ = 0;  // evidence_within_age's window
  std::vector<Entry> entries_;
  TimeUs settle_us_;
};

}  // namespace mt::sim
