// The setting of a drawn scenario: chain timing, network and load.
#include <fmt/format.h>

#include <algorithm>

#include "sim/explore/draft.hpp"
#include "sim/scenario/units.hpp"

namespace mt::sim::explore {

TimeUs draw_ms(Rng& rng, TimeUs lo_us, TimeUs hi_us) {
  const auto lo = lo_us / kUsPerMs;
  const auto hi = std::max(lo, hi_us / kUsPerMs);
  return rng.uniform_int(lo, hi) * kUsPerMs;
}

const std::string& pick(Rng& rng, const std::vector<std::string>& items) {
  MT_ASSERT(!items.empty(), "pick from an empty list");
  return items[rng.uniform_u64(items.size())];
}

// Timeouts follow the block time: propose 1-1.5 block times, each vote step half of that, deltas
// a quarter of their base (so round r of a height waits base + r x delta, as in the chain).
ChainDraw draw_chain(Rng& rng, const Envelope& env, bool big) {
  ChainDraw c;
  c.block_time_us = draw_ms(rng, env.block_time.lo, env.block_time.hi);
  const TimeUs floor_us = 200 * kUsPerMs;
  c.propose_us = std::max(floor_us, draw_ms(rng, c.block_time_us, c.block_time_us * 3 / 2));
  c.vote_us = std::max(floor_us, c.propose_us / 2 / kUsPerMs * kUsPerMs);
  c.propose_delta_us = std::max<TimeUs>(50 * kUsPerMs, c.propose_us / 4 / kUsPerMs * kUsPerMs);
  c.vote_delta_us = std::max<TimeUs>(50 * kUsPerMs, c.vote_us / 4 / kUsPerMs * kUsPerMs);
  const bool coin = rng.uniform_u64(kPpmOne) < env.fast_crypto_fraction;
  c.fast_crypto = big || coin;
  return c;
}

namespace {

// A peer graph under which the honest validators stay connected when the byzantine ones stop
// relaying: a random d-regular graph is d-connected almost surely, so d exceeds the byzantine count.
std::string draw_peers(Rng& rng, const Envelope& env, const Draft& d) {
  const std::size_t n = d.validators.size();
  const std::size_t nbyz = d.validators.byz_count();
  std::string kind = pick(rng, env.topologies);
  if (kind == "small_world" && (nbyz > 0 || n < 7)) kind = "random_regular";
  if (kind == "random_regular") {
    std::size_t lo = std::max<std::size_t>(3, nbyz + 3);
    std::size_t hi = std::min<std::size_t>(n - 1, std::max<std::size_t>(lo, 8));
    if (lo > hi || n < 6) return "full_mesh";
    auto deg = static_cast<std::size_t>(rng.uniform_int(static_cast<std::int64_t>(lo), static_cast<std::int64_t>(hi)));
    if (n * deg % 2 != 0) deg = deg + 1 <= hi ? deg + 1 : deg - 1;
    if (deg < lo || n * deg % 2 != 0) return "full_mesh";
    return fmt::format("{{ kind: random_regular, degree: {} }}", deg);
  }
  if (kind == "small_world") {
    const std::size_t k = n > 8 && rng.bernoulli(0.5) ? 6 : 4;
    return fmt::format("{{ kind: small_world, k: {}, p: {} }}", k, format_fraction(static_cast<Ppm>(rng.uniform_int(5, 30)) * 10'000));
  }
  return "full_mesh";
}

}  // namespace

std::string draw_network(Rng& rng, const Envelope& env, const Draft& d) {
  const TimeUs median = std::max<TimeUs>(kUsPerMs, draw_ms(rng, env.latency.lo, env.latency.hi));
  const auto sigma_tenths = rng.uniform_int(1, 6);
  const TimeUs jitter = draw_ms(rng, 0, median / 4);
  const auto loss = static_cast<Ppm>(rng.uniform_int(env.loss.lo, env.loss.hi));
  std::string s = fmt::format(
      "  latency: {{ default: {{ dist: lognormal, median: {}, sigma: 0.{} }}, jitter: {} }}\n",
      format_duration(median), sigma_tenths, format_duration(jitter));
  if (loss > 0) s += fmt::format("  loss: {}\n", format_fraction(loss));
  s += "  peers: " + draw_peers(rng, env, d) + "\n";
  if (d.big || rng.bernoulli(0.25)) s += fmt::format("  gossip_batch: {}\n", format_duration(draw_ms(rng, 5 * kUsPerMs, 30 * kUsPerMs)));
  return s;
}

// Open-loop load: one or two segments, transfers / staking / subnet txs. Subnet txs bring a
// small subnet with them.
std::string draw_load(Rng& rng, const Envelope& env, const Draft& d) {
  const std::uint64_t hi = d.big ? std::min<std::uint64_t>(env.load_tps.hi, 10) : env.load_tps.hi;
  const auto tps = static_cast<std::uint64_t>(rng.uniform_int(static_cast<std::int64_t>(std::min(env.load_tps.lo, hi)),
                                                              static_cast<std::int64_t>(hi)));
  const auto accounts = rng.uniform_int(20, 200);
  const std::string tx1 = pick(rng, env.load_txs);
  const std::string tx2 = pick(rng, env.load_txs);
  const bool two = rng.bernoulli(0.3);
  if (tps == 0) return {};
  std::string s = fmt::format("accounts: {{ count: {} }}\nload:\n", accounts);
  s += fmt::format("  - {{ kind: poisson, rate: {}/s, tx: {}, accounts: {} }}\n", tps, tx1, accounts);
  if (two) s += fmt::format("  - {{ from: {}, kind: constant, rate: {}/s, tx: {} }}\n", format_duration(d.fault_phase_us / 2), std::max<std::uint64_t>(1, tps / 2), tx2);
  const auto subnet_tx = [](const std::string& t) { return t == "set_weights" || t == "register_neuron"; };
  if (subnet_tx(tx1) || (two && subnet_tx(tx2))) {
    s += "subnets:\n  - { name: sn, tempo: 5, miners: 4, validators: [ { behavior: honest, count: 2, stake: 1000 } ] }\n";
  }
  return s;
}

}  // namespace mt::sim::explore
