// What the CLI knows about where its output goes: colour and progress decided once, from the
// flags, NO_COLOR (https://no-color.org), CI and whether stdout is a terminal.
#pragma once

namespace mt::cli {

enum class ProgressMode { auto_detect, bar, lines, none };
enum class ColorMode { auto_detect, always, never };

// always/never from a flag value; auto: colour only on a terminal, without NO_COLOR, TERM != dumb.
ColorMode resolve_color(ColorMode requested);
// bar only on a terminal outside CI; lines otherwise; explicit choices are kept.
ProgressMode resolve_progress(ProgressMode requested);
bool stdout_is_terminal();

}  // namespace mt::cli
