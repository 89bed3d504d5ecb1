// Terminal detection for colour and progress.
#include "cli/terminal.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace mt::cli {
namespace {
bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && v[0] != '\0';
}
}  // namespace

bool stdout_is_terminal() { return isatty(STDOUT_FILENO) == 1; }

sim::ColorMode resolve_color(sim::ColorMode requested) {
  if (requested != sim::ColorMode::auto_detect) return requested;
  const char* term = std::getenv("TERM");
  const bool dumb = term != nullptr && std::strcmp(term, "dumb") == 0;
  return stdout_is_terminal() && !env_set("NO_COLOR") && !dumb ? sim::ColorMode::always : sim::ColorMode::never;
}

sim::ProgressMode resolve_progress(sim::ProgressMode requested) {
  if (requested != sim::ProgressMode::auto_detect) return requested;
  return stdout_is_terminal() && !env_set("CI") ? sim::ProgressMode::bar : sim::ProgressMode::lines;
}

}  // namespace mt::cli
