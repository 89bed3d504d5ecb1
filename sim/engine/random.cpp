#include "sim/engine/random.hpp"

#include <cmath>

#include "core/util/amount.hpp"
#include "core/util/assert.hpp"

namespace mt::sim {

namespace {
constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

std::uint64_t mix64(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t SplitMix64::next() {
  state_ += 0x9e3779b97f4a7c15ULL;
  return mix64(state_);
}

Rng::Rng(std::uint64_t seed) {
  SplitMix64 sm(seed);
  for (auto& word : s_) word = sm.next();
  // xoshiro's one forbidden state is all zeros; splitmix64 cannot produce four zeros in a row.
  MT_ASSERT((s_[0] | s_[1] | s_[2] | s_[3]) != 0, "xoshiro state must not be all zero");
}

Rng Rng::from_state(const std::array<std::uint64_t, 4>& state) {
  MT_ASSERT((state[0] | state[1] | state[2] | state[3]) != 0, "xoshiro state must not be all zero");
  Rng r;
  for (std::size_t i = 0; i < 4; ++i) r.s_[i] = state[i];
  return r;
}

std::uint64_t Rng::next_u64() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::uint64_t Rng::uniform_u64(std::uint64_t bound) {
  MT_ASSERT(bound > 0, "uniform_u64 needs a positive bound");
  // Lemire, "Fast Random Integer Generation in an Interval" (2019).
  UInt128 m = UInt128{next_u64()} * bound;
  auto low = static_cast<std::uint64_t>(m);
  if (low < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      m = UInt128{next_u64()} * bound;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

std::int64_t Rng::uniform_int(std::int64_t lo, std::int64_t hi) {
  MT_ASSERT(lo <= hi, "uniform_int needs lo <= hi");
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span == ~std::uint64_t{0}) return static_cast<std::int64_t>(next_u64());
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + uniform_u64(span + 1));
}

double Rng::uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double Rng::uniform_real(double lo, double hi) {
  MT_ASSERT(lo <= hi, "uniform_real needs lo <= hi");
  return lo + (hi - lo) * uniform01();
}

bool Rng::bernoulli(double p) {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return uniform01() < p;
}

double Rng::exponential(double mean) {
  MT_ASSERT(mean > 0, "exponential needs a positive mean");
  // 1 - U lies in (0, 1], so the log is finite.
  return -mean * std::log(1.0 - uniform01());
}

double Rng::normal(double mean, double stddev) {
  MT_ASSERT(stddev >= 0, "normal needs stddev >= 0");
  if (has_spare_) {
    has_spare_ = false;
    return mean + stddev * spare_normal_;
  }
  double u = 0, v = 0, s = 0;
  do {  // accepts with probability pi/4, so the expected number of tries is about 1.27
    u = 2.0 * uniform01() - 1.0;
    v = 2.0 * uniform01() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double factor = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * factor;
  has_spare_ = true;
  return mean + stddev * (u * factor);
}

double Rng::lognormal(double median, double sigma) {
  MT_ASSERT(median > 0 && sigma >= 0, "lognormal needs median > 0 and sigma >= 0");
  return median * std::exp(sigma * normal(0.0, 1.0));
}

double Rng::pareto(double scale, double alpha) {
  MT_ASSERT(scale > 0 && alpha > 0, "pareto needs scale > 0 and alpha > 0");
  const double u = 1.0 - uniform01();  // (0, 1]
  return scale / std::pow(u, 1.0 / alpha);
}

}  // namespace mt::sim
