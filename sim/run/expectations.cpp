#include "sim/run/expectations.hpp"

#include <cmath>
#include <cstdio>

#include "sim/checks/client_view_consistent.hpp"
#include "sim/checks/evidence_within_age.hpp"
#include "sim/checks/final_blocks_valid.hpp"
#include "sim/checks/honest_signs_once.hpp"
#include "sim/checks/liveness_checks.hpp"
#include "sim/checks/no_conflicting_finality.hpp"
#include "sim/checks/only_double_signers_slashed.hpp"
#include "sim/checks/reference_replica.hpp"
#include "sim/checks/slashed_at_most_once.hpp"
#include "sim/checks/slashing_checks.hpp"
#include "sim/checks/state_root_agreement.hpp"
#include "sim/checks/subnet_checks.hpp"
#include "sim/scenario/check_registry.hpp"
#include "sim/scenario/metric_registry.hpp"

namespace mt::sim {

namespace {
// After a fault ends, the chain needs a couple of blocks to settle before "steady" resumes.
constexpr std::int64_t kSettleBlocks = 2;

std::string fmt_number(double v, const char* unit) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f%s", v, unit);
  return buf;
}

std::string metric_unit(const std::string& name) {
  const MetricSpec* m = find_metric(name);
  return m == nullptr || m->unit.empty() ? "" : " " + std::string(m->unit);
}
}  // namespace

// The check an expectation names, or null when this build does not implement it.
std::unique_ptr<Check> ExpectationSet::make_check(const Expectation& e, const ReplicaFn& replica,
                                                  std::uint64_t seed) const {
  const CheckSpec* spec = find_check(e.name);
  if (spec == nullptr) return nullptr;
  RunView& view = view_;
  switch (spec->kind) {
    case CheckKind::no_conflicting_finality: return std::make_unique<NoConflictingFinality>(view);
    case CheckKind::state_root_agreement: return std::make_unique<StateRootAgreement>(view);
    case CheckKind::honest_never_slashed: return std::make_unique<HonestNeverSlashed>(view);
    case CheckKind::supply_conserved: return std::make_unique<SupplyConserved>(view, replica());
    case CheckKind::no_invalid_tx_committed: return std::make_unique<NoInvalidTxCommitted>(view, replica());
    case CheckKind::equivocators_slashed: {
      std::vector<std::size_t> who;
      if (e.who) {
        auto targets = scenario_.selector_targets();
        auto r = resolve_selector(*e.who, targets, seed);
        if (r.ok()) who = r.value();
      }
      return std::make_unique<EquivocatorsSlashed>(view, who, e.within_blocks.value_or(10));
    }
    case CheckKind::recovers: return std::make_unique<Recovers>(view, e.after, e.within_us.value_or(60 * kUsPerSec));
    case CheckKind::finality_progress:
      return std::make_unique<FinalityProgress>(view, e.max_stall_us.value_or(30 * kUsPerSec), 0, -1);
    case CheckKind::chain_height: return std::make_unique<ChainHeight>(view, e.min_height.value_or(1));
    case CheckKind::emission_conserved: return std::make_unique<EmissionConserved>(view, replica());
    case CheckKind::weights_consensus_resists_collusion:
      return std::make_unique<WeightsConsensusResistsCollusion>(view, replica(), SubnetPlan::make(scenario_, seed),
                                                                e.max_share.value_or(kPpmOne));
    case CheckKind::honest_signs_once: return std::make_unique<HonestSignsOnce>(view);
    case CheckKind::final_blocks_valid: return std::make_unique<FinalBlocksValid>(view, replica(), backend_);
    case CheckKind::only_double_signers_slashed:
      return std::make_unique<OnlyDoubleSignersSlashed>(view, chain_id_, backend_);
    case CheckKind::client_view_consistent: return std::make_unique<ClientViewConsistent>(view);
    case CheckKind::slashed_at_most_once: return std::make_unique<SlashedAtMostOnce>(view);
    case CheckKind::evidence_within_age: return std::make_unique<EvidenceWithinAge>(view, evidence_max_age_);
  }
  return nullptr;
}

ExpectationSet::ExpectationSet(const Scenario& scenario, RunView& view, state::StatePtr genesis,
                               crypto::Backend backend, std::uint64_t seed)
    : scenario_(scenario), view_(view), backend_(backend),
      chain_id_(genesis != nullptr ? genesis->params().chain_id : scenario.chain.params.chain_id),
      evidence_max_age_(genesis != nullptr ? genesis->params().evidence_max_age_blocks
                                           : scenario.chain.params.evidence_max_age_blocks),
      settle_us_(kSettleBlocks * static_cast<TimeUs>(scenario.chain.params.block_time_ms) * kUsPerMs) {
  // One reference replica, built only when a check needs it, shared by all that do.
  std::shared_ptr<ReferenceReplica> replica;
  const ReplicaFn get_replica = [&] {
    if (!replica) replica = std::make_shared<ReferenceReplica>(genesis, backend);
    return replica;
  };
  for (const auto& e : scenario.expect) {
    Entry entry;
    entry.exp = &e;
    if (e.kind == Expectation::Kind::check) entry.check = make_check(e, get_replica, seed);
    entries_.push_back(std::move(entry));
  }
}

