#include "sim/explore/generator.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/engine/streams.hpp"
#include "sim/explore/draft.hpp"
#include "sim/explore/kinds.hpp"
#include "sim/scenario/load_scenario.hpp"

namespace mt::sim::explore {

namespace {

constexpr Ppm kHonestOnlyShare = 300'000;  // 30% of seeds have no byzantine validator at all

Draft draw_draft(const Envelope& env, std::uint64_t seed, const KindWeights& weights) {
  const Streams streams(seed);
  Draft d;
  d.seed = seed;
  Rng shape = streams.stream("explore.shape");
  d.big = shape.uniform_u64(kPpmOne) < env.big_fraction;
  d.over_third = shape.uniform_u64(kPpmOne) < env.over_third_fraction;
  const bool honest_only = !d.over_third && shape.uniform_u64(kPpmOne) < kHonestOnlyShare;
  d.fault_phase_us = d.big ? env.fault_phase.lo : draw_ms(shape, env.fault_phase.lo, env.fault_phase.hi);
  Rng swarm = streams.stream("explore.swarm");
  d.swarm = draw_swarm(swarm, env, weights, honest_only);
  Rng chain = streams.stream("explore.chain");
  d.chain = draw_chain(chain, env, d.big);
  Rng validators = streams.stream("explore.validators");
  d.validators = draw_validators(validators, env, d);
  // What was drawn decides: a seed meant to be over 1/3 may not have found byzantine stake.
  const Amount byz = d.validators.byz_total();
  d.over_third = byz * 3 >= byz + d.validators.honest_total();
  Rng network = streams.stream("explore.network");
  d.network = draw_network(network, env, d);
  Rng load = streams.stream("explore.load");
  d.load = draw_load(load, env, d);
  Rng faults = streams.stream("explore.faults");
  draw_faults(faults, env, d);
  d.stall_bound_us = stall_bound(d);
  d.duration_us = d.fault_phase_us + d.heal_margin_us + d.stall_bound_us +
                  std::max<TimeUs>(3 * kUsPerSec, 3 * d.chain.block_time_us);
  d.expect = expectations_for(d);
  return d;
}

}  // namespace

// Liveness bound once every fault healed. While faults last, nodes may climb through rounds whose
// timeouts grow (round r of a height waits T0 + r x delta); after the heal a height may need a few
// more rounds (a byzantine or lagging proposer each), counted from the highest round reachable in
// the fault phase. Generous on purpose: a halt is unbounded, so any finite bound catches it, and a
// bound too tight would be a false alarm.
TimeUs stall_bound(const Draft& d) {
  const ChainDraw& c = d.chain;
  const TimeUs t0 = c.propose_us + 2 * c.vote_us;
  const TimeUs delta = c.propose_delta_us + 2 * c.vote_delta_us;
  // On a slow network (draw_slow.cpp) the proposal and each vote step arrive that much later,
  // and a height needs the rounds whose propose timeout outlasts the delay.
  const TimeUs late = 3 * d.slow_us;
  std::int64_t reachable = 0;
  for (TimeUs spent = 0; spent + t0 + reachable * delta + late <= d.fault_phase_us; ++reachable) {
    spent += t0 + reachable * delta + late;
  }
  const std::int64_t extra =
      3 + static_cast<std::int64_t>(std::min<std::size_t>(d.validators.byz_count(), 3)) + slow_rounds(d);
  TimeUs bound = 2 * c.block_time_us + (d.big ? 10 * kUsPerSec : 2 * kUsPerSec);
  for (std::int64_t r = reachable; r <= reachable + extra; ++r) bound += t0 + r * delta + late;
  return std::max<TimeUs>(bound, 10 * kUsPerSec) / kUsPerMs * kUsPerMs;
}

std::vector<std::string> expectations_for(const Draft& d) {
  std::vector<std::string> e;
  // Under 1/3 byzantine stake every safety check holds. At or above it, agreement (and with it
  // state roots, supply and slashing as one chain sees them) survives only if no byzantine
  // validator can sign conflicting messages or forget its lock.
  bool agreement_theory = true;
  for (const auto& g : d.validators.byz) {
    if (d.over_third && breaks_agreement_above_third(g.behaviour)) agreement_theory = false;
  }
  if (agreement_theory) {
    for (const char* check : {"no_conflicting_finality", "state_root_agreement", "supply_conserved",
                              "no_invalid_tx_committed", "honest_never_slashed", "final_blocks_valid",
                              "client_view_consistent"}) {
      e.push_back(fmt::format("{{ check: {} }}", check));
    }
  }
  // Whatever the byzantine stake: honest keys never sign twice, and a slash needs real evidence.
  for (const char* check : {"honest_signs_once", "only_double_signers_slashed", "slashed_at_most_once", "evidence_within_age"}) {
    e.push_back(fmt::format("{{ check: {} }}", check));
  }
  if (d.over_third || d.third_twins) return e;
  for (const auto& g : d.validators.byz) {
    if (g.behaviour == "equivocate_vote") e.push_back(fmt::format("{{ check: equivocators_slashed, who: {}, within: 30 blocks }}", g.name));
  }
  e.push_back(fmt::format("{{ check: finality_progress, max_stall: {}, window: [{}, {}] }}", format_duration(d.stall_bound_us),
                          format_duration(d.fault_phase_us + d.heal_margin_us), format_duration(d.duration_us)));
  return e;
}

Result<Generated> generate_scenario(const Envelope& envelope, std::uint64_t seed, const KindWeights& weights) {
  const Draft d = draw_draft(envelope, seed, weights);
  const std::string name = envelope.file.empty() ? "defaults" : envelope.file;
  const std::string text = render_draft(d, name);
  auto loaded = load_scenario_text(text, fmt::format("explore-seed{}.yaml", seed));
  if (!loaded) return Error{fmt::format("explore: seed {} drew a scenario that does not load (a generator bug):\n{}\n--- drawn text ---\n{}", seed, loaded.error().message, text)};
  Generated g;
  g.scenario = std::move(loaded).value();
  g.swarm = d.swarm;
  g.over_third = d.over_third;
  g.big = d.big;
  g.fault_phase_us = d.fault_phase_us;
  g.stall_bound_us = d.over_third || d.third_twins ? 0 : d.stall_bound_us;
  return g;
}

}  // namespace mt::sim::explore
