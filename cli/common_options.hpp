// The options `mtsim run` and `mtsim testnet` share, declared and read in one place so the two
// commands cannot drift: --seed, --set, --until, --out, --progress, --color and --quiet (no
// progress output: the same as --progress none).
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/terminal.hpp"
#include "core/util/time.hpp"

namespace mt::cli {

struct CommonOptions {
  std::optional<std::uint64_t> seed;     // --seed (else the scenario's, else 1: the command decides)
  std::optional<TimeUs> until_us;        // --until: stop earlier than the scenario says
  std::optional<std::string> out_dir;    // --out
  std::vector<std::string> overrides;    // --set path=value, in order
  ProgressMode progress = ProgressMode::auto_detect;  // resolved (never auto_detect after reading)
  ColorMode color = ColorMode::auto_detect;           // resolved
};

// Adds the shared options to a command's description.
void add_common_options(boost::program_options::options_description& desc);

// Reads them from a parsed command line; false (after printing "mtsim COMMAND: why") on a bad value.
bool read_common_options(const std::string& command, const boost::program_options::variables_map& vm,
                         CommonOptions& out);

}  // namespace mt::cli
