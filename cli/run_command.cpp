// `mtsim run FILE [...]`: parse and validate everything, then hand over to run_main.
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <fmt/format.h>

#include "cli/command_line.hpp"
#include "cli/common_options.hpp"
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
  add_common_options(desc);
  desc.add_options()("help,h", "help")("dump-resolved", "dump")("trace", "trace")("timeline", "timeline")("check-determinism", "determinism")(
      "no-share", "no share")("baseline", po::value<std::string>(), "baseline")("events", "events")(
      "events-heights", po::value<std::string>(), "heights")("events-nodes", po::value<std::string>(), "nodes")("file", po::value<std::string>(), "scenario");
  return desc;
}

// The options shared with `mtsim testnet` (common_options.hpp); false after printing why.
bool read_common(const po::variables_map& vm, RunOptions& o) {
  CommonOptions c;
  if (!read_common_options("run", vm, c)) return false;
  if (c.seed) {
    o.seed = *c.seed;
    o.seed_from_cli = true;
  }
  o.until_us = c.until_us;
  o.overrides = std::move(c.overrides);
  o.progress = c.progress;
  o.color = c.color;
  if (c.out_dir) o.out_dir = *c.out_dir;
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
  if (!read_common(vm, o) || !read_events(vm, o)) return kExitUsage;
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
  if (o.out_dir.empty()) o.out_dir = fmt::format("runs/{}-seed{}", s.value().name, o.seed);
  for (const auto& w : s.value().warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  const int code = run_main(s.value(), o);
  if (baseline && code != kExitBadScenario && code != kExitInternal) print_baseline_deltas(*baseline, o.out_dir);
  return code;
}

}  // namespace mt::cli
