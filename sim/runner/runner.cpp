#include "sim/runner/runner.hpp"

#include <algorithm>

#include "core/crypto/hash.hpp"
#include "sim/faults/fault_injector.hpp"
#include "sim/metrics/metrics_collector.hpp"
#include "sim/metrics/subnet_metrics.hpp"
#include "sim/run/expectations.hpp"
#include "sim/runner/world_builder.hpp"
#include "sim/world/world.hpp"

namespace mt::sim {

namespace {

std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,") ==
                        std::string::npos) {
    return s;
  }
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void fill_message_stats(const Network& net, RunMetrics& m) {
  for (std::uint8_t k = 1; k <= kMsgKindMax; ++k) {
    const auto& c = net.kind_counters(static_cast<MsgKind>(k));
    if (c.sent == 0 && c.delivered == 0) continue;
    m.messages_by_kind[std::string(msg_kind_name(static_cast<MsgKind>(k)))] =
        MessageStats{c.sent, c.delivered, c.dropped, c.duplicated, c.bytes};
  }
}

}  // namespace

std::string reproduce_command(const RunOptions& o, std::uint64_t seed) {
  std::string cmd = "mtsim run " + shell_quote(o.scenario_path) + " --seed " + std::to_string(seed);
  for (const auto& s : o.overrides) cmd += " --set " + shell_quote(s);
  if (o.until_us) cmd += " --until " + std::to_string(*o.until_us / kUsPerMs) + "ms";
  if (!o.share) cmd += " --no-share";
  return cmd;
}

RunOutput run_scenario(const Scenario& scenario, const RunSettings& settings, const ProgressFn& progress) {
  RunOutput out;
  auto config = build_world_config(scenario, settings.seed, settings.share);
  if (!config.ok()) {
    out.error = config.error().message;
    return out;
  }
  auto created = World::create(std::move(config).value());
  if (!created.ok()) {
    out.error = created.error().message;
    return out;
  }
  World& world = *created.value();
  if (!settings.trace_path.empty()) {
    if (auto st = world.digest().open_trace(settings.trace_path); !st.ok()) {
      out.error = "trace: " + st.error().message;
      return out;
    }
  }
  if (settings.record_event_digests > 0) world.digest().record_per_event(settings.record_event_digests);

  const TimeUs end_us = std::min(settings.until_us.value_or(scenario.duration_us.value_or(24 * 3600 * kUsPerSec)),
                                 scenario.duration_us.value_or(24 * 3600 * kUsPerSec));
  MetricsCollector metrics(world.view(), std::max<TimeUs>(scenario.report.resolution_us, kUsPerMs));
  ExpectationSet expectations(scenario, world.view(), world.genesis(), world.config().backend, settings.seed);
  FaultInjector faults(world, scenario, FaultPlan::make(scenario, settings.seed));
  world.on_submitted([&](const Hash32& tx, TimeUs intended) { metrics.on_submitted(tx, intended); });
  world.add_listener([&](std::size_t node, TimeUs t, const Event& e) {
    metrics.on_event(node, t, e);
    expectations.on_event(node, t, e);
    faults.on_event(node, e);
  });
  faults.arm();
  world.start(end_us);

  // Drive the scheduler in slices: progress, stop_at_height, and an early stop on a safety
  // violation (the violation is the reproduction; running on only buries it).
  RunResult& r = out.result;
  const TimeUs slice = std::max<TimeUs>(kUsPerSec / 2, std::min<TimeUs>(settings.progress_every_us, 5 * kUsPerSec));
  TimeUs next_progress = settings.progress_every_us;
  std::uint64_t last_finalized = 0;
  TimeUs last_progress_t = 0;
  std::vector<NodeHeightPoint> heights;
  TimeUs next_height_sample = 0;
  const TimeUs height_sample_us = std::max<TimeUs>(kUsPerSec, end_us / 300);
  TimeUs t = 0;
  bool stopped = false;
  while (!stopped && t < end_us) {
    const TimeUs until = std::min(end_us, t + slice);
    world.scheduler().run_while([&] {
      if (world.scheduler().next_time() > until) return false;
      if (settings.stop_on_safety_violation && expectations.safety_violated()) return false;
      return true;
    });
    if (settings.stop_on_safety_violation && expectations.safety_violated()) stopped = true;
    if (scenario.stop_at_height && world.max_height() >= *scenario.stop_at_height) stopped = true;
    t = stopped ? world.scheduler().now() : until;
    if (!stopped) world.scheduler().run_until(until, 0);  // move the clock to the slice end
    while (next_height_sample <= t) {
      NodeHeightPoint p;
      p.t_us = next_height_sample;
      for (std::size_t i = 0; i < world.size(); ++i) p.heights.push_back(world.height_of(i));
      heights.push_back(std::move(p));
      next_height_sample += height_sample_us;
    }
    if (progress && (t >= next_progress || stopped || t >= end_us)) {
      Progress p;
      p.sim_us = t;
      p.end_us = end_us;
      p.height = world.max_height();
      const auto fin = metrics.finalized();
      p.finalized_tps = t > last_progress_t ? static_cast<double>(fin - last_finalized) * 1e6 /
                                                   static_cast<double>(t - last_progress_t)
                                             : 0.0;
      p.events = world.scheduler().executed();
      last_finalized = fin;
      last_progress_t = t;
      progress(p);
      next_progress = t + settings.progress_every_us;
    }
  }
  const TimeUs run_end = t;
  world.digest().close_trace();

  r.scenario_name = scenario.name;
  r.scenario_file = scenario.file;
  r.seed = settings.seed;
  r.simulated_us = run_end;
  r.validators = world.size();
  r.digest = world.digest().hex();
  if (!scenario.subnets.empty()) {
    // The AI layer's end-of-run metrics from the highest honest node's state.
    const state::State* best = nullptr;
    for (std::size_t i = 0; i < world.size(); ++i) {
      const Node* n = world.node(i);
      if (n == nullptr || !world.view().nodes[i].honest || !n->state()) continue;
      if (best == nullptr || n->state()->height() > best->height()) best = n->state().get();
    }
    if (best != nullptr) metrics.set_state_metrics(subnet_metrics(*best, SubnetPlan::make(scenario, settings.seed)));
  }
  r.expectations = expectations.finish(run_end, metrics);
  metrics.fill(r, expectations.steady(run_end), run_end);
  fill_message_stats(world.network(), r.metrics);
  r.node_heights = std::move(heights);
  for (const auto& n : world.view().nodes) r.node_names.push_back(n.name);
  r.faults = faults.windows();
  r.exit_code = exit_code_of(r.expectations);
  r.speed.events = world.scheduler().executed();
  out.per_event_digests = world.digest().per_event();
  return out;
}

}  // namespace mt::sim
