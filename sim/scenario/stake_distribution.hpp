// Deterministic stakes for a validator group drawn from a distribution.
//
// Method (no random draws, so a scenario alone fixes every stake): validator i of n gets the
// distribution's quantile at (i + 0.5) / n, sorted so index 0 holds the largest stake. Without
// `total` each quantile is rounded to the nearest whole token (at least 1). With `total` the
// quantiles become integer weights (quantile / largest * 2^32, at least 1), each stake is
// floor(total * weight / sum of weights), and the few tokens left over by flooring go one each to
// validators 0, 1, 2, ... so the group sums to exactly `total`. Quantiles use libm (exp, log,
// pow), whose last-bit differences between platforms are absorbed by the 2^32 weight grid in all
// but pathological cases; `mtsim run --dump-resolved` freezes the resulting list in the file.
#pragma once

#include <vector>

#include "core/util/result.hpp"
#include "sim/scenario/scenario.hpp"

namespace mt::sim {

constexpr Amount kMaxStakeTotal = Amount{1} << 90;  // keeps total * weight below 2^128

Result<std::vector<Amount>> draw_stakes(const StakeDist& dist, std::size_t count);

// The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9).
double normal_quantile(double p);

}  // namespace mt::sim
