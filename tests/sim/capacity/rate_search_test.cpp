// The capacity search's plan: the ramp climbs in doublings and stops at the first batch that does
// not keep up, bisection closes the gap to the resolution, and the saturation point is the highest
// rate that keeps up below the lowest that does not, driven here by a hand-made chain whose
// capacity is known.
#include <doctest/doctest.h>

#include "sim/capacity/rate_search.hpp"

using namespace mt::sim;

namespace {

// A chain that finalizes everything up to `capacity` tx/s and no more.
CapacityPoint point_of(std::uint64_t rate, double capacity) {
  CapacityPoint p;
  p.rate_per_s = rate;
  p.ran = true;
  p.offered_tps = static_cast<double>(rate);
  p.finalized_tps = std::min(static_cast<double>(rate), capacity);
  p.latency_p99_ms = 3000;
  return p;
}

std::vector<CapacityPoint> search(const RateSearch& s, double capacity, std::size_t& batches) {
  std::vector<CapacityPoint> done;
  batches = 0;
  for (auto rates = next_rates(s, done); !rates.empty(); rates = next_rates(s, done)) {
    CHECK(rates.size() <= s.jobs);
    for (auto r : rates) done.push_back(point_of(r, capacity));
    ++batches;
    REQUIRE(batches < 100);
  }
  return done;
}

RateSearch search_of(std::uint64_t max_rate, unsigned jobs = 1) {
  RateSearch s;
  s.max_rate_per_s = max_rate;
  s.jobs = jobs;
  return s;
}

}  // namespace

TEST_CASE("the ramp doubles up to the maximum rate") {
  CHECK(ramp_rates(search_of(400)) == std::vector<std::uint64_t>{25, 50, 100, 200, 400});
  CHECK(ramp_rates(search_of(3)) == std::vector<std::uint64_t>{1, 3});
}

TEST_CASE("a chain that keeps up at every rate ends the search at the maximum, without bisection") {
  const RateSearch s = search_of(400, 2);
  std::size_t batches = 0;
  const auto done = search(s, 1e9, batches);
  CHECK(done.size() == 5);
  CHECK(batches == 3);
  const auto sat = find_saturation(s, done);
  CHECK(sat.beyond_max());
  CHECK(sat.rate_per_s == 400u);
}

TEST_CASE("the search finds a known capacity within the resolution, and does not climb past the knee") {
  for (unsigned jobs : {1u, 2u, 4u}) {
    CAPTURE(jobs);
    const RateSearch s = search_of(400, jobs);
    std::size_t batches = 0;
    const auto done = search(s, 137, batches);
    const auto sat = find_saturation(s, done);
    REQUIRE(sat.rate_per_s.has_value());
    REQUIRE(sat.first_failing_rate_per_s.has_value());
    // 137 keeps up at 95%: the true saturation rate is floor(137 / 0.95) = 144.
    CHECK(*sat.rate_per_s <= 144);
    CHECK(*sat.first_failing_rate_per_s > 144);
    CHECK(*sat.first_failing_rate_per_s - *sat.rate_per_s <= std::max<std::uint64_t>(1, *sat.first_failing_rate_per_s / 20));
    for (const auto& p : done) CHECK(p.rate_per_s != 400);  // 200 failed: 400 is never run
  }
}

TEST_CASE("a point past the p99 bound does not keep up even when throughput does") {
  const RateSearch s = search_of(100);
  auto p = point_of(50, 1e9);
  CHECK(keeps_up(p, s.p99_bound_ms));
  p.latency_p99_ms = 6001;
  CHECK_FALSE(keeps_up(p, s.p99_bound_ms));
  p.latency_p99_ms = 10;
  p.ran = false;
  CHECK_FALSE(keeps_up(p, s.p99_bound_ms));
}

TEST_CASE("when even the lowest rate fails there is no saturation point, and the search ends") {
  const RateSearch s = search_of(64, 2);
  std::size_t batches = 0;
  const auto done = search(s, 0.5, batches);
  const auto sat = find_saturation(s, done);
  CHECK_FALSE(sat.rate_per_s.has_value());
  REQUIRE(sat.first_failing_rate_per_s.has_value());
  CHECK(*sat.first_failing_rate_per_s == 1);
}

TEST_CASE("a lucky pass above the knee does not move the saturation point") {
  const RateSearch s = search_of(400);
  std::vector<CapacityPoint> done = {point_of(100, 1e9), point_of(150, 120), point_of(200, 1e9)};
  const auto sat = find_saturation(s, done);
  CHECK(sat.rate_per_s == 100u);
  CHECK(sat.first_failing_rate_per_s == 150u);
}

TEST_CASE("the search never plans more than its bound of points") {
  RateSearch s = search_of(1'000'000, 256);
  s.ramp_doublings = 19;
  s.resolution_fraction = 0;
  std::size_t batches = 0;
  const auto done = search(s, 777, batches);
  CHECK(done.size() <= kMaxCapacityPoints);
}
