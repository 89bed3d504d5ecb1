// `mtsim run FILE [...]`: parse and validate everything, then hand over to run_main.
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/run_main.hpp"
#include "cli/terminal.hpp"
#include "reports/metric_delta.hpp"
#include "reports/report_json.hpp"
#include "sim/run/exit_codes.hpp"
#include "sim/scenario/load_scenario.hpp"

namespace po = boost::program_options;

namespace mt::cli {
namespace {

po::options_description run_options() {
  po::options_description desc("run options");
  desc.add_options()("help,h", "help")("seed", po::value<std::string>(), "seed")(
      "set", po::value<std::vector<std::string>>()->composing(), "override")("until", po::value<std::string>(), "until")(
      "out", po::value<std::string>(), "out")("dump-resolved", "dump")("progress", po::value<std::string>(), "progress")(
      "color", po::value<std::string>(), "color")("trace", "trace")("timeline", "timeline")("check-determinism", "determinism")(
      "no-share", "no share")("baseline", po::value<std::string>(), "baseline")("events", "events")(
      "events-heights", po::value<std::string>(), "heights")("events-nodes", po::value<std::string>(), "nodes")("file", po::value<std::string>(), "scenario");
  return desc;
}

// Fills the mode flags; false (after printing why) on a bad value.
bool read_modes(const po::variables_map& vm, RunOptions& o) {
  if (vm.count("progress") != 0) {
    const auto v = vm["progress"].as<std::string>();
    if (v == "auto") o.progress = ProgressMode::auto_detect;
    else if (v == "bar") o.progress = ProgressMode::bar;
    else if (v == "lines") o.progress = ProgressMode::lines;
    else if (v == "none") o.progress = ProgressMode::none;
    else {
      std::fprintf(stderr, "mtsim run: --progress must be auto, bar, lines or none, not '%s'\n", v.c_str());
      return false;
    }
  }
  if (vm.count("color") != 0) {
    const auto v = vm["color"].as<std::string>();
    if (v == "auto") o.color = ColorMode::auto_detect;
    else if (v == "always") o.color = ColorMode::always;
    else if (v == "never") o.color = ColorMode::never;
    else {
      std::fprintf(stderr, "mtsim run: --color must be auto, always or never, not '%s'\n", v.c_str());
      return false;
    }
  }
  o.progress = resolve_progress(o.progress);
  o.color = resolve_color(o.color);
  return true;
}

// --seed and --until; false (after printing why) on a bad value.
bool read_numbers(const po::variables_map& vm, RunOptions& o) {
  if (vm.count("seed") != 0) {
    auto seed = sim::parse_count(vm["seed"].as<std::string>());
    if (!seed) {
      std::fprintf(stderr, "mtsim run: --seed: %s\n", seed.error().message.c_str());
      return false;
    }
    o.seed = seed.value();
    o.seed_from_cli = true;
  }
  if (vm.count("until") != 0) {
    auto until = sim::parse_duration(vm["until"].as<std::string>());
    if (!until || until.value() == 0) {
      std::fprintf(stderr, "mtsim run: --until needs a duration above 0 such as 90s\n");
      return false;
    }
    o.until_us = until.value();
  }
  return true;
}

// --events, --events-heights A..B, --events-nodes SEL; false (after printing why) on a bad value.
bool read_events(const po::variables_map& vm, RunOptions& o) {
  o.events = vm.count("events") != 0 || vm.count("events-heights") != 0 || vm.count("events-nodes") != 0;
  if (vm.count("events-heights") != 0) {
    auto r = sim::parse_height_range(vm["events-heights"].as<std::string>());
    if (!r.ok()) {
      std::fprintf(stderr, "mtsim run: --events-heights: %s\n", r.error().message.c_str());
      return false;
    }
    o.events_heights = r.value();
  }
  if (vm.count("events-nodes") != 0) {
    auto sel = sim::parse_selector_text(vm["events-nodes"].as<std::string>());
    if (!sel.ok()) {
      std::fprintf(stderr, "mtsim run: --events-nodes: %s\n", sel.error().message.c_str());
      return false;
    }
    o.events_nodes = std::move(sel).value();
  }
  return true;
}

// --baseline OLD: prints metric deltas of this run (its report.json in out_dir) against OLD.
// Only reporting: the run's exit code does not change.
void print_baseline_deltas(const sim::RunResult& old_run, const std::string& out_dir) {
  auto fresh = reports::read_report_json(std::filesystem::path(out_dir) / "report.json");
  if (!fresh.ok()) {
    std::fprintf(stderr, "mtsim run: --baseline: cannot read this run's report: %s\n", fresh.error().message.c_str());
    return;
  }
  std::cout << "\nmetric deltas against the baseline (seed " << old_run.seed << ", " << old_run.scenario_name
            << "):\n";
  reports::print_metric_deltas(std::cout, reports::compare_reports(old_run, fresh.value()));
  std::cout.flush();
}

}  // namespace

int run_command(const std::vector<std::string>& args, const std::string& command_line) {
  const auto desc = run_options();
  po::variables_map vm;
  if (auto stop = parse_file_command("run", desc, args, vm, print_run_help, "mtsim run FILE [options]")) return *stop;
  RunOptions o;
  o.scenario_path = vm["file"].as<std::string>();
  o.command_line = command_line;
  if (vm.count("set") != 0) o.overrides = vm["set"].as<std::vector<std::string>>();
  if (!read_numbers(vm, o) || !read_modes(vm, o) || !read_events(vm, o)) return kExitUsage;
  o.dump_resolved = vm.count("dump-resolved") != 0;
  o.trace = vm.count("trace") != 0;
  o.timeline = vm.count("timeline") != 0;
  o.check_determinism = vm.count("check-determinism") != 0;
  o.share = vm.count("no-share") == 0;
  std::optional<sim::RunResult> baseline;
  if (vm.count("baseline") != 0) {
    auto old = reports::read_report_json(vm["baseline"].as<std::string>());
    if (!old.ok()) {
      std::fprintf(stderr, "mtsim run: --baseline: %s\n", old.error().message.c_str());
      return kExitUsage;
    }
    baseline = std::move(old).value();
  }
  auto s = sim::load_scenario(o.scenario_path, o.overrides);
  if (!s) {
    std::fprintf(stderr, "%s\nmtsim run: %s is not a valid scenario\n", s.error().message.c_str(), o.scenario_path.c_str());
    return kExitBadScenario;
  }
  if (!o.seed_from_cli) o.seed = s.value().seed.value_or(1);
  o.out_dir = vm.count("out") != 0 ? vm["out"].as<std::string>()
                                   : "runs/" + s.value().name + "-seed" + std::to_string(o.seed);
  for (const auto& w : s.value().warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  const int code = run_main(s.value(), o);
  if (baseline && code != kExitBadScenario && code != kExitInternal) print_baseline_deltas(*baseline, o.out_dir);
  return code;
}

}  // namespace mt::cli
