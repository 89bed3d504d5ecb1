// The mtsim subcommands. Each takes the arguments after its name and returns an exit code
// (sim/run/exit_codes.hpp); usage errors print a one-line reason and a pointer to --help.
#pragma once

#include <string>
#include <vector>

namespace mt::cli {

int check_command(const std::vector<std::string>& args);
int run_command(const std::vector<std::string>& args, const std::string& command_line);
int sweep_command(const std::vector<std::string>& args);
int explore_command(const std::vector<std::string>& args);
int merge_command(const std::vector<std::string>& args);
int report_command(const std::vector<std::string>& args);
int shrink_command(const std::vector<std::string>& args);
int inspect_command(const std::vector<std::string>& args);
int explain_command(const std::vector<std::string>& args);
int testnet_command(const std::vector<std::string>& args, const std::string& command_line);
int capacity_command(const std::vector<std::string>& args);
int calibrate_command(const std::vector<std::string>& args);

// Help texts (also printed by `mtsim help <command>`).
void print_main_help();
void print_check_help();
void print_run_help();
void print_sweep_help();
void print_explore_help();
void print_merge_help();
void print_report_help();
void print_shrink_help();
void print_inspect_help();
void print_explain_help();
void print_testnet_help();
void print_capacity_help();
void print_calibrate_help();

}  // namespace mt::cli
