// `mtsim merge OUT.sqlite IN.sqlite...`: combines the databases of sweep shards (or of any runs)
// into one. Runs already in OUT are kept; a run present in several inputs is stored once
// (results_database.hpp), so merging overlapping or repeated shards is harmless.
#include <cstdio>
#include <filesystem>

#include "cli/commands.hpp"
#include "reports/results_database.hpp"
#include "sim/run/exit_codes.hpp"

namespace mt::cli {

int merge_command(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      print_merge_help();
      return kExitOk;
    }
  }
  if (args.size() < 2) {
    std::fprintf(stderr, "mtsim merge: usage: mtsim merge OUT.sqlite IN.sqlite... (see --help)\n");
    return kExitUsage;
  }
  std::vector<std::filesystem::path> inputs;
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(args[i], ec)) {
      std::fprintf(stderr, "mtsim merge: %s is not a file\n", args[i].c_str());
      return kExitUsage;
    }
    if (std::filesystem::equivalent(args[i], args[0], ec)) {
      std::fprintf(stderr, "mtsim merge: %s is both an input and the output\n", args[i].c_str());
      return kExitUsage;
    }
    inputs.emplace_back(args[i]);
  }
  if (auto st = reports::merge_databases(args[0], inputs); !st.ok()) {
    std::fprintf(stderr, "mtsim merge: %s\n", st.error().message.c_str());
    return kExitInternal;
  }
  auto runs = reports::load_runs(args[0]);
  if (!runs.ok()) {
    std::fprintf(stderr, "mtsim merge: %s\n", runs.error().message.c_str());
    return kExitInternal;
  }
  std::printf("merged %zu databases into %s: %zu runs\n", inputs.size(), args[0].c_str(), runs.value().size());
  return kExitOk;
}

}  // namespace mt::cli
