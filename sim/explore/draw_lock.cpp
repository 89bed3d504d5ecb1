// The lock shape (fault kind `lock`): message rules and a one-way cut that leave a height with one
// decider and a set of honest validators locked on the block it decided, then make an unlocked
// validator propose another block, so that the Tendermint lock rule (line 22) is what keeps the
// chain from forking. At height H:
//   - the round-0 proposal never reaches a set D of validators (under 1/3 of the stake): they
//     prevote nil, see the polka without its block, precommit nil, and hold no valid value;
//   - the decider A's round-0 precommit reaches nobody, and right after it sends it A's every
//     message (status and block-sync answers included) is cut off: A alone decides X, and nobody
//     can learn X from it while the shape lasts;
//   - no validator outside D proposes in rounds >= 1 (those locked on X would re-propose it):
//     the first D proposer's round brings a fresh block Y to validators locked on X.
// Locked validators must prevote nil; ignoring the lock, they prevote Y with D, decide Y, and A's
// X conflicts with it. Everything heals after a few rounds; A's status then lets the others sync X.
// Half of the time up to two of the locked validators also crash right after their precommit and
// restart within a propose timeout (issue #18 bug 1): they must come back still locked.
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "sim/explore/draft.hpp"
#include "sim/scenario/units.hpp"

