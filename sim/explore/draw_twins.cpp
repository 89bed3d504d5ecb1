// Twins (fault kind `twins`; Bano et al., "Twins: BFT Systems Made Robust", 2020): a byzantine
// validator emulated by running its key on two honest nodes, and partitions of the nodes that
// change with the consensus round. A seed with `twins` on, honest genesis validators only (at
// least 4):
//   - moves 1 to n/3 validators from `v` into the twinned group `t` (`twin: true`), their stake
//     under 1/3 with a margin: each key runs on `t[i]` and `t_twin[i]`, and counts as byzantine;
//   - draws a schedule of 2-3 per-round partitions (`round_partitions`) over 1-3 heights from a
//     drawn height: every node to one of two groups, each twin apart from its original three
//     times in four, the last partition sticking for later rounds; it lasts a few rounds of the
//     drawn timeouts (place_lock_shape), then heals;
//   - a quarter of the time exactly 1/3 of the stake is twinned when the stakes allow it (the
//     correct quorum, > 2/3, stays safe there; liveness is not expected), and half of those
//     split round 0 into originals and twins, each with half of the rest: two groups that each
//     hold exactly 2/3 (what a quorum of >= 2/3 would accept);
//   - half of the time a collector: at the first height, one round's precommits reach only one
//     node c, which is cut off (one way, sync answers included) right after its own precommit.
//     Tendermint sends every vote to everyone, and with symmetric per-round groups a node that
//     collects a precommit quorum shares it with every honest node of its group, which then
//     decides too: no honest node is ever left locked on a block someone decided (docs/explore.md).
//     DiemBFT, where Twins was built, sends a round's votes to the next leader only; the
//     collector is that asymmetry, and what lets the schedule test the lock and POL rules.
#include <fmt/format.h>

#include <algorithm>

#include "sim/explore/draft.hpp"
#include "sim/scenario/units.hpp"

namespace mt::sim::explore {

namespace {

// Every node of a twins seed by selector text: v[..], t[..], t_twin[..] (t[j] and t_twin[j] pair).
std::vector<std::string> node_names(const ValidatorDraw& v) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < v.honest.size(); ++i) names.push_back(fmt::format("\"v[{}]\"", i));
  for (std::size_t j = 0; j < v.twins.size(); ++j) names.push_back(fmt::format("\"t[{}]\"", j));
  for (std::size_t j = 0; j < v.twins.size(); ++j) names.push_back(fmt::format("\"t_twin[{}]\"", j));
  return names;
}

std::string list_of(const std::vector<std::string>& names, const std::vector<int>& side, int want) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (side[i] == want) s += (s.empty() ? "" : ", ") + names[i];
  }
  return "[" + s + "]";
}

// One round's partition: two groups (a group may come out empty: no cut in that round). `split`:
// every original on one side, every twin on the other, the rest halved (two quorums at 1/3).
std::string draw_partition(Rng& rng, const ValidatorDraw& v, const std::vector<std::string>& names, bool split) {
  std::vector<int> side(names.size());
  for (auto& s : side) s = static_cast<int>(rng.uniform_u64(2));
  const std::size_t n = v.honest.size(), k = v.twins.size();
  for (std::size_t j = 0; j < k; ++j) {
    if (split) side[n + j] = 0;
    if (split || rng.bernoulli(0.75)) side[n + k + j] = 1 - side[n + j];
  }
  for (std::size_t i = 0; split && i < n; ++i) side[i] = 2 * i < n ? 0 : 1;
  const std::string a = list_of(names, side, 0), b = list_of(names, side, 1);
  if (a == "[]" || b == "[]") return fmt::format("[{}]", a == "[]" ? b : a);  // one group: no cut this round
  return fmt::format("[{}, {}]", a, b);
}

// Exactly 1/3 of the stake twinned (the last validators of `v`), when the stakes allow it: the
// correct quorum (> 2/3) stays safe, a quorum of >= 2/3 is not (two groups can each hold one).
bool pick_third(ValidatorDraw& v) {
  const Amount total = v.honest_total();
  Amount twinned = 0;
  std::size_t k = 0;
  while (k + 2 < v.honest.size() && twinned * 3 < total) twinned += v.honest[v.honest.size() - 1 - k++];
  if (twinned * 3 != total) return false;
  v.twins.assign(v.honest.end() - static_cast<std::ptrdiff_t>(k), v.honest.end());
  v.honest.resize(v.honest.size() - k);
  return true;
}

