#include "sim/run/fault_plan.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "sim/engine/random.hpp"
#include "sim/engine/streams.hpp"

namespace mt::sim {

namespace {

constexpr std::int64_t kNemesisSkewMaxUs = 2'000'000;          // clock_skew offset drawn in +-2s
constexpr std::int64_t kNemesisDelayMinUs = 50'000;            // link_delay drawn in [50ms, 1s]
constexpr std::int64_t kNemesisDelayMaxUs = 1'000'000;
constexpr std::uint64_t kNemesisProbabilityMaxPpm = 500'000;   // link_loss / link_duplicate below 50%
constexpr std::uint64_t kNemesisBandwidthBps = 1'000'000;      // link_bandwidth: 1 Mbit/s

// One nemesis fault: its kind, target shape and parameters, drawn in this order from `rng` (the
// order is part of the plan: changing it changes every nemesis run).
FaultConfig draw_nemesis_fault(const NemesisConfig& nem, Rng& rng, std::size_t number) {
  FaultConfig f;
  f.id = fmt::format("nemesis-{}", number);
  const auto& kind = nem.faults[rng.uniform_u64(nem.faults.size())];
  if (nem.targets.empty()) {
    f.targets.kind = Selector::Kind::one;
  } else {
    f.targets = nem.targets[rng.uniform_u64(nem.targets.size())];
  }
  f.duration_us = nem.duration_us > 0 ? nem.duration_us : nem.interval_us / 2;
  if (kind == "partition") {
    f.action = FaultAction::partition;
  } else if (kind == "crash") {
    f.action = FaultAction::crash;
    f.restart_after_us = f.duration_us;
  } else if (kind == "pause") {
    f.action = FaultAction::pause;
  } else if (kind == "clock_skew") {
    f.action = FaultAction::clock_skew;
    f.skew_offset_us = static_cast<TimeUs>(rng.uniform_int(-kNemesisSkewMaxUs, kNemesisSkewMaxUs));
  } else {
    f.action = FaultAction::link;
    f.to.kind = Selector::Kind::all;
    if (kind == "link_delay") f.link_delay_us = static_cast<TimeUs>(rng.uniform_int(kNemesisDelayMinUs, kNemesisDelayMaxUs));
    if (kind == "link_loss") f.link_loss = static_cast<Ppm>(rng.uniform_u64(kNemesisProbabilityMaxPpm));
    if (kind == "link_duplicate") f.link_duplicate = static_cast<Ppm>(rng.uniform_u64(kNemesisProbabilityMaxPpm));
    if (kind == "link_bandwidth") f.link_bandwidth_bits_per_s = kNemesisBandwidthBps;
  }
  return f;
}

}  // namespace

std::optional<TimeUs> fault_lasts_us(const FaultConfig& f) {
  if (f.action == FaultAction::crash && f.restart_after_us) return f.restart_after_us;
  if (f.duration_us) return f.duration_us;
  if (f.action == FaultAction::pause && !f.until_height) return kDefaultPauseUs;
  return std::nullopt;
}

bool fault_is_instant(const FaultConfig& f) {
  const bool set_change = f.action == FaultAction::join || f.action == FaultAction::leave || f.action == FaultAction::stake;
  return set_change && !f.duration_us && !f.until_height;
}

LinkFault link_fault_of(const FaultConfig& f) {
  return LinkFault{f.link_delay_us, f.link_loss, f.link_duplicate, f.link_bandwidth_bits_per_s};
}

FaultPlan FaultPlan::make(const Scenario& scenario, std::uint64_t seed, TimeUs end_us) {
  FaultPlan plan;
  plan.seed_ = seed;
  for (std::size_t i = 0; i < scenario.faults.size(); ++i) {
    const auto& f = scenario.faults[i];
    plan.faults_.push_back(PlannedFault{f, FaultTrigger{f.at_us, f.at_height, f.at_step}, i, false});
  }
  if (scenario.nemesis && scenario.nemesis->interval_us > 0 && !scenario.nemesis->faults.empty()) {
    plan.add_nemesis(scenario, end_us);
  }
  return plan;
}

void FaultPlan::add_nemesis(const Scenario& scenario, TimeUs end_us) {
  const NemesisConfig& nem = *scenario.nemesis;
  // Steps run while before `until` (when given) and not after the run's end.
  TimeUs last = end_us;
  if (nem.until_us > 0) last = std::min(last, nem.until_us - 1);
  nemesis_steps_ = NemesisSteps{nem.from_us, nem.interval_us, last};
  if (nemesis_steps_.empty()) return;
  nemesis_steps_.last_us = nem.from_us + (last - nem.from_us) / nem.interval_us * nem.interval_us;
  Rng rng = Streams(seed_).stream("nemesis");
  std::vector<TimeUs> ends;  // planned ends of the nemesis faults started so far
  for (TimeUs t = nemesis_steps_.from_us; t <= nemesis_steps_.last_us; t += nem.interval_us) {
    // An end at the step's own time has run before it (it was scheduled earlier).
    const auto open = static_cast<std::size_t>(std::count_if(ends.begin(), ends.end(), [t](TimeUs e) { return e > t; }));
    if (open >= nem.max_concurrent) continue;
    const std::size_t number = faults_.size() - scenario.faults.size() + 1;
    FaultConfig f = draw_nemesis_fault(nem, rng, number);
    ends.push_back(t + fault_lasts_us(f).value_or(0));
    faults_.push_back(PlannedFault{std::move(f), FaultTrigger{t, std::nullopt, std::nullopt}, faults_.size(), true});
  }
}

}  // namespace mt::sim

namespace mt::sim {

namespace {
MsgKind msg_kind_of(const std::string& kind) {
  if (kind == "proposal") return MsgKind::proposal;
  if (kind == "tx") return MsgKind::tx;
  if (kind == "evidence") return MsgKind::evidence;
  if (kind == "status") return MsgKind::status;
  if (kind == "block_request") return MsgKind::block_request;
  if (kind == "block") return MsgKind::block_response;
  return MsgKind::vote;  // vote, prevote, precommit
}

std::vector<bool> member_set(const std::vector<std::size_t>& nodes, std::size_t n) {
  std::vector<bool> set(n, false);
  for (auto i : nodes) {
    if (i < n) set[i] = true;
  }
  return set;
}
}  // namespace

MessageRule message_rule_of(const FaultConfig& f, const std::vector<std::size_t>& from,
                            const std::vector<std::size_t>& to, std::size_t n) {
  const MessageRuleConfig& m = f.message_rule;
  MessageRule r;
  r.kind = msg_kind_of(m.kind);
  if (m.kind == "prevote") r.vote_type = VoteType::prevote;
  if (m.kind == "precommit") r.vote_type = VoteType::precommit;
  if (m.heights) {
    r.any_height = false;
    r.min_height = m.heights->first;
    r.max_height = m.heights->second;
  }
  if (m.rounds) {
    r.any_round = false;
    r.min_round = m.rounds->first;
    r.max_round = m.rounds->second;
  }
  r.from = member_set(from, n);
  r.to = member_set(to, n);
  r.drop = m.drop;
  r.delay_us = m.delay_us;
  r.by_signer = m.signer;
  return r;
}

bool FaultPlan::loses_unsynced() const {
  return std::any_of(faults_.begin(), faults_.end(), [](const PlannedFault& p) {
    return p.fault.action == FaultAction::crash && p.fault.storage == "lose_unsynced";
  });
}

}  // namespace mt::sim
