#include "sim/runner/runner.hpp"

#include <algorithm>
#include <array>

#include "core/crypto/hash.hpp"
#include "sim/faults/fault_injector.hpp"
#include "sim/metrics/metrics_collector.hpp"
#include "sim/metrics/subnet_metrics.hpp"
#include "sim/run/run_assembly.hpp"
#include "sim/runner/world_builder.hpp"
#include "sim/world/world.hpp"

namespace mt::sim {

namespace {

constexpr TimeUs kNoEndUs = 24 * 3600 * kUsPerSec;  // a scenario without `duration` runs a day at most
constexpr std::size_t kHeightSamplesMax = 300;       // per run, for the per-node height chart

void fill_message_stats(const Network& net, RunMetrics& m) {
  for (std::uint8_t k = 1; k <= kMsgKindMax; ++k) {
    const auto& c = net.kind_counters(static_cast<MsgKind>(k));
    if (c.sent == 0 && c.delivered == 0) continue;
    m.messages_by_kind[std::string(msg_kind_name(static_cast<MsgKind>(k)))] =
        MessageStats{c.sent, c.delivered, c.dropped, c.duplicated, c.bytes};
  }
}

// Per-node bytes per simulated second, and gossip copies per unique message by kind.
void fill_traffic_stats(World& world, TimeUs simulated_us, RunMetrics& m) {
  const auto& bytes = world.network().node_bytes();
  const double secs = static_cast<double>(std::max<TimeUs>(simulated_us, 1)) / static_cast<double>(kUsPerSec);
  double sent_sum = 0, received_sum = 0;
  for (const auto& b : bytes) {
    const double s = static_cast<double>(b.sent) / secs, r = static_cast<double>(b.received) / secs;
    sent_sum += s, received_sum += r;
    m.bytes_sent_per_node_s_max = std::max(m.bytes_sent_per_node_s_max, s);
    m.bytes_received_per_node_s_max = std::max(m.bytes_received_per_node_s_max, r);
  }
  if (!bytes.empty()) {
    m.bytes_sent_per_node_s_mean = sent_sum / static_cast<double>(bytes.size());
    m.bytes_received_per_node_s_mean = received_sum / static_cast<double>(bytes.size());
  }
  std::array<std::uint64_t, kMsgKindMax + 1> received{}, unique{};
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const Node* n = world.node(i);
    if (n == nullptr) continue;
    for (std::size_t k = 0; k <= kMsgKindMax; ++k) {
      received[k] += n->stats().gossip_received[k];
      unique[k] += n->stats().gossip_unique[k];
    }
  }
  for (std::uint8_t k = 1; k <= kMsgKindMax; ++k) {
    if (unique[k] == 0) continue;
    m.gossip_copies_per_message[std::string(msg_kind_name(static_cast<MsgKind>(k)))] =
        static_cast<double>(received[k]) / static_cast<double>(unique[k]);
  }
}

Result<std::unique_ptr<World>> make_world(const Scenario& scenario, const RunSettings& settings) {
  auto config = build_world_config(scenario, settings.seed, settings.share);
  if (!config.ok()) return config.error();
  config.value().emit_events = !settings.events.path.empty() || settings.record_consensus;
  // The client view check follows acknowledged txs: only then do nodes report them.
  config.value().emit_tx_events = std::any_of(scenario.expect.begin(), scenario.expect.end(), [](const Expectation& e) {
    return e.kind == Expectation::Kind::check && e.name == "client_view_consistent";
  });
  auto created = World::create(std::move(config).value());
  if (!created.ok()) return created.error();
  World& world = *created.value();
  if (!settings.trace_path.empty()) {
    if (auto st = world.digest().open_trace(settings.trace_path); !st.ok()) return make_error("trace: " + st.error().message);
  }
  if (settings.record_event_digests > 0) world.digest().record_per_event(settings.record_event_digests);
  return created;
}

// Every node's height on a fixed grid of simulated time.
struct HeightSampler {
  TimeUs every_us = kUsPerSec;
  TimeUs next_us = 0;
  std::vector<NodeHeightPoint> points = {};
  void sample_until(TimeUs t, const World& world) {
    for (; next_us <= t; next_us += every_us) {
      NodeHeightPoint p;
      p.t_us = next_us;
      for (std::size_t i = 0; i < world.size(); ++i) p.heights.push_back(world.height_of(i));
      points.push_back(std::move(p));
    }
  }
};

// Progress callbacks every `every_us` of simulated time (and at the end).
struct ProgressReporter {
  const ProgressFn& fn;
  TimeUs every_us;
  TimeUs end_us;
  TimeUs next_us;
  std::uint64_t last_finalized = 0;
  TimeUs last_t = 0;
  void report(TimeUs t, bool stopped, World& world, const MetricsCollector& metrics) {
    if (!fn || (t < next_us && !stopped && t < end_us)) return;
    Progress p;
    p.sim_us = t;
    p.end_us = end_us;
    p.height = world.max_height();
    const auto fin = metrics.finalized();
    p.finalized_tps = t > last_t ? static_cast<double>(fin - last_finalized) * 1e6 / static_cast<double>(t - last_t) : 0.0;
    p.events = world.scheduler().executed();
    last_finalized = fin;
    last_t = t;
    fn(p);
    next_us = t + every_us;
  }
};

// Runs the world to `until`; true when the run must stop there: a safety violation (the violation
// is the reproduction; running on only buries it) or the scenario's stop_at_height.
bool run_slice(World& world, const ExpectationSet& expectations, const Scenario& scenario, const RunSettings& settings,
               TimeUs until) {
  world.scheduler().run_while([&] {
    if (world.scheduler().next_time() > until) return false;
    return !(settings.stop_on_safety_violation && expectations.safety_violated());
  });
  const bool violated = settings.stop_on_safety_violation && expectations.safety_violated();
  return violated || (scenario.stop_at_height && world.max_height() >= *scenario.stop_at_height);
}

// Drives the scheduler in slices to end_us (or an early stop); returns the run's last instant.
TimeUs drive(World& world, const ExpectationSet& expectations, const MetricsCollector& metrics, const Scenario& scenario,
             const RunSettings& settings, const ProgressFn& progress, TimeUs end_us, HeightSampler& heights) {
  const TimeUs slice = std::max<TimeUs>(kUsPerSec / 2, std::min<TimeUs>(settings.progress_every_us, 5 * kUsPerSec));
  ProgressReporter reporter{progress, settings.progress_every_us, end_us, settings.progress_every_us};
  TimeUs t = 0;
  bool stopped = false;
  while (!stopped && t < end_us) {
    const TimeUs until = std::min(end_us, t + slice);
    stopped = run_slice(world, expectations, scenario, settings, until);
    t = stopped ? world.scheduler().now() : until;
    if (!stopped) world.scheduler().run_until(until, 0);  // move the clock to the slice end
    heights.sample_until(t, world);
    reporter.report(t, stopped, world, metrics);
  }
  return t;
}

std::vector<std::string> node_names(const RunView& view) {
  std::vector<std::string> out;
  for (const auto& n : view.nodes) out.push_back(n.name);
  return out;
}

// events.jsonl's sink when the settings ask for one (else `events` stays null).
Status open_events(const Scenario& scenario, const World& world, const RunSettings& settings,
                   std::unique_ptr<EventSink>& events) {
  if (settings.events.path.empty()) return {};
  auto opened = open_event_sink(scenario, world.config(), settings.events, settings.seed);
  if (!opened.ok()) return opened.error();
  events = std::move(opened).value();
  return {};
}

// Crashes end a node's consensus track; every world event (faults' and the world's own) goes to
// events.jsonl.
void forward_world_events(FaultInjector& faults, World& world, TrackRecorder* tracks, EventSink* events) {
  if (tracks == nullptr && events == nullptr) return;
  faults.on_world_event([&world, tracks, events](const WorldEvent& e) {
    if (tracks != nullptr && e.kind == "crash") {
      for (auto n : e.nodes) tracks->on_crash(n, world.scheduler().now());
    }
    if (events != nullptr) events->on_world(world.scheduler().now(), e);
  });
  if (events != nullptr) {  // byzantine actions, from the world itself
    world.on_world_event([&world, events](const WorldEvent& e) { events->on_world(world.scheduler().now(), e); });
  }
}

// report.timeline's heights and nodes, onto the recorded tracks; a message when the selector
// matches nothing.
std::string select_timeline(const Scenario& scenario, std::uint64_t seed, ConsensusTracks& tracks) {
  if (const auto& h = scenario.report.timeline_heights) {
    tracks.show_from = std::max<std::uint64_t>(h->min, 1);
    tracks.show_to = h->max;
  }
  if (!scenario.report.timeline_nodes) return {};
  const auto targets = scenario.selector_targets();
  auto nodes = resolve_selector(*scenario.report.timeline_nodes, targets, seed);
  if (!nodes.ok()) return "timeline: nodes: " + nodes.error().message;
  tracks.show_nodes.assign(targets.size(), false);
  for (std::size_t i : nodes.value()) tracks.show_nodes.at(i) = true;
  return {};
}

// The recorded tracks, ended at run_end and narrowed to report.timeline (`error` says why not).
std::shared_ptr<const ConsensusTracks> finish_tracks(TrackRecorder& tracks, const Scenario& scenario, std::uint64_t seed,
                                                     TimeUs run_end, const std::vector<FaultWindow>& faults,
                                                     std::string& error) {
  auto finished = std::make_shared<ConsensusTracks>(tracks.finish(run_end, faults));
  if (auto why = select_timeline(scenario, seed, *finished); !why.empty()) error = why;
  return finished;
}

// The AI layer's end-of-run metrics from the highest honest node's state.
void take_subnet_metrics(World& world, const Scenario& scenario, std::uint64_t seed, MetricsCollector& metrics) {
  if (scenario.subnets.empty()) return;
  const state::State* best = nullptr;
  for (std::size_t i = 0; i < world.size(); ++i) {
    const Node* n = world.node(i);
    if (n == nullptr || !world.view().nodes[i].honest || !n->state()) continue;
    if (best == nullptr || n->state()->height() > best->height()) best = n->state().get();
  }
  if (best != nullptr) metrics.set_state_metrics(subnet_metrics(*best, SubnetPlan::make(scenario, seed)));
}

}  // namespace

