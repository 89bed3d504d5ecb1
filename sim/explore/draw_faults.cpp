// What breaks when: faults of the kinds the swarm switched on, all starting and healing inside the
// fault phase, so that whatever theory expects of the healed network can be checked after it.
// Two budgets keep the expectations honest: set changes never lift byzantine stake to 1/3 (or, on
// an over-third seed, to 2/3), and the time honest nodes spend cut off stays well under the
// downtime-slashing threshold (drawn chains slash a validator that signed under 10% of a
// 100-block window; see render_draft.cpp), so honest_never_slashed is not a false alarm.
#include <fmt/format.h>

#include <algorithm>

#include "sim/explore/draft.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/units.hpp"

namespace mt::sim::explore {

namespace {

std::string node_list(Rng& rng, std::size_t count, std::size_t max_pick) {
  std::vector<std::size_t> idx(count);
  for (std::size_t i = 0; i < count; ++i) idx[i] = i;
  for (std::size_t i = count; i > 1; --i) std::swap(idx[i - 1], idx[rng.uniform_u64(i)]);
  const auto k = static_cast<std::size_t>(rng.uniform_int(1, static_cast<std::int64_t>(std::max<std::size_t>(1, max_pick))));
  idx.resize(std::min(k, count));
  std::sort(idx.begin(), idx.end());
  std::string s = "[";
  for (std::size_t i = 0; i < idx.size(); ++i) s += fmt::format("{}\"v[{}]\"", i ? ", " : "", idx[i]);
  return s + "]";
}

// Honest nodes by name (up to half of them: more than 1/3 halts the chain while it lasts), or the
// fewest validators holding a drawn stake share.
std::string targets(Rng& rng, const Draft& d) {
  if (rng.bernoulli(0.6)) return node_list(rng, d.validators.honest.size(), (d.validators.honest.size() + 1) / 2);
  return fmt::format("{{ stake_fraction: {} }}", format_fraction(static_cast<Ppm>(rng.uniform_int(1, 5)) * 100'000));
}

std::string slice(Rng& rng, std::size_t n) {
  return fmt::format("\"v[0:{}]\"", rng.uniform_int(1, static_cast<std::int64_t>(std::max<std::size_t>(1, n - 1))));
}

std::string signed_ms(Rng& rng, TimeUs lo, TimeUs hi) {
  const TimeUs v = draw_ms(rng, lo, hi);
  return (rng.bernoulli(0.5) ? "-" : "") + format_duration(v);
}

// A message rule: one kind from honest targets to everyone, over a few heights near the fault's
// start (nominal: one height a block time) and the first rounds, dropped or delayed.
std::string message_rule_body(Rng& rng, const Draft& d, const std::string& dur) {
  static const std::vector<std::string> kKinds{"proposal", "vote", "prevote", "precommit", "tx", "evidence", "block"};
  const std::string kind = pick(rng, kKinds);
  std::string rule = fmt::format("kind: {}, from: {}, to: all", kind, targets(rng, d));
  if (kind != "tx" && rng.bernoulli(0.7)) {
    const auto h = rng.uniform_int(2, std::max<std::int64_t>(2, d.fault_phase_us / d.chain.block_time_us));
    rule += fmt::format(", heights: [{}, {}]", h, h + rng.uniform_int(0, 5));
  }
  if (kind != "tx" && kind != "block" && rng.bernoulli(0.5)) rule += fmt::format(", rounds: [0, {}]", rng.uniform_int(0, 2));
  rule += rng.bernoulli(0.5) ? std::string(", drop: true")
                             : ", delay: " + format_duration(draw_ms(rng, 50 * kUsPerMs, 2 * kUsPerSec));
  return fmt::format("messages: {{ {} }}, {}", rule, dur);
}

// The action keys and end of one transient fault lasting `len`.
std::string transient_body(Rng& rng, const std::string& kind, const Draft& d, TimeUs len) {
  const std::size_t nv = d.validators.honest.size();
  const std::string dur = "duration: " + format_duration(len);
  if (kind == "crash") return fmt::format("crash: {}, restart_after: {}", targets(rng, d), format_duration(len));
  if (kind == "partition") return fmt::format("partition: {{ isolate: {} }}, {}", targets(rng, d), dur);
  if (kind == "split") {
    const auto k = rng.uniform_int(1, static_cast<std::int64_t>(nv - 1));
    return fmt::format("partition: {{ groups: [\"v[0:{}]\", \"v[{}:]\"] }}, {}", k, k, dur);
  }
  if (kind == "one_way") return fmt::format("partition: {{ one_way: {{ from: {}, to: all }} }}, {}", slice(rng, nv), dur);
  if (kind == "pause") return fmt::format("pause: {}, {}", targets(rng, d), dur);
  if (kind == "clock_skew" && !d.validators.byz.empty() && rng.bernoulli(0.5)) {
    // A byzantine validator's clock far ahead: its proposals carry far-future timestamps, which
    // must not let it halt the chain.
    return fmt::format("clock_skew: {{ who: {}, offset: {} }}, {}", d.validators.byz[rng.uniform_u64(d.validators.byz.size())].name,
                       format_duration(draw_ms(rng, 5 * kUsPerSec, 3600 * kUsPerSec)), dur);
  }
  if (kind == "clock_skew") {
    return fmt::format("clock_skew: {{ who: {}, offset: {}, drift: {}ppm }}, {}", node_list(rng, nv, 2),
                       signed_ms(rng, 50 * kUsPerMs, 2 * kUsPerSec), rng.uniform_int(-200, 200), dur);
  }
  if (kind == "link_delay") {
    return fmt::format("link: {{ from: {}, to: all, delay: {} }}, {}", targets(rng, d),
                       format_duration(draw_ms(rng, 20 * kUsPerMs, 800 * kUsPerMs)), dur);
  }
  if (kind == "messages") return message_rule_body(rng, d, dur);
  MT_ASSERT(kind == "link_loss", "unknown transient fault kind " + kind);
  return fmt::format("link: {{ from: {}, to: all, loss: {} }}, {}", targets(rng, d),
                     format_fraction(static_cast<Ppm>(rng.uniform_int(5, 50)) * 10'000), dur);
}

// Byzantine stake against the honest stake that remains if every decrease drawn so far applies
// and no increase does (set changes land at different times; this is the worst moment).
struct StakeBook {
  std::vector<Amount> honest;
  std::vector<bool> left;
  std::vector<bool> joined;
  Amount honest_min = 0;
  Amount byz = 0;
  bool over_third = false;
  std::size_t honest_active = 0;

  [[nodiscard]] bool fits(Amount honest_after) const {
    const Amount total = honest_after + byz;
    return over_third ? byz * 3 < total * 2 : byz * 3 < total - total / 200;
  }
};

// A set change (stake, join, leave), or empty when it would break the stake budget.
std::string set_change_body(Rng& rng, const std::string& kind, StakeBook& book) {
  if (kind == "join") {
    for (std::size_t j = 0; j < book.joined.size(); ++j) {
      if (book.joined[j]) continue;
      book.joined[j] = true;
      return fmt::format("join: \"late[{}]\"", j);
    }
    return {};
  }
  const std::size_t i = rng.uniform_u64(book.honest.size());
  if (book.left[i]) return {};
  if (kind == "leave") {
    if (book.honest_active <= 2 || !book.fits(book.honest_min - book.honest[i])) return {};
    book.left[i] = true;
    --book.honest_active;
    book.honest_min -= book.honest[i];
    return fmt::format("leave: \"v[{}]\"", i);
  }
  const Amount amount = std::max<Amount>(1, book.honest[i] * static_cast<Amount>(rng.uniform_int(25, 200)) / 100);
  const Amount drop = amount < book.honest[i] ? book.honest[i] - amount : 0;
  if (!book.fits(book.honest_min - drop)) return {};
  book.honest_min -= drop;
  book.honest[i] = std::min(book.honest[i], amount);  // later decreases count from the lower stake
  return fmt::format("stake: {{ who: \"v[{}]\", amount: {} }}", i, amount_to_string(amount));
}

constexpr TimeUs kMaxCrashUs = 10 * kUsPerSec;  // the longest transient fault drawn

bool cuts_nodes_off(const std::string& kind);

// A height trigger (a protocol step) for a fault, or 0 to keep its time trigger. Such a fault may
// come later than planned, so liveness is judged kMaxCrashUs later (Draft::heal_margin_us).
std::uint64_t step_trigger(Rng& rng, const Draft& d, const FaultDraw& f, std::uint64_t storm) {
  if (f.kind == "crash" || f.kind == "storage") {
    if (storm > 0 && rng.bernoulli(0.7)) return storm;
    if (!rng.bernoulli(0.35)) return 0;
    return static_cast<std::uint64_t>(std::max<TimeUs>(2, f.at_us / (2 * d.chain.block_time_us)));
  }
  const bool network = cuts_nodes_off(f.kind) || f.kind == "link_delay" || f.kind == "link_loss";
  if (storm > 0 && network && rng.bernoulli(0.5)) return storm - 1;
  return 0;
}

bool is_set_change(const std::string& kind) { return kind == "stake" || kind == "join" || kind == "leave"; }
bool cuts_nodes_off(const std::string& kind) {
  return kind == "crash" || kind == "storage" || kind == "partition" || kind == "split" || kind == "one_way" || kind == "pause" ||
         kind == "messages";
}

}  // namespace

void draw_faults(Rng& rng, const Envelope& env, Draft& d) {
  std::vector<std::string> kinds;
  for (const auto& k : d.swarm.faults) {
    if (k != "nemesis" && k != "lock" && k != "slow" && k != "twins") kinds.push_back(k);
  }
  const auto count = rng.uniform_int(static_cast<std::int64_t>(env.faults_per_seed.lo), static_cast<std::int64_t>(env.faults_per_seed.hi));
  // Honest nodes may be cut off for at most 40 block times in all (a drawn chain slashes a
  // validator that misses more than 90 of a 100-block window).
  TimeUs outage_budget = 40 * d.chain.block_time_us;
  // A storm: network faults when the first honest node finalizes height H - 1, crashes when it
  // finalizes H (the others have precommitted, and locked, but not yet committed).
  const auto nominal = static_cast<std::int64_t>(d.fault_phase_us / (3 * d.chain.block_time_us));
  const auto storm = rng.bernoulli(0.35) ? static_cast<std::uint64_t>(rng.uniform_int(3, std::max<std::int64_t>(3, nominal))) : 0u;
  draw_twins(rng, d, outage_budget);  // first: it decides who is honest (draws nothing when off)
  std::vector<FaultDraw> drawn;
  std::vector<bool> silenced(d.validators.honest.size(), false);  // storage: torn records
  for (std::int64_t k = 0; k < count && !kinds.empty() && d.validators.honest.size() >= 2; ++k) {
    FaultDraw f;
    f.kind = pick(rng, kinds);
    f.at_us = draw_ms(rng, kUsPerSec, d.fault_phase_us - kUsPerSec);
    TimeUs len = std::min(draw_ms(rng, 300 * kUsPerMs, 10 * kUsPerSec), d.fault_phase_us - f.at_us);
    if (cuts_nodes_off(f.kind)) {
      len = std::min(len, outage_budget);
      if (len < 100 * kUsPerMs) continue;
      outage_budget -= len;
    }
    f.end_us = is_set_change(f.kind) ? f.at_us : f.at_us + len;
    f.at_height = step_trigger(rng, d, f, storm);
    if (f.at_height > 0) d.heal_margin_us = std::max(d.heal_margin_us, kMaxCrashUs);
    if (f.kind == "storage") {
      draw_storage(rng, d, f, len, silenced);
      drawn.push_back(std::move(f));
      continue;
    }
    if (f.kind == "crash" && f.at_height > 0 && rng.bernoulli(0.5)) {
      // Restart-fork hunting: crash one validator right after it sends its precommit (round 0
      // or 1), before the height is final; it must come back without signing anything else.
      const auto who = fmt::format("\"v[{}]\"", rng.uniform_u64(d.validators.honest.size()));
      f.at_step = fmt::format("round: {}, step: precommit, node: {}", rng.uniform_int(0, 1), who);
      f.body = fmt::format("crash: {}, restart_after: {}", who, format_duration(len));
      drawn.push_back(std::move(f));
      continue;
    }
    if (!is_set_change(f.kind)) f.body = transient_body(rng, f.kind, d, len);
    drawn.push_back(std::move(f));
  }
  std::stable_sort(drawn.begin(), drawn.end(), [](const FaultDraw& a, const FaultDraw& b) { return a.at_us < b.at_us; });
  StakeBook book{d.validators.honest, std::vector<bool>(d.validators.honest.size(), false),
                 std::vector<bool>(d.validators.late.size(), false), d.validators.honest_total(),
                 d.validators.byz_total(), d.over_third, d.validators.honest.size()};
  for (auto& f : drawn) {
    if (is_set_change(f.kind)) f.body = set_change_body(rng, f.kind, book);
    if (!f.body.empty()) d.faults.push_back(std::move(f));
  }
  if (outage_budget >= d.fault_phase_us / 2) draw_nemesis(rng, d);
  draw_lock(rng, d, outage_budget);  // last: the draws above are those of seeds without it
  draw_slow(rng, d);
}

// A seeded nemesis over the fault phase: one fault at a time, each ending before the phase does.
void draw_nemesis(Rng& rng, Draft& d) {
  if (std::find(d.swarm.faults.begin(), d.swarm.faults.end(), "nemesis") == d.swarm.faults.end()) return;
  std::vector<std::string> kinds;
  for (const auto& k : kNemesisFaults) {
    if (rng.bernoulli(0.5)) kinds.push_back(k);
  }
  if (kinds.empty()) kinds.push_back("crash");
  const TimeUs interval = draw_ms(rng, 2 * kUsPerSec, 6 * kUsPerSec);
  const TimeUs until = d.fault_phase_us - interval / 2;
  if (until <= 2 * kUsPerSec) return;
  std::string list;
  for (const auto& k : kinds) list += (list.empty() ? "" : ", ") + k;
  d.nemesis = fmt::format("{{ faults: [{}], targets: [one], interval: {}, duration: {}, from: 1s, until: {} }}", list,
                          format_duration(interval), format_duration(interval / 2), format_duration(until));
  d.nemesis_end_us = d.fault_phase_us;
}

}  // namespace mt::sim::explore
