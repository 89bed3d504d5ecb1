// The fault plan: a scenario's scripted faults plus the nemesis's random ones, drawn from the
// seed once, before the run, into one timeline that both runtimes apply (the simulator's fault
// injector and the testnet's fault driver, through FaultHooks; fault_timeline.hpp). Same scenario
// and seed, same plan: same faults, same triggers, same parameters, same target seeds.
//
// The nemesis is drawn here, not while the run goes: every `interval` from `from` to `until` a
// step starts a new fault when fewer than `max_concurrent` nemesis faults are open, open meaning
// started and not past their planned end. (A scripted `heal` may end a nemesis fault early; its
// slot stays held until the planned end, so the plan never depends on the run.)
//
// Triggers: a time, a finalized height, or a protocol point (`at: {height, round, step, node}`:
// when a validator proposes or casts its prevote/precommit there). Growth (next issue): message
// rules (`messages`: drop or delay a message kind between selectors over a height/round range)
// are one more action, applied through FaultHooks::add_message_rule (simulator only).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/util/time.hpp"
#include "sim/net/message_rules.hpp"
#include "sim/scenario/scenario.hpp"

namespace mt::sim {

// When a planned fault starts: at a run time, at the first honest commit of a height, or when a
// validator reaches a point of the protocol (simulator only).
struct FaultTrigger {
  std::optional<TimeUs> at_us;
  std::optional<std::uint64_t> at_height;
  std::optional<ProtocolPoint> at_step;
  bool operator==(const FaultTrigger&) const = default;
};

// One fault of the plan. `fault` holds what it does, to whom (selectors) and how it ends;
// `salt` seeds its selectors (Streams(seed).seed_of("selector", salt)), the same in every runtime.
struct PlannedFault {
  FaultConfig fault;
  FaultTrigger start;
  std::size_t salt = 0;
  bool nemesis = false;
  bool operator==(const PlannedFault&) const = default;
};

// A link fault's parameters; unset ones keep the link's own.
struct LinkFault {
  std::optional<TimeUs> delay_us;
  std::optional<Ppm> loss;
  std::optional<Ppm> duplicate;
  std::optional<std::uint64_t> bandwidth_bits_per_s;
};

// The nemesis's steps: from_us, from_us + every_us, ... up to last_us inclusive (a step may start
// nothing). Kept as arithmetic, not a list: a long run with a short interval has many steps.
struct NemesisSteps {
  TimeUs from_us = 0;
  TimeUs every_us = 0;
  TimeUs last_us = -1;
  [[nodiscard]] bool empty() const { return every_us <= 0 || last_us < from_us; }
};

class FaultPlan {
 public:
  // `end_us` is the run's end: no nemesis step is planned after it.
  static FaultPlan make(const Scenario& scenario, std::uint64_t seed, TimeUs end_us);

  [[nodiscard]] std::uint64_t seed() const { return seed_; }
  // Scripted faults in scenario order, then nemesis faults in start order.
  [[nodiscard]] const std::vector<PlannedFault>& faults() const { return faults_; }
  // When the nemesis steps (the simulator keeps one scheduler event per step, as it always did).
  [[nodiscard]] const NemesisSteps& nemesis_steps() const { return nemesis_steps_; }
  // Whether a crash may lose unsynced writes (`storage: lose_unsynced`): a runtime must then keep
  // what is unsynced from the start (the simulator's store keeps an undo log only when asked).
  [[nodiscard]] bool loses_unsynced() const;

 private:
  void add_nemesis(const Scenario& scenario, TimeUs end_us);

  std::uint64_t seed_ = 1;
  std::vector<PlannedFault> faults_;
  NemesisSteps nemesis_steps_;
};

// A pause without `duration` lasts this long.
inline constexpr TimeUs kDefaultPauseUs = 10 * kUsPerSec;

// How long a fault lasts once started: duration (crash: restart_after); pause: 10s when not
// given; nullopt when it ends at a height, by a heal, or never.
std::optional<TimeUs> fault_lasts_us(const FaultConfig& f);
// The window of a join, leave or stake change is the moment its transactions are sent.
bool fault_is_instant(const FaultConfig& f);
LinkFault link_fault_of(const FaultConfig& f);
// A `messages` fault as the network's rule, between the resolved `from` and `to` of `n` nodes.
MessageRule message_rule_of(const FaultConfig& f, const std::vector<std::size_t>& from,
                            const std::vector<std::size_t>& to, std::size_t n);

}  // namespace mt::sim