namespace mt::sim::explore {

namespace {

struct LockCast {
  std::size_t decider = 0;
  std::vector<bool> blind;  // D: never sees the round-0 proposal, proposes in rounds >= 1
};

// A (the decider) and D, or nothing when the stakes do not allow the shape: D under 1/3 of the
// stake, and the lockers other than A not above 2/3 (so only A sees a precommit quorum for X).
std::optional<LockCast> draw_cast(Rng& rng, const std::vector<Amount>& stake) {
  const std::size_t n = stake.size();
  std::vector<std::size_t> idx(n);
  for (std::size_t i = 0; i < n; ++i) idx[i] = i;
  for (std::size_t i = n; i > 1; --i) std::swap(idx[i - 1], idx[rng.uniform_u64(i)]);
  Amount total = 0;
  for (const Amount s : stake) total += s;
  LockCast c{idx[0], std::vector<bool>(n, false)};
  Amount blind = 0;
  const std::size_t want = static_cast<std::size_t>(rng.uniform_int(1, static_cast<std::int64_t>(n) / 3 + 1));
  std::size_t picked = 0;
  for (std::size_t k = 1; k < n && picked < want; ++k) {
    if ((blind + stake[idx[k]]) * 3 >= total) continue;
    blind += stake[idx[k]];
    c.blind[idx[k]] = true;
    ++picked;
  }
  const Amount others_locked = total - blind - stake[c.decider];
  if (picked == 0 || others_locked * 3 > total * 2) return std::nullopt;
  return c;
}

// Issue #18 bug 1, the restart fork: up to two validators locked on X crash right after their
// round-0 precommit and restart before a D validator proposes; they must come back locked.
void restart_lockers(Rng& rng, Draft& d, const LockCast& cast, std::uint64_t h, TimeUs& outage_budget) {
  const TimeUs down = draw_ms(rng, 300 * kUsPerMs, std::max<TimeUs>(300 * kUsPerMs, std::min<TimeUs>(d.chain.propose_us, 1500 * kUsPerMs)));
  std::size_t restarted = 0;
  for (std::size_t i = 0; i < cast.blind.size() && restarted < 2 && outage_budget >= down; ++i) {
    if (i == cast.decider || cast.blind[i] || !rng.bernoulli(0.6)) continue;
    const auto who = fmt::format("\"v[{}]\"", i);
    FaultDraw f{"lock", static_cast<TimeUs>(h) * d.chain.block_time_us, h,
                fmt::format("round: 0, step: precommit, node: {}", who), 0,
                fmt::format("crash: {}, restart_after: {}", who, format_duration(down))};
    f.end_us = f.at_us + down;
    d.faults.push_back(std::move(f));
    outage_budget -= down;
    ++restarted;
  }
}

}  // namespace

std::string honest_names(const std::vector<bool>& which, bool value) {
  std::string s = "[";
  for (std::size_t i = 0; i < which.size(); ++i) {
    if (which[i] == value) s += fmt::format("{}\"v[{}]\"", s.size() > 1 ? ", " : "", i);
  }
  return s + "]";
}

std::optional<LockSlot> place_lock_shape(Rng& rng, Draft& d, TimeUs& outage_budget) {
  const ChainDraw& c = d.chain;
  const TimeUs t0 = c.propose_us + 2 * c.vote_us, delta = c.propose_delta_us + 2 * c.vote_delta_us;
  const auto rounds = rng.uniform_int(3, 6);
  TimeUs len = 0;
  for (std::int64_t r = 0; r < rounds; ++r) len += t0 + r * delta;
  len = std::min({len, 10 * kUsPerSec, outage_budget});
  if (len < 2 * t0) return std::nullopt;
  const auto last_height = (d.fault_phase_us - len) / c.block_time_us;
  if (last_height < 3) return std::nullopt;
  outage_budget -= len;
  d.heal_margin_us = std::max(d.heal_margin_us, 10 * kUsPerSec);
  return LockSlot{len, static_cast<std::uint64_t>(rng.uniform_int(3, last_height))};
}

// Adds the shape's four faults to d.faults (or, half of the time, the POL shape of draw_pol.cpp)
// when the seed switched `lock` on, the validators are
// honest genesis ones only (byzantine or late validators would change who locks), and the shape
// fits the outage budget left. Its time counts against that budget like any cut.
void draw_lock(Rng& rng, Draft& d, TimeUs& outage_budget) {
  if (std::find(d.swarm.faults.begin(), d.swarm.faults.end(), "lock") == d.swarm.faults.end()) return;
  const auto& stake = d.validators.honest;
  if (d.big || stake.size() < 4 || !d.validators.byz.empty() || !d.validators.late.empty() || !d.validators.twins.empty()) {
    return;
  }
  if (rng.bernoulli(0.5)) return draw_pol(rng, d, outage_budget);
  const auto cast = draw_cast(rng, stake);
  if (!cast) return;
  // A few rounds, so that some D validator's turn to propose comes while the shape lasts.
  const ChainDraw& c = d.chain;
  const auto slot = place_lock_shape(rng, d, outage_budget);
  if (!slot) return;
  const TimeUs len = slot->len;
  const std::uint64_t h = slot->height;
  const std::string dur = "duration: " + format_duration(len);
  const std::string a = fmt::format("\"v[{}]\"", cast->decider);
  const auto before = [&](std::string body) {
    FaultDraw f{"lock", static_cast<TimeUs>(h - 1) * c.block_time_us, h - 1, {}, 0, std::move(body)};
    f.end_us = f.at_us + len;
    d.faults.push_back(std::move(f));
  };
  before(fmt::format("messages: {{ kind: proposal, from: all, to: {}, heights: {}, rounds: 0, drop: true }}, {}",
                     honest_names(cast->blind, true), h, dur));
  before(fmt::format("messages: {{ kind: precommit, from: {}, to: all, heights: {}, rounds: 0, drop: true }}, {}", a, h, dur));
  before(fmt::format("messages: {{ kind: proposal, from: {}, to: all, heights: {}, rounds: [1, 100], drop: true }}, {}",
                     honest_names(cast->blind, false), h, dur));
  FaultDraw cut{"lock", static_cast<TimeUs>(h) * c.block_time_us, h,
                fmt::format("round: 0, step: precommit, node: {}", a), 0,
                fmt::format("partition: {{ one_way: {{ from: {}, to: all }} }}, {}", a, dur)};
  cut.end_us = cut.at_us + len;
  d.faults.push_back(std::move(cut));
  if (rng.bernoulli(0.5)) restart_lockers(rng, d, *cast, h, outage_budget);
}

}  // namespace mt::sim::explore
