// The Yuma epoch step and the emission split, in integers: small matrices whose expected values
// are worked out by hand below, then properties over random matrices (sums, silent miners,
// a colluding minority clipped, every emitted unit accounted for).
#include <doctest/doctest.h>

#include <algorithm>

#include "core/state/subnet/emission.hpp"
#include "core/state/subnet/yuma_scoring.hpp"

using namespace mt;
using namespace mt::state;

namespace {

constexpr std::uint64_t ONE = kYumaOne;

// A tiny deterministic generator for the property tests (xorshift64*).
struct TestRng {
  std::uint64_t s;
  std::uint64_t next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 2685821657736338717ull;
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
};

// |a - b| <= tol: for values that floor several times on the way.
bool near(std::uint64_t a, std::uint64_t b, std::uint64_t tol) { return a > b ? a - b <= tol : b - a <= tol; }

std::uint64_t sum(const std::vector<std::uint64_t>& v) {
  std::uint64_t s = 0;
  for (auto x : v) s += x;
  return s;
}

// Validators 0, 1, 2 (stake 50, 30, 20) score miners 3 and 4.
YumaInput three_validators_two_miners() {
  YumaInput in;
  in.stake = {50, 30, 20, 0, 0};
  in.permit = {true, true, true, false, false};
  in.weights = {{{3, 3}, {4, 1}}, {{3, 1}, {4, 1}}, {{3, 0}, {4, 1}}, {}, {}};
  in.kappa_bp = 5000;
  return in;
}

}  // namespace

TEST_CASE("yuma on a hand-computed 3x2 matrix: stake-weighted median clip, rank, trust, incentive, dividends") {
  const YumaOutput y = yuma_epoch(three_validators_two_miners());
  // Stake shares 50/100, 30/100, 20/100.
  CHECK(y.stake_share == std::vector<std::uint64_t>{ONE / 2, ONE * 3 / 10, ONE / 5, 0, 0});
  CHECK(y.active_validators == 3);
  // Rows normalised: v0 (0.75, 0.25), v1 (0.5, 0.5), v2 (0, 1).
  // Miner 3, descending: 0.75 (stake 0.5) reaches half the stake at once -> consensus 0.75.
  // Miner 4, descending: 1.0 (0.2), 0.5 (0.3: cumulative 0.5) -> consensus 0.5.
  CHECK(y.consensus[3] == ONE * 3 / 4);
  CHECK(y.consensus[4] == ONE / 2);
  // Clipped ranks: r3 = 0.5*0.75 + 0.3*0.5 = 0.525; r4 = 0.2*0.5 + 0.3*0.5 + 0.5*0.25 = 0.375.
  CHECK(y.rank[3] == 525'000'000);
  CHECK(y.rank[4] == 375'000'000);
  // Trust = clipped / unclipped: miner 3 lost nothing; miner 4: 0.375 / 0.475.
  CHECK(y.trust[3] == ONE);
  CHECK(y.trust[4] == 789'473'684);  // floor(0.375 / 0.475 * 1e9)
  // Incentive = rank / total rank (0.9): 0.58333..., 0.41666...
  CHECK(y.incentive[3] == 583'333'333);
  CHECK(y.incentive[4] == 416'666'666);
  CHECK(y.incentive[0] == 0);
  // Dividends: each validator's share of a miner's clipped rank times its incentive.
  // v0: 0.375/0.525 * 7/12 + 0.125/0.375 * 5/12 = 5/9; v1: 0.15/0.525 * 7/12 + 0.4 * 5/12 = 1/3;
  // v2: 0.1/0.375 * 5/12 = 1/9.
  CHECK(near(y.dividends[0], 555'555'555, 3));
  CHECK(near(y.dividends[1], 333'333'333, 3));
  CHECK(near(y.dividends[2], 111'111'111, 3));
  CHECK(y.dividends[3] == 0);
}