bool ExpectationSet::window_open(const Window& w, TimeUs t) const {
  switch (w.kind) {
    case Window::Kind::always: return true;
    case Window::Kind::range: return t >= w.from_us && t < w.until_us;
    case Window::Kind::during: {
      const auto* f = view_.fault(w.fault_id);
      return f != nullptr && t >= f->start_us && (f->end_us < 0 || t < f->end_us);
    }
    case Window::Kind::after: {
      const auto* f = view_.fault(w.fault_id);
      return f != nullptr && f->end_us >= 0 && t >= f->end_us;
    }
    case Window::Kind::steady: {
      if (t < scenario_.warmup_us) return false;
      for (const auto& f : view_.faults) {
        if (t >= f.start_us && (f.end_us < 0 || t < f.end_us + settle_us_)) return false;
      }
      return true;
    }
  }
  return true;
}

void ExpectationSet::on_event(std::size_t node, TimeUs t, const Event& e) {
  for (auto& entry : entries_) {
    if (entry.check && window_open(entry.exp->window, t)) entry.check->on_event(node, t, e);
  }
}

bool ExpectationSet::safety_violated() const {
  for (const auto& entry : entries_) {
    if (entry.check && entry.check->check_class() == CheckClass::safety && entry.check->failed()) return true;
  }
  return false;
}

IntervalSet ExpectationSet::window_set(const Window& w, TimeUs end_us) const {
  switch (w.kind) {
    case Window::Kind::always: return IntervalSet(0, end_us + 1);
    case Window::Kind::range: return IntervalSet(w.from_us, std::min(w.until_us, end_us + 1));
    case Window::Kind::during: {
      const auto* f = view_.fault(w.fault_id);
      if (f == nullptr) return {};
      return IntervalSet(f->start_us, f->end_us < 0 ? end_us + 1 : f->end_us);
    }
    case Window::Kind::after: {
      const auto* f = view_.fault(w.fault_id);
      if (f == nullptr || f->end_us < 0) return {};
      return IntervalSet(f->end_us, end_us + 1);
    }
    case Window::Kind::steady: {
      IntervalSet s(scenario_.warmup_us, end_us + 1);
      for (const auto& f : view_.faults) s.subtract(f.start_us, f.end_us < 0 ? end_us + 1 : f.end_us + settle_us_);
      return s;
    }
  }
  return {};
}

ExpectationResult ExpectationSet::evaluate_metric(const Expectation& e, TimeUs end_us, const MetricsCollector& m) const {
  ExpectationResult r;
  r.name = e.name;
  r.kind = "metric";
  r.exit_class = kExitLiveness;
  IntervalSet w = window_set(e.window, end_us);
  r.window = e.window.to_string() + " " + w.describe();
  if (const MetricSpec* spec = find_metric(e.name); spec != nullptr && spec->needs_capacity) {
    // One run cannot measure a saturation point: not a failure of this run, and said so.
    r.passed = true;
    r.window = "capacity search";
    r.measured = "n/a (needs `mtsim capacity`)";
    r.detail = e.name + " is measured by `mtsim capacity " + scenario_.file + "`, not by one run";
    return r;
  }
  auto value = m.metric(e.name, w);
  const std::string unit = metric_unit(e.name);
  auto bound_value = [&](const Bound& b) {
    switch (b.unit) {
      case Bound::Unit::duration: return static_cast<double>(b.time_us) / 1000.0;  // metrics are in ms
      case Bound::Unit::rate: return b.rate.per_second();
      case Bound::Unit::number: return b.number;
    }
    return b.number;
  };
  std::string threshold;
  if (e.min) threshold += ">= " + fmt_number(bound_value(*e.min), unit.c_str());
  if (e.max) threshold += std::string(threshold.empty() ? "" : ", ") + "<= " + fmt_number(bound_value(*e.max), unit.c_str());
  r.threshold = threshold;
  if (!value) {
    r.passed = false;
    r.measured = "no data";
    r.detail = "no samples for " + e.name + " in window " + w.describe();
    return r;
  }
  r.measured = fmt_number(*value, unit.c_str());
  r.passed = (!e.min || *value >= bound_value(*e.min)) && (!e.max || *value <= bound_value(*e.max));
  if (!r.passed) r.detail = e.name + " = " + r.measured + " over " + w.describe() + ", expected " + threshold;
  return r;
}

std::vector<ExpectationResult> ExpectationSet::finish(TimeUs end_us, const MetricsCollector& metrics) {
  std::vector<ExpectationResult> out;
  for (auto& entry : entries_) {
    const Expectation& e = *entry.exp;
    ExpectationResult r;
    if (e.kind == Expectation::Kind::metric) {
      r = evaluate_metric(e, end_us, metrics);
    } else if (!entry.check) {
      r.name = e.name;
      r.kind = "check";
      r.passed = false;
      r.exit_class = kExitInternal;
      r.detail = "check '" + e.name + "' is not implemented by this build";
    } else {
      if (auto* fp = dynamic_cast<FinalityProgress*>(entry.check.get())) {
        IntervalSet w = window_set(e.window, end_us);
        if (!w.empty()) fp->set_window(w.parts().front().first, w.parts().back().second);
      }
      entry.check->finish(end_us);
      r.name = entry.check->name();
      r.kind = "check";
      r.window = e.window.to_string();
      r.passed = !entry.check->failed();
      r.measured = entry.check->measured();
      r.exit_class = entry.check->check_class() == CheckClass::safety ? kExitSafety : kExitLiveness;
      if (entry.check->failed()) {
        r.detail = entry.check->violation()->detail + " (at " + format_time(entry.check->violation()->at_us) + ")";
      }
    }
    r.source_file = e.loc.file;
    r.source_line = static_cast<int>(e.loc.line);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace mt::sim
