// Our generator and distributions produce the same bits on every compiler and build type
// (golden values below are pinned on purpose), match the reference xoshiro256** / splitmix64,
// and have the right mean and spread; streams are independent of each other.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <set>
#include <vector>

#include "sim/engine/random.hpp"
#include "sim/engine/streams.hpp"

using namespace mt::sim;

namespace {
std::uint64_t bits_of(double d) {
  std::uint64_t u = 0;
  std::memcpy(&u, &d, sizeof u);
  return u;
}
}  // namespace

TEST_CASE("xoshiro256** and splitmix64 match the reference implementations") {
  // Reference outputs of Vigna's C code: xoshiro256** from state {1, 2, 3, 4}, splitmix64 from 0.
  Rng r = Rng::from_state({1, 2, 3, 4});
  CHECK(r.next_u64() == 11520u);
  CHECK(r.next_u64() == 0u);
  CHECK(r.next_u64() == 1509978240u);
  CHECK(r.next_u64() == 1215971899390074240u);
  SplitMix64 sm(0);
  CHECK(sm.next() == 0xe220a8397b1dcdafULL);
  CHECK(sm.next() == 0x6e789e6aa1b965f4ULL);
  CHECK(sm.next() == 0x06c45d188009454fULL);
}

TEST_CASE("golden values: seeded draws are bit-identical across compilers and builds") {
  Rng g(42);
  CHECK(g.next_u64() == 0x15780b2e0c2ec716ULL);
  CHECK(g.next_u64() == 0x6104d9866d113a7eULL);
  CHECK(g.uniform_u64(1000) == 680u);
  CHECK(g.uniform_u64(7) == 6u);
  CHECK(g.uniform_int(-5, 5) == 5);
  CHECK(bits_of(g.uniform01()) == 0x3fe8a1b4a6202f2aULL);
  CHECK(bits_of(g.uniform_real(10, 20)) == 0x4031314d4d3587faULL);
  CHECK(bits_of(g.exponential(100)) == 0x4067b6f6ced46f36ULL);
  CHECK(bits_of(g.normal(0, 1)) == 0x3ff79eb7c13cfccdULL);
  CHECK(bits_of(g.normal(50, 5)) == 0x404a2d492c990c1aULL);
  CHECK(bits_of(g.lognormal(60000, 0.35)) == 0x40f4d81688bc9414ULL);
  CHECK(bits_of(g.pareto(1000, 1.3)) == 0x40ab0ceac35fed99ULL);
  CHECK(g.bernoulli(0.5));
  Streams s(7);
  CHECK(s.seed_of("node", 0) == 0xf9488991df24374bULL);
  CHECK(s.seed_of("node", 1) == 0x744beb897a3cc38eULL);
  CHECK(s.seed_of("link", 0) == 0x831c834473dd4b4eULL);
}

TEST_CASE("streams depend only on the root seed and their own name") {
  Streams a(1), b(1), c(2);
  CHECK(a.stream("node", 3).next_u64() == b.stream("node", 3).next_u64());
  CHECK(a.stream("node", 3).next_u64() != a.stream("node", 4).next_u64());
  CHECK(a.stream("node", 3).next_u64() != a.stream("link", 3).next_u64());
  CHECK(a.stream("node", 3).next_u64() != c.stream("node", 3).next_u64());
  std::set<std::uint64_t> seeds;
  for (std::uint64_t i = 0; i < 10000; ++i) seeds.insert(a.seed_of("node", i));
  CHECK(seeds.size() == 10000);
}

TEST_CASE("uniform integers cover their range without bias") {
  Rng g(5);
  std::vector<int> hist(10, 0);
  for (int i = 0; i < 100000; ++i) {
    const auto v = g.uniform_int(0, 9);
    REQUIRE((v >= 0 && v <= 9));
    ++hist[static_cast<std::size_t>(v)];
  }
  for (int h : hist) CHECK(std::abs(h - 10000) < 500);
  CHECK(g.uniform_int(7, 7) == 7);
  const auto full = g.uniform_int(INT64_MIN, INT64_MAX);  // the whole range must not assert
  (void)full;
}

namespace {
struct Moments {
  double mean = 0, stddev = 0;
};
template <class F>
Moments moments(F draw, int n) {
  double sum = 0, sq = 0;
  for (int i = 0; i < n; ++i) {
    const double v = draw();
    sum += v;
    sq += v * v;
  }
  const double mean = sum / n;
  return {mean, std::sqrt(sq / n - mean * mean)};
}
}  // namespace

TEST_CASE("distributions have the expected mean and spread") {
  Rng g(11);
  const int n = 200000;
  auto u = moments([&] { return g.uniform_real(10, 20); }, n);
  CHECK(u.mean == doctest::Approx(15).epsilon(0.01));
  CHECK(u.stddev == doctest::Approx(10 / std::sqrt(12.0)).epsilon(0.02));
  auto e = moments([&] { return g.exponential(50); }, n);
  CHECK(e.mean == doctest::Approx(50).epsilon(0.02));
  CHECK(e.stddev == doctest::Approx(50).epsilon(0.03));
  auto nm = moments([&] { return g.normal(100, 15); }, n);
  CHECK(nm.mean == doctest::Approx(100).epsilon(0.01));
  CHECK(nm.stddev == doctest::Approx(15).epsilon(0.02));
  // lognormal(median m, sigma s): mean m * exp(s^2 / 2).
  auto ln = moments([&] { return g.lognormal(60, 0.35); }, n);
  CHECK(ln.mean == doctest::Approx(60 * std::exp(0.35 * 0.35 / 2)).epsilon(0.02));
  // pareto(scale x, alpha a > 1): mean a x / (a - 1). alpha 3 keeps the variance finite.
  auto pa = moments([&] { return g.pareto(10, 3); }, n);
  CHECK(pa.mean == doctest::Approx(15).epsilon(0.03));
  int heads = 0;
  for (int i = 0; i < n; ++i) heads += g.bernoulli(0.3) ? 1 : 0;
  CHECK(static_cast<double>(heads) / n == doctest::Approx(0.3).epsilon(0.02));
  CHECK_FALSE(g.bernoulli(0.0));
  CHECK(g.bernoulli(1.0));
}
