// `mtsim inspect FILE --seed N --at T --node SEL [--json] [--account ADDR]...`: replay a scenario
// to simulated time T and print one node's state there (sim/inspect/inspection.hpp).
#include <cstdio>
#include <optional>

#include "cli/commands.hpp"
#include "sim/inspect/inspection.hpp"
#include "sim/inspect/inspection_json.hpp"
#include "sim/inspect/inspection_text.hpp"
#include "sim/run/exit_codes.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "sim/scenario/units.hpp"

namespace mt::cli {

void print_inspect_help() {
  std::printf(
      "usage: mtsim inspect FILE --seed N --at T --node SEL [--json] [--account ADDR]...\n"
      "  Replays FILE with seed N to simulated time T (every event at or before T has run; faults and\n"
      "  load as the full run has them) and prints the state of one node there: height, round, step,\n"
      "  the lock and the valid value, the proposals and vote sets (who voted what, with power),\n"
      "  mempool, peers, store height, the validators with stake and jail, and chosen accounts.\n"
      "  --at T          simulated time: 12s, 1500ms, 2min\n"
      "  --node SEL      one node: a name (core[3]) or a selector that picks one (tail[0])\n"
      "  --account ADDR  also show an account: a 64-hex address or a validator's name (repeatable)\n"
      "  --json          everything as JSON (docs/debugging.md, \"inspect\")\n"
      "Same inputs, same output.\n"
      "example:\n"
      "  mtsim inspect scenarios/quickstart.yaml --seed 7 --at 12s --node core[2]\n");
}

namespace {

struct InspectArgs {
  std::string file;
  sim::InspectRequest request;
  bool at_given = false;
  bool json = false;
};

std::optional<int> usage(const std::string& message) {
  std::fprintf(stderr, "mtsim inspect: %s\n", message.c_str());
  return kExitUsage;
}

// One option with its value; an exit code when it is bad.
std::optional<int> take_option(const std::string& a, const std::string& v, InspectArgs& o) {
  if (a == "--node") {
    o.request.node = v;
  } else if (a == "--account") {
    o.request.accounts.push_back(v);
  } else if (a == "--seed") {
    auto n = sim::parse_count(v);
    if (!n.ok()) return usage("--seed: " + n.error().message);
    o.request.seed = n.value();
  } else {
    auto t = sim::parse_duration(v);
    if (!t.ok()) return usage("--at: " + t.error().message);
    o.request.at_us = t.value();
    o.at_given = true;
  }
  return std::nullopt;
}

std::optional<int> parse_inspect_args(const std::vector<std::string>& args, InspectArgs& o) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "--help" || a == "-h") {
      print_inspect_help();
      return kExitOk;
    }
    if (a == "--json") {
      o.json = true;
    } else if (a == "--seed" || a == "--at" || a == "--node" || a == "--account") {
      if (i + 1 >= args.size()) return usage(a + " needs a value");
      if (auto stop = take_option(a, args[++i], o)) return stop;
    } else if (!a.empty() && a[0] == '-') {
      return usage("unknown option '" + a + "' (see mtsim help inspect)");
    } else if (o.file.empty()) {
      o.file = a;
    } else {
      return usage("one scenario file at a time");
    }
  }
  if (o.file.empty()) return usage("no scenario file (see mtsim help inspect)");
  if (!o.at_given) return usage("--at T is required");
  if (o.request.node.empty()) return usage("--node SEL is required");
  return std::nullopt;
}

}  // namespace

int inspect_command(const std::vector<std::string>& args) {
  InspectArgs o;
  if (auto stop = parse_inspect_args(args, o)) return *stop;
  auto scenario = sim::load_scenario(o.file);
  if (!scenario.ok()) {
    std::fprintf(stderr, "mtsim inspect: %s\n", scenario.error().message.c_str());
    return kExitBadScenario;
  }
  auto got = sim::inspect_node(scenario.value(), o.request);
  if (!got.ok()) {
    std::fprintf(stderr, "mtsim inspect: %s\n", got.error().message.c_str());
    return kExitBadScenario;
  }
  const std::string text = o.json ? sim::inspection_json_text(got.value()) : sim::inspection_text(got.value());
  std::fwrite(text.data(), 1, text.size(), stdout);
  return kExitOk;
}

}  // namespace mt::cli
