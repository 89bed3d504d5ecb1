// The POL shape (fault kind `lock`, the other half of its draws): a height where a set D locks on
// X in round 0, the others lock on Y in round 1 and one of them, A, decides Y; then D re-proposes
// X with its round-0 POL, so that the Tendermint POL rule (line 28: prevote a re-proposal only if
// locked no later than its POL round, or on that block) is what keeps the chain from forking.
// At height H:
//   - the round-0 proposal never reaches a set N: N prevotes nil;
//   - D's round-0 prevotes (signed by D, whoever relays them) reach the rest R (everyone outside D) only after a delay: D sees the
//     polka for X and locks; R sees prevotes from more than 2/3 but not 2/3 for X, and precommits
//     nil; the delayed prevotes complete R's view of the round-0 POL during round 1;
//   - D does not propose in rounds 1..k (k drawn in [1, 3]): an R validator proposes a fresh Y,
//     R locks on it, D refuses; A's prevotes of those rounds never reach D (D sees prevotes
//     from more than 2/3, but not 2/3 for Y, so its valid value stays X, and it precommits nil,
//     which lets R leave the round); A's precommits of rounds >= 1 reach nobody, and right after its
//     first precommit in rounds 1..k A's every message is cut off: A alone decides Y;
//   - R does not propose in rounds > k: a D proposer re-proposes X with POL round 0.
// R (but A) locked on Y in round 1 must prevote nil; ignoring line 28 they prevote X with D,
// decide X, and A's Y conflicts with it. Whether the rounds fall so (round 0's proposer outside
// N, one of rounds 1..k's inside R, a later one inside D) depends on the proposer rotation; when
// they do not, the height is merely slow. Stakes: D and N under 1/3 each, D + N and D + A at least 1/3, A under 1/3.
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "sim/explore/draft.hpp"
#include "sim/scenario/units.hpp"

namespace mt::sim::explore {

namespace {

struct PolCast {
  std::size_t decider = 0;
  std::vector<bool> blind;   // N
  std::vector<bool> locked;  // D
};

std::optional<PolCast> draw_pol_cast(Rng& rng, const std::vector<Amount>& stake) {
  const std::size_t n = stake.size();
  std::vector<std::size_t> idx(n);
  for (std::size_t i = 0; i < n; ++i) idx[i] = i;
  for (std::size_t i = n; i > 1; --i) std::swap(idx[i - 1], idx[rng.uniform_u64(i)]);
  Amount total = 0;
  for (const Amount s : stake) total += s;
  PolCast c{idx[0], std::vector<bool>(n, false), std::vector<bool>(n, false)};
  c.blind[idx[1]] = true;
  Amount d = 0;
  for (std::size_t k = 2; k < n; ++k) {
    if ((d + stake[idx[k]]) * 3 >= total) continue;
    d += stake[idx[k]];
    c.locked[idx[k]] = true;
  }
  const Amount a = stake[c.decider], nil = stake[idx[1]];
  const bool fits = d > 0 && nil * 3 < total && (nil + d) * 3 >= total && (a + d) * 3 >= total && a * 3 < total;
  return fits ? std::optional<PolCast>(c) : std::nullopt;
}

}  // namespace

void draw_pol(Rng& rng, Draft& d, TimeUs& outage_budget) {
  const auto cast = draw_pol_cast(rng, d.validators.honest);
  if (!cast) return;
  const ChainDraw& c = d.chain;
  const auto slot = place_lock_shape(rng, d, outage_budget);
  if (!slot) return;
  const TimeUs len = slot->len;
  const std::uint64_t h = slot->height;
  // Round 0 ends after N's propose timeout and two vote steps: the delayed prevotes land in round 1.
  const TimeUs late = c.propose_us + 2 * c.vote_us + c.vote_us / 2;
  const auto k = rng.uniform_int(1, 3);
  const std::string dur = "duration: " + format_duration(len);
  const std::string a = fmt::format("\"v[{}]\"", cast->decider);
  const std::string locked = honest_names(cast->locked, true), rest = honest_names(cast->locked, false);
  const auto rule = [&](const std::string& body) {
    FaultDraw f{"lock", static_cast<TimeUs>(h - 1) * c.block_time_us, h - 1, {}, 0,
                fmt::format("messages: {{ {}, heights: {} }}, {}", body, h, dur)};
    f.end_us = f.at_us + len;
    d.faults.push_back(std::move(f));
  };
  rule(fmt::format("kind: proposal, from: all, to: {}, rounds: 0, drop: true", honest_names(cast->blind, true)));
  rule(fmt::format("kind: prevote, from: {}, signer: true, to: {}, rounds: 0, delay: {}", locked, rest, format_duration(late)));
  rule(fmt::format("kind: proposal, from: {}, to: all, rounds: [1, {}], drop: true", locked, k));
  rule(fmt::format("kind: proposal, from: {}, to: all, rounds: [{}, 100], drop: true", rest, k + 1));
  rule(fmt::format("kind: prevote, from: {}, signer: true, to: {}, rounds: [1, {}], drop: true", a, locked, k));
  rule(fmt::format("kind: precommit, from: {}, to: all, rounds: [1, 100], drop: true", a));
  for (std::int64_t r = 1; r <= k; ++r) {  // the first of these A reaches cuts it off
    FaultDraw cut{"lock", static_cast<TimeUs>(h) * c.block_time_us, h,
                  fmt::format("round: {}, step: precommit, node: {}", r, a), 0,
                  fmt::format("partition: {{ one_way: {{ from: {}, to: all }} }}, {}", a, dur)};
    cut.end_us = cut.at_us + len;
    d.faults.push_back(std::move(cut));
  }
}

}  // namespace mt::sim::explore
