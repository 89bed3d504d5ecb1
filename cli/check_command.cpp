// `mtsim check FILE`: load strictly, print the summary or every error, exit 0 / 65.
#include <boost/program_options.hpp>
#include <cstdio>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "sim/run/exit_codes.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "sim/scenario/scenario_summary.hpp"
#include "sim/scenario/scenario_writer.hpp"

namespace po = boost::program_options;

namespace mt::cli {

int check_command(const std::vector<std::string>& args) {
  po::options_description desc("check options");
  desc.add_options()("help,h", "help")("resolved", "print resolved YAML")("set", po::value<std::vector<std::string>>()->composing(), "override")(
      "file", po::value<std::string>(), "scenario");
  po::variables_map vm;
  if (auto stop = parse_file_command("check", desc, args, vm, print_check_help, "mtsim check FILE")) return *stop;
  const auto file = vm["file"].as<std::string>();
  const auto sets = vm.count("set") != 0 ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
  auto s = sim::load_scenario(file, sets);
  if (!s) {
    std::fprintf(stderr, "%s\nmtsim check: %s is not a valid scenario\n", s.error().message.c_str(), file.c_str());
    return kExitBadScenario;
  }
  if (vm.count("resolved") != 0) {  // the fully resolved scenario, loadable as it is
    std::printf("%s", sim::to_yaml(s.value()).c_str());
    return kExitOk;
  }
  std::printf("%s", sim::describe_scenario(s.value()).c_str());
  std::printf("ok: %s is a valid scenario\n", file.c_str());
  return kExitOk;
}

}  // namespace mt::cli
