// A delay distribution in microseconds (DESIGN.md §4): constant, uniform, normal, lognormal or
// pareto, sampled with our own Rng so every platform draws the same numbers.
#pragma once

#include <cstdint>
#include <string>

#include "core/util/result.hpp"
#include "sim/engine/random.hpp"

namespace mt::sim {

struct Distribution {
  enum class Kind : std::uint8_t { constant, uniform, normal, lognormal, pareto };
  Kind kind = Kind::constant;
  // Meaning by kind: constant{a}, uniform{a = min, b = max}, normal{a = mean, b = stddev},
  // lognormal{a = median, b = sigma}, pareto{a = scale, b = alpha}. Times in microseconds.
  double a = 0;
  double b = 0;

  static Distribution constant(double value_us) { return {Kind::constant, value_us, 0}; }
  static Distribution uniform(double min_us, double max_us) { return {Kind::uniform, min_us, max_us}; }
  static Distribution normal(double mean_us, double stddev_us) { return {Kind::normal, mean_us, stddev_us}; }
  static Distribution lognormal(double median_us, double sigma) { return {Kind::lognormal, median_us, sigma}; }
  static Distribution pareto(double scale_us, double alpha) { return {Kind::pareto, scale_us, alpha}; }

  // Error when the parameters are impossible (negative times, max < min, alpha <= 0...).
  [[nodiscard]] Status validate() const;
  // One draw. Constant draws nothing from rng.
  [[nodiscard]] double sample(Rng& rng) const;
  // The distribution's own centre: constant value, uniform midpoint, normal mean, lognormal
  // median, pareto scale.
  [[nodiscard]] double centre() const;
  // The same shape moved to a new centre (how a latency-matrix entry uses the default shape):
  // uniform and normal scale with the centre, lognormal keeps sigma, pareto keeps alpha.
  [[nodiscard]] Distribution with_centre(double centre_us) const;
  [[nodiscard]] std::string describe() const;
};

}  // namespace mt::sim
