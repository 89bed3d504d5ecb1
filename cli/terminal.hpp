// What the CLI knows about where its output goes: colour and progress decided once, from the
// flags, NO_COLOR (https://no-color.org), CI and whether stdout is a terminal.
#pragma once

#include "sim/runner/run.hpp"

namespace mt::cli {

// always/never from a flag value; auto: colour only on a terminal, without NO_COLOR, TERM != dumb.
sim::ColorMode resolve_color(sim::ColorMode requested);
// bar only on a terminal outside CI; lines otherwise; explicit choices are kept.
sim::ProgressMode resolve_progress(sim::ProgressMode requested);
bool stdout_is_terminal();

}  // namespace mt::cli
