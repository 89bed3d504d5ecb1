// mtsim: the command-line entry point. Thin (DESIGN.md §1): it picks a subcommand and hands over.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "sim/run/exit_codes.hpp"
#include "sim/scenario/yaml_tree.hpp"

#ifndef MTSIM_VERSION
#define MTSIM_VERSION "0.0.0"
#endif

namespace {

int help_for(const std::vector<std::string>& args) {
  if (args.empty()) {
    mt::cli::print_main_help();
  } else if (args[0] == "run") {
    mt::cli::print_run_help();
  } else if (args[0] == "check") {
    mt::cli::print_check_help();
  } else if (args[0] == "sweep") {
    mt::cli::print_sweep_help();
  } else if (args[0] == "explore") {
    mt::cli::print_explore_help();
  } else if (args[0] == "merge") {
    mt::cli::print_merge_help();
  } else if (args[0] == "report") {
    mt::cli::print_report_help();
  } else if (args[0] == "shrink") {
    mt::cli::print_shrink_help();
  } else if (args[0] == "inspect") {
    mt::cli::print_inspect_help();
  } else if (args[0] == "explain") {
    mt::cli::print_explain_help();
  } else if (args[0] == "testnet") {
    mt::cli::print_testnet_help();
  } else if (args[0] == "capacity") {
    mt::cli::print_capacity_help();
  } else if (args[0] == "calibrate") {
    mt::cli::print_calibrate_help();
  } else {
    std::fprintf(stderr, "mtsim help: no command '%s'\n", args[0].c_str());
    return mt::kExitUsage;
  }
  return mt::kExitOk;
}

int dispatch(const std::vector<std::string>& argv) {
  if (argv.size() < 2) {
    mt::cli::print_main_help();
    return mt::kExitUsage;
  }
  const std::string& cmd = argv[1];
  const std::vector<std::string> rest(argv.begin() + 2, argv.end());
  std::string command_line;
  for (const auto& a : argv) command_line += (command_line.empty() ? "" : " ") + a;
  if (cmd == "--help" || cmd == "-h") return help_for({});
  if (cmd == "help") return help_for(rest);
  if (cmd == "--version" || cmd == "-V") {
    std::printf("mtsim %s\n", MTSIM_VERSION);
    return mt::kExitOk;
  }
  if (cmd == "check") return mt::cli::check_command(rest);
  if (cmd == "run") return mt::cli::run_command(rest, command_line);
  if (cmd == "sweep") return mt::cli::sweep_command(rest);
  if (cmd == "explore") return mt::cli::explore_command(rest);
  if (cmd == "merge") return mt::cli::merge_command(rest);
  if (cmd == "report") return mt::cli::report_command(rest);
  if (cmd == "shrink") return mt::cli::shrink_command(rest);
  if (cmd == "inspect") return mt::cli::inspect_command(rest);
  if (cmd == "explain") return mt::cli::explain_command(rest);
  if (cmd == "testnet") return mt::cli::testnet_command(rest, command_line);
  if (cmd == "capacity") return mt::cli::capacity_command(rest);
  if (cmd == "calibrate") return mt::cli::calibrate_command(rest);
  std::fprintf(stderr, "mtsim: unknown command '%s'%s\nRun 'mtsim --help' for the list of commands.\n", cmd.c_str(),
               mt::sim::did_you_mean(cmd, {"run", "check", "sweep", "explore", "merge", "report", "shrink", "testnet", "capacity", "calibrate", "explain", "inspect", "help"}).c_str());
  return mt::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return dispatch(std::vector<std::string>(argv, argv + argc));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mtsim: internal error: %s\n", e.what());
    return mt::kExitInternal;
  }
}
