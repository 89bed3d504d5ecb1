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

ColorMode resolve_color(ColorMode requested) {
  if (requested != ColorMode::auto_detect) return requested;
  const char* term = std::getenv("TERM");
  const bool dumb = term != nullptr && std::strcmp(term, "dumb") == 0;
  return stdout_is_terminal() && !env_set("NO_COLOR") && !dumb ? ColorMode::always : ColorMode::never;
}

ProgressMode resolve_progress(ProgressMode requested) {
  if (requested != ProgressMode::auto_detect) return requested;
  return stdout_is_terminal() && !env_set("CI") ? ProgressMode::bar : ProgressMode::lines;
}

}  // namespace mt::cli
