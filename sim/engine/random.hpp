// Seeded randomness for a run: splitmix64 (seeding), xoshiro256** (the generator) and our own
// distributions. The standard library's distributions differ between implementations, so none
// is used; every draw here is pinned by golden-value tests (tests/sim/engine/random_test.cpp).
//
// Floating point is allowed here (network delays, load shapes; never consensus), restricted to
// + - * / and sqrt, log, exp, pow from libm, built without fast-math, so gcc and clang, Debug and
// Release produce the same bits.
#pragma once

#include <array>
#include <cstdint>

namespace mt::sim {

// splitmix64: turns any 64-bit value into a well-mixed one; used to seed xoshiro and streams.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t state) : state_(state) {}
  std::uint64_t next();

 private:
  std::uint64_t state_;
};

// One pass of the splitmix64 finaliser (a bijection on 64 bits).
std::uint64_t mix64(std::uint64_t x);

// xoshiro256** 1.0 (Blackman & Vigna) plus the distributions the simulator needs.
// Draw counts depend only on parameters, never on earlier values' magnitudes except where a
// rejection loop is documented (uniform_u64, normal).
class Rng {
 public:
  explicit Rng(std::uint64_t seed);  // state from four splitmix64 outputs of `seed`
  // Raw state (not all zero), for checking against the reference implementation.
  static Rng from_state(const std::array<std::uint64_t, 4>& state);

  std::uint64_t next_u64();
  // Uniform in [0, bound), unbiased (Lemire's multiply-and-reject). bound must be > 0.
  std::uint64_t uniform_u64(std::uint64_t bound);
  // Uniform in [lo, hi] inclusive; lo <= hi.
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi);
  // Uniform in [0, 1) with 53 random bits.
  double uniform01();
  // Uniform in [lo, hi).
  double uniform_real(double lo, double hi);
  // True with probability p (clamped to [0, 1]); p <= 0 and p >= 1 draw nothing.
  bool bernoulli(double p);
  // Exponential with the given mean (> 0).
  double exponential(double mean);
  // Normal (Marsaglia polar method; the second value of each pair is kept for the next call).
  double normal(double mean, double stddev);
  // exp(N(log median, sigma)): median is the 50th percentile (> 0), sigma >= 0.
  double lognormal(double median, double sigma);
  // Pareto type I: scale / U^(1/alpha), support [scale, inf); scale > 0, alpha > 0.
  double pareto(double scale, double alpha);

 private:
  Rng() = default;
  std::uint64_t s_[4] = {};
  double spare_normal_ = 0;
  bool has_spare_ = false;
};

}  // namespace mt::sim