RunOutput run_scenario(const Scenario& scenario, const RunSettings& settings, const ProgressFn& progress) {
  RunOutput out;
  auto created = make_world(scenario, settings);
  if (!created.ok()) {
    out.error = created.error().message;
    return out;
  }
  World& world = *created.value();
  const TimeUs end_us = std::min(settings.until_us.value_or(scenario.duration_us.value_or(kNoEndUs)),
                                 scenario.duration_us.value_or(kNoEndUs));
  MetricsCollector metrics(world.view(), std::max<TimeUs>(scenario.report.resolution_us, kUsPerMs));
  metrics.set_resources(ResourceMeters{&world.cpu().usage(), &world.network(), &world.mempool_peaks()});
  const auto& params = world.config().genesis.params;
  metrics.set_block_limits(params.max_block_txs, params.max_block_bytes);
  ExpectationSet expectations(scenario, world.view(), world.genesis(), world.config().backend, settings.seed);
  FaultInjector faults(world, scenario, FaultPlan::make(scenario, settings.seed, end_us));
  world.on_submitted([&](const Hash32& tx, TimeUs intended) { metrics.on_submitted(tx, intended); });
  std::optional<TrackRecorder> tracks;
  if (settings.record_consensus) tracks.emplace(node_names(world.view()));
  std::unique_ptr<EventSink> events;
  if (auto st = open_events(scenario, world, settings, events); !st.ok()) {
    out.error = st.error().message;
    return out;
  }
  forward_world_events(faults, world, tracks ? &*tracks : nullptr, events.get());
  world.add_listener([&](std::size_t node, TimeUs t, const Event& e) {
    if (tracks) tracks->on_event(node, t, e);
    metrics.on_event(node, t, e);
    expectations.on_event(node, t, e);
    faults.on_event(node, e);
    if (settings.on_event) settings.on_event(node, t, e);
    if (events) events->on_event(node, t, e);
  });
  faults.arm();
  world.start(end_us);
  HeightSampler heights{std::max<TimeUs>(kUsPerSec, end_us / static_cast<TimeUs>(kHeightSamplesMax))};
  const TimeUs drive_end = settings.stop_at_us ? std::min(end_us, *settings.stop_at_us) : end_us;
  const TimeUs run_end = drive(world, expectations, metrics, scenario, settings, progress, drive_end, heights);
  world.digest().close_trace();
  if (events) {
    if (auto st = events->close(); !st.ok()) out.error = "events: " + st.error().message;
  }
  if (settings.stop_at_us) {
    out.stopped_at_us = run_end;
    if (settings.on_stop) settings.on_stop(world, run_end);
    return out;
  }

  take_subnet_metrics(world, scenario, settings.seed, metrics);
  out.result = assemble_run_result(scenario, world.view(), expectations, metrics,
                                   RunEnd{settings.seed, run_end, faults.windows(), std::move(heights.points)});
  if (tracks) out.result.consensus = finish_tracks(*tracks, scenario, settings.seed, run_end, faults.windows(), out.error);
  out.result.digest = world.digest().hex();
  fill_message_stats(world.network(), out.result.metrics);
  fill_traffic_stats(world, out.result.simulated_us, out.result.metrics);
  out.result.speed.events = world.scheduler().executed();
  out.per_event_digests = world.digest().per_event();
  return out;
}

}  // namespace mt::sim
