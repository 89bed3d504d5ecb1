// Deterministic stakes for a validator group drawn from a distribution.
//
// Method (no random draws, so a scenario alone fixes every stake): validator i of n gets the
// distribution's quantile at (i + 0.5) / n, sorted so index 0 holds the largest stake. Without
// `total` each quantile is rounded to the nearest whole token (at least 1). With `total` the
// quantiles become integer weights (quantile / largest * 2^32, at least 1), each stake is
// floor(total * weight / sum of weights), and the few tokens left over by flooring go one each to
// validators 0, 1, 2, ... so the group sums to exactly `total`.
//
// All of it is integer arithmetic: quantiles are Q32.32 fixed-point numbers (exp, ln and sqrt by
// series in Q62, the normal quantile by Acklam's rational approximation with its coefficients in
// Q32), so every compiler and libm gives the same stakes, bit for bit. The one floating-point
// input, a shape (sigma, alpha) as the scenario loader parsed it, becomes fixed point by an exact
// scaling (shape * 2^32) and a rounding. `mtsim run --dump-resolved` still freezes the list.
#pragma once

#include <vector>

#include "core/util/result.hpp"
#include "sim/scenario/scenario.hpp"

namespace mt::sim {

constexpr Amount kMaxStakeTotal = Amount{1} << 90;  // keeps total * weight below 2^128

Result<std::vector<Amount>> draw_stakes(const StakeDist& dist, std::size_t count);

// The standard normal quantile of p in (0, 1), both in Q32.32 (value * 2^32): Acklam's rational
// approximation (relative error < 1.2e-9) evaluated in fixed point (absolute error ~1e-8).
Int128 normal_quantile_q32(Int128 p);

}  // namespace mt::sim
