// `mtsim run`'s main job: run one scenario with one seed (or twice, to check determinism), write
// the requested reports into the output folder, print progress and a summary, and return the exit
// code of DESIGN.md §6. run_command parses options into RunOptions and calls run_main. The run
// itself is sim::run_scenario (sim/runner/runner.hpp); what is about the terminal and the output
// folder stays here in cli/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/terminal.hpp"
#include "core/util/time.hpp"
#include "sim/scenario/scenario.hpp"

namespace mt::cli {

struct RunOptions {
  std::uint64_t seed = 1;                 // resolved: --seed, else scenario seed, else 1
  bool seed_from_cli = false;
  std::optional<TimeUs> until_us;         // --until: stop earlier than the scenario says
  std::string out_dir;                    // --out (default: runs/<name>-seed<N>)
  bool dump_resolved = false;             // write resolved.yaml beside the report
  ProgressMode progress = ProgressMode::auto_detect;
  ColorMode color = ColorMode::auto_detect;
  bool trace = false;                     // write trace.log (one line per event)
  bool timeline = false;                  // write timeline.json (as report.outputs: [timeline])
  bool events = false;                    // --events: write events.jsonl (also report.outputs: [events])
  std::optional<sim::HeightRange> events_heights;  // --events-heights A..B
  std::optional<sim::Selector> events_nodes;       // --events-nodes SEL
  bool check_determinism = false;         // run twice, compare digests (exit 3 on mismatch)
  bool share = true;                      // simulation shortcuts on (--no-share turns them off)
  std::vector<std::string> overrides;     // the --set arguments, for the reproduce command
  std::string scenario_path;              // as given on the command line
  std::string command_line;               // for provenance
};

// Runs the scenario; prints to stdout/stderr; returns the process exit code.
int run_main(const sim::Scenario& scenario, const RunOptions& options);

// The one command that replays this run.
std::string reproduce_command(const RunOptions& options, std::uint64_t seed);

}  // namespace mt::cli
