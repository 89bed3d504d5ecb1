// `mtsim explain RUN_DIR [--height H | --at T] [--node SEL] [--json]`: the round story of one
// height from the run's events.jsonl (sim/explain/). A folder without events.jsonl is rerun with
// events on from its resolved.yaml and the seed in its report.json (same build, same run).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "cli/commands.hpp"
#include "reports/report_json.hpp"
#include "sim/explain/story_output.hpp"
#include "sim/run/exit_codes.hpp"
#include "sim/runner/runner.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "sim/scenario/units.hpp"

namespace mt::cli {

void print_explain_help() {
  std::printf(
      "usage: mtsim explain RUN_DIR [--height H | --at T] [--node SEL] [--json]\n"
      "\n"
      "Tells the round story of one height from RUN_DIR/events.jsonl (write it with `mtsim run --events`\n"
      "or report.outputs: [events]; without it the run is replayed with events on from RUN_DIR/resolved.yaml\n"
      "and the seed in RUN_DIR/report.json). First one line per round saying why it failed, then per\n"
      "round: the proposer and its state (crashed by which fault, partitioned, byzantine, late), how far\n"
      "its proposal got by stake, prevote and precommit tallies by stake naming the missing, and the\n"
      "timeouts that fired.\n"
      "\n"
      "options:\n"
      "  --height H   the height to tell (default: the worst stall, most rounds then longest)\n"
      "  --at T       the height being decided at simulated time T (a duration such as 45s)\n"
      "  --node SEL   also list these validators' own events of the height (a selector: core[3], core)\n"
      "  --json       the same story as JSON\n");
}

namespace {

struct ExplainArgs {
  std::string dir;
  std::optional<std::uint64_t> height;
  std::optional<TimeUs> at_us;
  std::string node;
  bool json = false;
};

std::optional<int> usage(const std::string& message) {
  std::fprintf(stderr, "mtsim explain: %s (see mtsim help explain)\n", message.c_str());
  return kExitUsage;
}

// One option's value; false (after printing why) when it does not parse.
std::optional<int> take_value(const std::string& opt, const std::string& v, ExplainArgs& o) {
  if (opt == "--node") {
    o.node = v;
    return std::nullopt;
  }
  if (opt == "--height") {
    auto h = sim::parse_count(v);
    if (!h.ok()) return usage("--height: " + h.error().message);
    o.height = h.value();
    return std::nullopt;
  }
  auto t = sim::parse_duration(v);
  if (!t.ok()) return usage("--at: " + t.error().message);
  o.at_us = t.value();
  return std::nullopt;
}

std::optional<int> parse_explain_args(const std::vector<std::string>& args, ExplainArgs& o) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      print_explain_help();
      return kExitOk;
    }
    if (a == "--json") {
      o.json = true;
    } else if (a == "--height" || a == "--at" || a == "--node") {
      if (i + 1 >= args.size()) return usage(a + " needs a value");
      if (auto stop = take_value(a, args[++i], o)) return stop;
    } else if (!a.empty() && a[0] == '-') {
      return usage("unknown option '" + a + "'");
    } else if (o.dir.empty()) {
      o.dir = a;
    } else {
      return usage("one RUN_DIR only");
    }
  }
  if (o.dir.empty()) return usage("RUN_DIR is missing");
  if (o.height && o.at_us) return usage("--height and --at exclude each other");
  return std::nullopt;
}

// Replays the run in `dir` with events on; an exit code when it cannot.
std::optional<int> rerun_with_events(const std::filesystem::path& dir, const std::filesystem::path& events) {
  const auto resolved = dir / "resolved.yaml";
  auto report = reports::read_report_json(dir / "report.json");
  if (!report.ok() || !std::filesystem::exists(resolved)) {
    std::fprintf(stderr,
                 "mtsim explain: %s has no events.jsonl, and no resolved.yaml and report.json to replay from;\n"
                 "  run it again with `mtsim run FILE --seed N --events --out %s`\n",
                 dir.c_str(), dir.c_str());
    return kExitUsage;
  }
  auto scenario = sim::load_scenario(resolved.string(), {});
  if (!scenario) {
    std::fprintf(stderr, "mtsim explain: %s: %s\n", resolved.c_str(), scenario.error().message.c_str());
    return kExitBadScenario;
  }
  std::fprintf(stderr, "explain: no events.jsonl in %s: replaying seed %llu of resolved.yaml with events on\n",
               dir.c_str(), static_cast<unsigned long long>(report.value().seed));
  sim::RunSettings settings;
  settings.seed = report.value().seed;
  settings.events.path = events.string();
  auto out = sim::run_scenario(scenario.value(), settings);
  if (!out.error.empty()) {
    std::fprintf(stderr, "mtsim explain: replay: %s\n", out.error.c_str());
    return kExitInternal;
  }
  return std::nullopt;
}

// The failing expectations of the run, one line each (empty when it passed or has no report).
std::string failures_of(const std::filesystem::path& dir) {
  auto report = reports::read_report_json(dir / "report.json");
  if (!report.ok()) return "";
  std::string out;
  for (const auto& e : report.value().expectations) {
    if (!e.passed) out += "run failed: " + e.name + " (" + e.window + "): " + e.measured + "\n";
  }
  return out;
}

std::optional<std::uint64_t> choose_height(const sim::EventLog& log, const ExplainArgs& o) {
  if (o.height) return o.height;
  if (o.at_us) return sim::height_at(log, *o.at_us);
  return sim::worst_height(log);
}

// --node SEL against the log's node table.
Result<std::vector<std::size_t>> chosen_nodes(const sim::EventLog& log, const std::string& text) {
  if (text.empty()) return std::vector<std::size_t>{};
  auto sel = sim::parse_selector_text(text);
  if (!sel.ok()) return sel.error();
  std::vector<sim::SelectorTarget> targets;
  std::map<std::string, std::size_t> in_group;
  for (const auto& n : log.nodes) targets.push_back({n.group, in_group[n.group]++, static_cast<Amount>(n.stake)});
  return sim::resolve_selector(sel.value(), targets, 0);
}

}  // namespace

int explain_command(const std::vector<std::string>& args) {
  ExplainArgs o;
  if (auto stop = parse_explain_args(args, o)) return *stop;
  const std::filesystem::path dir(o.dir);
  const auto events = dir / "events.jsonl";
  if (!std::filesystem::exists(events)) {
    if (auto stop = rerun_with_events(dir, events)) return *stop;
  }
  auto log = sim::read_event_log(events.string());
  if (!log.ok()) {
    std::fprintf(stderr, "mtsim explain: %s\n", log.error().message.c_str());
    return kExitBadScenario;
  }
  const auto height = choose_height(log.value(), o);
  if (!height) {
    std::fprintf(stderr, "mtsim explain: %s holds no consensus events to explain\n", events.c_str());
    return kExitUsage;
  }
  auto nodes = chosen_nodes(log.value(), o.node);
  if (!nodes.ok()) return usage("--node: " + nodes.error().message).value_or(kExitUsage);
  const sim::HeightStory story = sim::tell_height(log.value(), *height);
  if (o.json) {
    std::cout << sim::story_json(log.value(), story, nodes.value()).dump(2) << "\n";
  } else {
    std::cout << failures_of(dir) << sim::story_text(log.value(), story, nodes.value());
  }
  return kExitOk;
}

}  // namespace mt::cli
