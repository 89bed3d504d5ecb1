// Starting `mtsim run` (or any mtsim subcommand) as a child process of this mtsim, its stdout
// and stderr going to a log file, and waiting for the children of one batch. Child processes,
// not threads: a crash or hang of one run cannot take the others down, and each run keeps the
// simulator's one-thread rule. Used by `mtsim capacity` and `mtsim sweep` (whose loop adds Ctrl-C
// accounting and the results database).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace mt::cli {

// Starts this binary (/proc/self/exe) with `args` (args[0] is the program name); -1 when fork
// fails. Creates the log's folder.
pid_t start_mtsim_child(const std::vector<std::string>& args, const std::filesystem::path& log);

// Waits for `pid` and returns its exit code (kExitInternal for a child killed by a signal).
int wait_for_child(pid_t pid);

}  // namespace mt::cli
