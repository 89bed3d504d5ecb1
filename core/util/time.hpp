// Time in core/ is only ever what a Context hands the node: integer microseconds since the
// chain's epoch. No wall clock is read anywhere in core/ or sim/.
#pragma once

#include <cstdint>

namespace mt {

using TimeUs = std::int64_t;

constexpr TimeUs kUsPerMs = 1000;
constexpr TimeUs kUsPerSec = 1000 * 1000;

constexpr TimeUs ms(std::int64_t v) { return v * kUsPerMs; }
constexpr TimeUs sec(std::int64_t v) { return v * kUsPerSec; }

}  // namespace mt