TEST_CASE("yuma ignores self-weights, rows of neurons without a permit and weights to unknown uids") {
  YumaInput in;
  in.stake = {10, 10, 0};
  in.permit = {true, false, false};
  // v0 weighs itself (dropped) and uid 2; uid 1 has no permit, so its row (all on uid 2) is ignored;
  // uid 9 does not exist.
  in.weights = {{{0, 100}, {2, 1}, {9, 5}}, {{2, 7}}, {}};
  const YumaOutput y = yuma_epoch(in);
  CHECK(y.active_validators == 1);
  CHECK(y.stake_share[0] == ONE);
  CHECK(y.stake_share[1] == 0);
  CHECK(y.consensus[2] == ONE);
  CHECK(y.incentive == std::vector<std::uint64_t>{0, 0, ONE});
  CHECK(y.dividends == std::vector<std::uint64_t>{ONE, 0, 0});
}

TEST_CASE("with no weights at all every score is zero and the emission pools are burned") {
  YumaInput in;
  in.stake = {5, 0};
  in.permit = {true, false};
  in.weights = {{}, {}};
  const YumaOutput y = yuma_epoch(in);
  CHECK(y.active_validators == 0);
  CHECK(sum(y.incentive) == 0);
  CHECK(sum(y.dividends) == 0);
  Params p;
  const EmissionSplit e = split_emission(10'000, p, y);
  // Miners 35%, validators 28% and stakers 12% have nobody to pay: burned with the 5% burn share.
  CHECK(e.to_neurons == 0);
  CHECK(e.burned == 3500 + 2800 + 1200 + 500);
  CHECK(e.to_owner == 800);
  CHECK(e.to_infrastructure == 200);
  CHECK(e.to_treasury == 1000);
}

TEST_CASE("the emission split of the hand-computed matrix pays by incentive, dividends and stake, dust to the treasury") {
  const YumaOutput y = yuma_epoch(three_validators_two_miners());
  Params p;
  const Amount total = 1'000'003;  // not a multiple of 10000: rounding dust must appear and be kept
  const EmissionSplit e = split_emission(total, p, y);
  // Miners' pool floor(1000003 * 0.35) = 350001, split 7/12 : 5/12 by incentive.
  CHECK(e.to_uid[3] == mul_frac_floor(350'001, 583'333'333, 999'999'999));
  CHECK(e.to_uid[4] == mul_frac_floor(350'001, 416'666'666, 999'999'999));
  CHECK(e.to_owner == 80'000);           // floor(1000003 * 0.08)
  CHECK(e.to_infrastructure == 20'000);  // floor(1000003 * 0.02)
  CHECK(e.burned == 50'000);             // floor(1000003 * 0.05)
  Amount paid = 0;
  for (auto a : e.to_uid) paid += a;
  CHECK(paid == e.to_neurons);
  CHECK(e.to_neurons + e.to_owner + e.to_infrastructure + e.burned + e.to_treasury == total);
  CHECK(e.to_treasury >= 100'000);       // its own 10% plus the dust
}

TEST_CASE("on random matrices the scores sum to their totals and every emitted unit is accounted for") {
  TestRng rng{0x9e3779b97f4a7c15ull};
  for (int round = 0; round < 200; ++round) {
    const std::size_t n = 2 + rng.below(40);
    YumaInput in;
    in.stake.assign(n, Amount{0});
    in.permit.assign(n, false);
    in.weights.assign(n, {});
    std::size_t silent = n;  // a miner nobody weighs, if there is room
    if (n > 3) silent = n - 1;
    for (std::size_t i = 0; i < n; ++i) {
      in.stake[i] = rng.below(1'000'000);
      in.permit[i] = i != silent && rng.below(3) != 0;
      for (std::size_t j = 0; j < n; ++j) {
        if (j == silent || rng.below(2) == 0) continue;
        in.weights[i].push_back({static_cast<std::uint16_t>(j), static_cast<std::uint16_t>(rng.below(65536))});
      }
    }
    const YumaOutput y = yuma_epoch(in);
    CHECK(sum(y.stake_share) <= ONE);
    CHECK(sum(y.incentive) <= ONE);
    CHECK(sum(y.dividends) <= ONE);
    if (sum(y.rank) > 0) {
      CHECK(sum(y.incentive) + n >= ONE);  // at most one unit of floor per entry
      CHECK(sum(y.dividends) + 2 * n * n >= ONE);
    }
    if (silent < n) {
      CHECK(y.rank[silent] == 0);
      CHECK(y.incentive[silent] == 0);
    }
    for (std::size_t j = 0; j < n; ++j) {
      CHECK(y.trust[j] <= ONE);
      if (!in.permit[j] || in.stake[j] == 0) CHECK(y.dividends[j] == 0);
    }
    Params p;
    const Amount total = rng.below(1'000'000'000);
    const EmissionSplit e = split_emission(total, p, y);
    Amount paid = 0;
    for (auto a : e.to_uid) paid += a;
    CHECK(paid == e.to_neurons);
    CHECK(e.to_neurons + e.to_owner + e.to_infrastructure + e.burned + e.to_treasury == total);
    if (silent < n) CHECK(e.to_uid[silent] == 0);  // no weight and no permit: nothing
  }
}

TEST_CASE("a colluding minority below kappa cannot lift its miner above what the honest majority gives it") {
  TestRng rng{12345};
  for (int round = 0; round < 100; ++round) {
    const std::size_t honest = 3 + rng.below(10), colluders = 1 + rng.below(5), miners = 4 + rng.below(20);
    const std::size_t n = honest + colluders + miners;
    YumaInput in;
    in.stake.assign(n, Amount{0});
    in.permit.assign(n, false);
    in.weights.assign(n, {});
    // Honest stake 1000 each; colluders share strictly less than half of all validator stake.
    const Amount honest_total = Amount{1000} * honest;
    for (std::size_t i = 0; i < honest + colluders; ++i) {
      in.permit[i] = true;
      in.stake[i] = i < honest ? 1000 : (honest_total - 1) / colluders;
    }
    const std::size_t favoured = honest + colluders + rng.below(miners);
    std::vector<std::uint64_t> quality(n, 0);
    for (std::size_t j = honest + colluders; j < n; ++j) quality[j] = 1000 + rng.below(60000);
    quality[favoured] = 1 + rng.below(100);  // a poor miner
    for (std::size_t i = 0; i < honest; ++i) {
      for (std::size_t j = honest + colluders; j < n; ++j) {
        in.weights[i].push_back({static_cast<std::uint16_t>(j), static_cast<std::uint16_t>(quality[j])});
      }
    }
    for (std::size_t i = honest; i < honest + colluders; ++i) {
      in.weights[i].push_back({static_cast<std::uint16_t>(favoured), 65535});
    }
    const YumaOutput y = yuma_epoch(in);
    // The honest rows give the favoured miner at most this normalised weight; the clip holds the
    // consensus (and so every clipped weight) to it, whatever the colluders set.
    std::uint64_t honest_max = 0;
    for (std::size_t i = 0; i < honest; ++i) {
      std::uint64_t row = 0;
      for (const auto& e : in.weights[i]) row += e.weight;
      honest_max = std::max<std::uint64_t>(honest_max, quality[favoured] * ONE / row);
    }
    CHECK(y.consensus[favoured] <= honest_max);
    CHECK(y.rank[favoured] <= honest_max);
    CHECK(y.trust[favoured] < ONE / 2);  // most of the weight it received was clipped away
    // Without the colluders the favoured miner's incentive would be at most 1/miners-ish; with them it
    // stays below twice its unclipped honest share.
    YumaInput alone = in;
    for (std::size_t i = honest; i < honest + colluders; ++i) alone.weights[i].clear();
    const YumaOutput base = yuma_epoch(alone);
    CHECK(y.incentive[favoured] <= 2 * base.incentive[favoured] + 2);
  }
}
