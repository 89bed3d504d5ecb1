// The shared front half of a subcommand that takes one scenario FILE: parse the options with
// Boost.Program_options, answer --help, and insist on the FILE.
#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <vector>

namespace mt::cli {

// Parses `args` against `desc` (which must define "help" and "file") into `vm`. Returns an exit
// code when the command should stop here (a usage error, 64, or --help, 0); nullopt to go on.
// `usage` is the synopsis printed when FILE is missing, e.g. "mtsim run FILE [options]".
std::optional<int> parse_file_command(const std::string& command, const boost::program_options::options_description& desc,
                                      const std::vector<std::string>& args, boost::program_options::variables_map& vm,
                                      void (*print_help)(), const std::string& usage);

}  // namespace mt::cli
