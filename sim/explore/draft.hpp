// What one seed drew, before it becomes scenario text (internal to sim/explore): the generator's
// draw_* steps fill a Draft from their own named streams, expectations_for() derives what theory
// lets us expect of it, and render_draft() writes it in the scenario format.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/util/amount.hpp"
#include "core/util/time.hpp"
#include "sim/engine/streams.hpp"
#include "sim/explore/envelope.hpp"
#include "sim/explore/swarm.hpp"

namespace mt::sim::explore {

struct ChainDraw {
  TimeUs block_time_us = 0;
  TimeUs propose_us = 0, propose_delta_us = 0;
  TimeUs vote_us = 0, vote_delta_us = 0;  // prevote and precommit alike
  bool fast_crypto = false;
};

struct ByzGroup {
  std::string name;       // b0, b1, ...
  std::string behaviour;
  std::vector<Amount> stakes;
  std::string window;     // extra keys of the byzantine mapping ("from_height: 3"), or empty
  std::string params;     // behaviour parameters ("by: 400ms"), or empty
};

// Validators: honest genesis group `v`, byzantine groups `b<i>`, honest late joiners `late`, and
// the twinned group `t` (`twin: true`: each also runs as `t_twin[i]`; its stake counts as byzantine).
struct ValidatorDraw {
  std::vector<Amount> honest;
  std::vector<Amount> twins;
  std::vector<ByzGroup> byz;
  std::vector<Amount> late;
  std::string shape;
  [[nodiscard]] Amount honest_total() const;
  [[nodiscard]] Amount byz_total() const;
  [[nodiscard]] std::size_t byz_count() const;
  [[nodiscard]] std::size_t size() const { return honest.size() + byz_count() + late.size() + twins.size(); }
};

struct FaultDraw {
  std::string kind;       // a kFaultKinds entry (never nemesis)
  TimeUs at_us = 0;       // the trigger, or for a height trigger the nominal time of that height
  std::uint64_t at_height = 0;  // > 0: triggered when the first honest node finalizes this height
  // With at_height: a protocol-point trigger instead, `at: {height, step, node}` (this mapping's
  // `step` and `node`, e.g. "step: precommit, node: \"v[2]\"").
  std::string at_step;
  TimeUs end_us = 0;      // == at_us for instantaneous kinds
  std::string body;       // the action and its end, as scenario flow-mapping keys
};

struct Draft {
  std::uint64_t seed = 0;
  bool big = false;
  bool over_third = false;
  bool third_twins = false;  // exactly 1/3 of the stake twinned (draw_twins.cpp): safety, no liveness
  SwarmDraw swarm;
  ChainDraw chain;
  ValidatorDraw validators;
  std::string network;    // the `network:` section's body lines
  std::string load;       // `accounts:`, `load:` and `subnets:` sections, or empty
  std::vector<FaultDraw> faults;
  std::string nemesis;    // the `nemesis:` flow mapping, or empty
  TimeUs nemesis_end_us = 0;
  TimeUs fault_phase_us = 0;
  TimeUs slow_us = 0;         // > 0: every link slower by this from 1 s to the end (`slow`)
  TimeUs heal_margin_us = 0;  // a height-triggered fault may start late: liveness is judged later
  TimeUs stall_bound_us = 0;  // finality may pause at most this long once every fault healed
  TimeUs duration_us = 0;
  std::vector<std::string> expect;  // one flow mapping per expectation
};

// Whole milliseconds in [lo, hi] (both rounded to ms).
TimeUs draw_ms(Rng& rng, TimeUs lo_us, TimeUs hi_us);
// One of `items` (non-empty).
const std::string& pick(Rng& rng, const std::vector<std::string>& items);

ChainDraw draw_chain(Rng& rng, const Envelope& env, bool big);
ValidatorDraw draw_validators(Rng& rng, const Envelope& env, const Draft& d);
std::string draw_network(Rng& rng, const Envelope& env, const Draft& d);
std::string draw_load(Rng& rng, const Envelope& env, const Draft& d);
void draw_faults(Rng& rng, const Envelope& env, Draft& d);
void draw_nemesis(Rng& rng, Draft& d);
// The lock shape (draw_lock.cpp), when the seed switched `lock` on; spends outage budget.
void draw_lock(Rng& rng, Draft& d, TimeUs& outage_budget);
void draw_pol(Rng& rng, Draft& d, TimeUs& outage_budget);
// The slow network (draw_slow.cpp), when the seed switched `slow` on; and the rounds a height
// needs on it before a proposal can arrive in time.
void draw_slow(Rng& rng, Draft& d);
// `storage`: fills `f` with a crash of one honest validator with storage damage, restarting
// after `len`; `silenced` marks the validators a torn record may leave unable to sign.
void draw_storage(Rng& rng, const Draft& d, FaultDraw& f, TimeUs len, std::vector<bool>& silenced);
// Twins (draw_twins.cpp), when the seed switched `twins` on: moves a few honest validators into
// the twinned group `t` and adds a per-round partition schedule; spends outage budget.
void draw_twins(Rng& rng, Draft& d, TimeUs& outage_budget);
std::int64_t slow_rounds(const Draft& d);
// Shared by the two: the names of honest validators i with which[i] == value, as a YAML list;
// where a shape goes: it lasts a few rounds of the drawn timeouts (at most 10 s) from the start
// of a height of 3.. (nullopt when it does not fit the fault phase or the outage budget, which it
// is charged to; the heal margin grows, as the height may come late).
std::string honest_names(const std::vector<bool>& which, bool value);
struct LockSlot {
  TimeUs len = 0;
  std::uint64_t height = 0;
};
std::optional<LockSlot> place_lock_shape(Rng& rng, Draft& d, TimeUs& outage_budget);

// The longest finality pause theory allows once every fault healed (see generator.cpp).
TimeUs stall_bound(const Draft& d);
// Safety checks always (where theory allows), accountability and liveness where they hold.
std::vector<std::string> expectations_for(const Draft& d);
std::string render_draft(const Draft& d, const std::string& envelope_name);

}  // namespace mt::sim::explore
