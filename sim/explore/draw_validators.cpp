// Who validates with how much stake, and who misbehaves: stake shapes (equal, skewed, a whale just
// under 1/3), byzantine groups under 1/3 of the stake (or, on purpose, at or above it), late
// joiners for `join` faults.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/explore/draft.hpp"
#include "sim/scenario/units.hpp"

namespace mt::sim::explore {

namespace {

// Large stakes, so that what the load delegates (10 tokens a tx) never moves a share measurably.
constexpr Amount kBaseStake = 10'000'000;
constexpr std::size_t kMaxByzGroups = 3;

std::vector<Amount> draw_stakes(Rng& rng, const std::string& shape, std::size_t n) {
  std::vector<Amount> s(n, kBaseStake);
  if (shape == "skewed") {
    for (auto& a : s) a = kBaseStake * static_cast<Amount>(std::min(40.0, std::floor(rng.pareto(1.0, 1.3))));
  } else if (shape == "whale") {
    // One validator holds just under 1/3: W / (W + R) = 0.4925 / 1.4925 ~ 33.0%.
    const Amount rest = kBaseStake * static_cast<Amount>(n - 1);
    s[rng.uniform_u64(n)] = rest * 985 / 2000;
  }
  return s;
}

// Byzantine stake must stay strictly under 1/3 with a margin (delegations, rounding), or for an
// over-third seed reach 1/3 but stay under 2/3 (so an invalid block still cannot be finalized).
bool byz_fits(Amount byz, Amount total, bool over_third) {
  if (over_third) return byz * 3 < total * 2;
  return byz * 3 < total - total / 200;
}

std::string behaviour_params(Rng& rng, const std::string& b, const Draft& d, std::size_t honest_count) {
  if (b == "delay_votes") return "by: " + format_duration(draw_ms(rng, 100 * kUsPerMs, d.chain.propose_us * 2));
  if (b == "timestamp_skew") {  // far ahead or behind (refused), or within the drift bound (legal)
    if (rng.bernoulli(0.5)) return rng.bernoulli(0.5) ? "by: 1h" : "by: -1h";
    return "by: " + std::string(rng.bernoulli(0.5) ? "-" : "") + format_duration(draw_ms(rng, 50 * kUsPerMs, 3 * kUsPerSec));
  }
  if (b == "censor") return "fraction: " + format_fraction(static_cast<Ppm>(rng.uniform_int(1, 10)) * 100'000);
  if (b == "spam") return fmt::format("rate: {}/s", rng.uniform_int(5, 50));
  if (b == "selective_gossip") {
    return fmt::format("to: \"v[0:{}]\"", rng.uniform_int(1, static_cast<std::int64_t>(std::max<std::size_t>(1, honest_count / 2))));
  }
  return {};
}

// Equivocation starts early and never ends (so `equivocators_slashed` can be expected); other
// behaviours are on for the whole run or for a window of heights.
std::string behaviour_window(Rng& rng, const std::string& b) {
  if (b == "equivocate_vote") return fmt::format("from_height: {}", rng.uniform_int(2, 4));
  if (rng.bernoulli(0.5)) return {};
  const auto from = rng.uniform_int(2, 6);
  if (rng.bernoulli(0.5)) return fmt::format("from_height: {}", from);
  return fmt::format("from_height: {}, until_height: {}", from, from + rng.uniform_int(3, 15));
}

}  // namespace

Amount ValidatorDraw::honest_total() const { return std::accumulate(honest.begin(), honest.end(), Amount{0}); }

Amount ValidatorDraw::byz_total() const {
  Amount t = 0;
  for (const auto& g : byz) t = std::accumulate(g.stakes.begin(), g.stakes.end(), t);
  return std::accumulate(twins.begin(), twins.end(), t);  // a twinned key may sign twice
}

std::size_t ValidatorDraw::byz_count() const {
  std::size_t c = 0;
  for (const auto& g : byz) c += g.stakes.size();
  return c + twins.size();
}

ValidatorDraw draw_validators(Rng& rng, const Envelope& env, const Draft& d) {
  const auto& span = d.big ? env.big_validators : env.validators;
  const auto n = static_cast<std::size_t>(rng.uniform_int(static_cast<std::int64_t>(span.lo), static_cast<std::int64_t>(span.hi)));
  ValidatorDraw v;
  v.shape = pick(rng, env.stake_shapes);
  const std::vector<Amount> stakes = draw_stakes(rng, v.shape, n);
  const Amount total = std::accumulate(stakes.begin(), stakes.end(), Amount{0});
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.uniform_u64(i)]);
  // Normal seeds aim at a byzantine share drawn in [1%, 33%); over-third seeds at 1/3 or more.
  const Amount target = d.over_third ? total : total * static_cast<Amount>(rng.uniform_int(1, 33)) / 100;
  const std::size_t groups = std::min(kMaxByzGroups, d.swarm.behaviours.size());
  // The groups' behaviours are drawn from the seed's subset (the subset lists them in registry
  // order: its first few would starve the behaviours registered last).
  std::vector<std::string> picked = d.swarm.behaviours;
  for (std::size_t g = 0; g < groups; ++g) std::swap(picked[g], picked[g + rng.uniform_u64(picked.size() - g)]);
  for (std::size_t g = 0; g < groups; ++g) v.byz.push_back(ByzGroup{fmt::format("b{}", g), picked[g], {}, {}, {}});
  Amount byz = 0;
  std::size_t placed = 0;
  std::vector<bool> is_byz(n, false);
  for (std::size_t i : order) {
    if (groups == 0 || (d.over_third ? byz * 3 >= total : byz >= target)) break;
    if (!byz_fits(byz + stakes[i], total, d.over_third)) continue;
    if (!d.over_third && byz > 0 && byz + stakes[i] > target) continue;
    byz += stakes[i];
    is_byz[i] = true;
    v.byz[placed++ % groups].stakes.push_back(stakes[i]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_byz[i]) v.honest.push_back(stakes[i]);
  }
  std::erase_if(v.byz, [](const ByzGroup& g) { return g.stakes.empty(); });
  for (auto& g : v.byz) {
    g.params = behaviour_params(rng, g.behaviour, d, v.honest.size());
    g.window = behaviour_window(rng, g.behaviour);
  }
  if (std::find(d.swarm.faults.begin(), d.swarm.faults.end(), "join") != d.swarm.faults.end()) {
    const auto late = rng.uniform_int(1, 2);
    for (std::int64_t i = 0; i < late; ++i) v.late.push_back(kBaseStake * static_cast<Amount>(rng.uniform_int(1, 3)));
  }
  return v;
}

}  // namespace mt::sim::explore
