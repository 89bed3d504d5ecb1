// One simulated run: scenario + seed -> RunResult. Builds the world, wires metrics, checks and
// faults to it, drives the scheduler to the end (or to the first safety violation), and
// evaluates every expectation. Writes nothing: reports/ turns the result into files.
#pragma once

#include <functional>

#include <optional>

#include "core/node/events.hpp"
#include "core/util/time.hpp"
#include "sim/events/event_setup.hpp"
#include "sim/run/run_result.hpp"
#include "sim/scenario/scenario.hpp"

namespace mt::sim {

class World;

struct Progress {
  TimeUs sim_us = 0;
  TimeUs end_us = 0;
  std::uint64_t height = 0;
  double finalized_tps = 0;   // over the last progress interval
  std::uint64_t events = 0;
};
using ProgressFn = std::function<void(const Progress&)>;

struct RunOutput {
  RunResult result;
  std::vector<std::uint64_t> per_event_digests;  // when recorded (determinism check)
  std::string error;                             // set when the run could not start (exit 65/70)
  std::optional<TimeUs> stopped_at_us;            // with RunSettings::stop_at_us: where it stopped
};

struct RunSettings {
  std::uint64_t seed = 1;
  std::optional<TimeUs> until_us;
  bool share = true;
  std::string trace_path;               // empty: no trace
  std::size_t record_event_digests = 0; // keep the digest after each of the first N events
  TimeUs progress_every_us = 5 * kUsPerSec;  // simulated time between progress callbacks
  bool stop_on_safety_violation = true;
  // Sees every node event after the run's own collectors (mtsim explore counts coverage with it).
  std::function<void(std::size_t node, TimeUs t, const Event& e)> on_event;
  // events.jsonl (sim/events/): written when events_path is set; the filter adds to the
  // scenario's report.events (a CLI range or selector replaces the scenario's).
  EventRequest events;  // events.path empty: no events.jsonl
  // Record per-node consensus tracks into RunResult::consensus (timeline.json, report swimlane).
  bool record_consensus = false;
  // Stop at this simulated time (every event at or before it has run) and hand the world to
  // on_stop, then return without settling the expectations (RunOutput::stopped_at_us is set).
  // Unlike until_us it does not shorten the scenario: faults and load are planned for the whole
  // run, so the world at stop_at_us is the world a full run passes through (mtsim inspect).
  std::optional<TimeUs> stop_at_us;
  std::function<void(World& world, TimeUs t)> on_stop;
};

RunOutput run_scenario(const Scenario& scenario, const RunSettings& settings, const ProgressFn& progress = {});

}  // namespace mt::sim