// The twinned validators: the last of `v`, while their stake stays under 1/3 with a margin.
bool pick_twins(Rng& rng, ValidatorDraw& v) {
  const Amount total = v.honest_total();
  const auto want = static_cast<std::size_t>(rng.uniform_int(1, std::max<std::int64_t>(1, static_cast<std::int64_t>(v.honest.size()) / 3)));
  Amount twinned = 0;
  std::size_t k = 0;
  while (k < want && v.honest.size() - k > 3) {
    const Amount s = v.honest[v.honest.size() - 1 - k];
    if ((twinned + s) * 3 >= total - total / 200) break;
    twinned += s;
    ++k;
  }
  v.twins.assign(v.honest.end() - static_cast<std::ptrdiff_t>(k), v.honest.end());
  v.honest.resize(v.honest.size() - k);
  return k > 0;
}

// The collector of one round at height h: that round's precommits reach c alone, and c is cut
// off right after its own precommit, so it alone decides and nobody learns the block from it.
void draw_collector(Rng& rng, Draft& d, const std::vector<std::string>& names, std::uint64_t h, std::uint32_t round,
                    TimeUs len) {
  const std::size_t c = rng.uniform_u64(names.size());
  std::vector<int> side(names.size(), 1);
  side[c] = 0;
  const std::string dur = "duration: " + format_duration(len);
  FaultDraw drop{"twins", static_cast<TimeUs>(h - 1) * d.chain.block_time_us, h - 1, {}, 0,
                 fmt::format("messages: {{ kind: precommit, from: all, to: {}, heights: {}, rounds: {}, drop: true }}, {}",
                             list_of(names, side, 1), h, round, dur)};
  drop.end_us = drop.at_us + len;
  d.faults.push_back(std::move(drop));
  FaultDraw cut{"twins", static_cast<TimeUs>(h) * d.chain.block_time_us, h,
                fmt::format("round: {}, step: precommit, node: {}", round, names[c]), 0,
                fmt::format("partition: {{ one_way: {{ from: {}, to: all }} }}, {}", names[c], dur)};
  cut.end_us = cut.at_us + len;
  d.faults.push_back(std::move(cut));
}

}  // namespace

void draw_twins(Rng& rng, Draft& d, TimeUs& outage_budget) {
  if (std::find(d.swarm.faults.begin(), d.swarm.faults.end(), "twins") == d.swarm.faults.end()) return;
  ValidatorDraw& v = d.validators;
  // A full mesh only: the twins are nodes the drawn peer graph did not count, and a group of a
  // sparse graph may be cut in pieces by the partition itself.
  if (d.big || d.over_third || v.honest.size() < 4 || !v.byz.empty() || !v.late.empty()) return;
  if (d.network.find("peers: full_mesh") == std::string::npos) return;
  d.third_twins = rng.bernoulli(0.25) && pick_third(v);
  if (!d.third_twins && !pick_twins(rng, v)) return;
  const auto slot = place_lock_shape(rng, d, outage_budget);
  if (!slot) return;  // twins without a schedule: the pair still runs, on one network
  const auto names = node_names(v);
  const auto rounds = static_cast<std::uint32_t>(rng.uniform_int(2, 3));
  std::string schedule;
  const bool split = d.third_twins && rng.bernoulli(0.5);
  for (std::uint32_t r = 0; r < rounds; ++r) schedule += (r ? ", " : "") + draw_partition(rng, v, names, split && r == 0);
  const std::uint64_t h = slot->height;
  const auto last = h + static_cast<std::uint64_t>(rng.uniform_int(0, 2));
  FaultDraw f{"twins", static_cast<TimeUs>(h - 1) * d.chain.block_time_us, h - 1, {}, 0,
              fmt::format("round_partitions: {{ heights: [{}, {}], schedule: [{}] }}, duration: {}", h, last, schedule,
                          format_duration(slot->len))};
  f.end_us = f.at_us + slot->len;
  d.faults.push_back(std::move(f));
  if (rng.bernoulli(0.5)) draw_collector(rng, d, names, h, static_cast<std::uint32_t>(rng.uniform_u64(rounds - 1)), slot->len);
}

}  // namespace mt::sim::explore
