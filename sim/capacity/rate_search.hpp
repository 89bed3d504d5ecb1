// Which offered rates a capacity search runs, and where it ends. A coarse ramp climbs in
// doublings up to max_rate, one batch of `jobs` rates at a time, and stops at the first batch
// with a point that does not keep up (overloaded runs are the slow ones); then a bisection
// splits the gap between the highest rate that keeps up and the lowest that does not into
// jobs + 1 parts per batch until the gap is within the resolution. Pure functions over the points
// run so far, so the plan is deterministic and unit-tested without running anything.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/capacity/capacity_point.hpp"

namespace mt::sim {

// Upper bound on the points one search runs: a resolution or rate typo cannot make it endless.
inline constexpr std::size_t kMaxCapacityPoints = 64;

struct RateSearch {
  std::uint64_t max_rate_per_s = 400;
  unsigned jobs = 1;
  double p99_bound_ms = 6000;
  // The ramp's first rate is max_rate / 2^ramp_doublings (at least 1 tx/s).
  unsigned ramp_doublings = 4;
  // The bisection stops when the gap is at most this fraction of its upper end (or 1 tx/s).
  double resolution_fraction = 0.05;
};

// The ascending coarse rates: max/2^d, ..., max/2, max (deduplicated, each >= 1).
std::vector<std::uint64_t> ramp_rates(const RateSearch& search);

// The next batch to run given every point run so far (any order); empty when the search is done.
std::vector<std::uint64_t> next_rates(const RateSearch& search, const std::vector<CapacityPoint>& done);

struct Saturation {
  // The highest rate that keeps up below the lowest that does not; nullopt when none does.
  std::optional<std::uint64_t> rate_per_s;
  // The lowest rate that does not keep up (the knee's upper side); nullopt when all kept up.
  std::optional<std::uint64_t> first_failing_rate_per_s;
  [[nodiscard]] bool beyond_max() const { return !first_failing_rate_per_s.has_value(); }
};

Saturation find_saturation(const RateSearch& search, const std::vector<CapacityPoint>& done);

}  // namespace mt::sim
