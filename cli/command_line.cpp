#include "cli/command_line.hpp"

#include <cstdio>

#include "sim/run/exit_codes.hpp"

namespace po = boost::program_options;

namespace mt::cli {

std::optional<int> parse_file_command(const std::string& command, const po::options_description& desc,
                                      const std::vector<std::string>& args, po::variables_map& vm,
                                      void (*print_help)(), const std::string& usage) {
  po::positional_options_description pos;
  pos.add("file", 1);
  try {
    po::store(po::command_line_parser(args).options(desc).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::fprintf(stderr, "mtsim %s: %s\n(see 'mtsim %s --help')\n", command.c_str(), e.what(), command.c_str());
    return kExitUsage;
  }
  if (vm.count("help") != 0) {
    print_help();
    return kExitOk;
  }
  if (vm.count("file") == 0) {
    std::fprintf(stderr, "mtsim %s: which scenario? usage: %s\n", command.c_str(), usage.c_str());
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace mt::cli
