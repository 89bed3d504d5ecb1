// Latency samples follow each distribution's mean and spread, matrix entries re-centre the
// default shape, jitter stays in range, and the AWS CSV matrix loads (bad CSVs are errors).
#include <doctest/doctest.h>

#include <cmath>

#include "sim/net/latency_model.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
struct Stats {
  double mean = 0, stddev = 0, min = 1e18, max = 0;
};
Stats sample_stats(const LatencyModel& m, PeerId from, PeerId to, int n, std::uint64_t seed) {
  Rng rng(seed);
  double sum = 0, sq = 0;
  Stats s;
  for (int i = 0; i < n; ++i) {
    const auto v = static_cast<double>(m.sample(from, to, rng));
    sum += v;
    sq += v * v;
    s.min = std::min(s.min, v);
    s.max = std::max(s.max, v);
  }
  s.mean = sum / n;
  s.stddev = std::sqrt(sq / n - s.mean * s.mean);
  return s;
}
}  // namespace

TEST_CASE("latency samples match each distribution's mean and spread") {
  const int n = 100000;
  auto c = sample_stats(LatencyModel(Distribution::constant(40'000)), 0, 1, 1000, 1);
  CHECK(c.min == 40'000);
  CHECK(c.max == 40'000);
  auto u = sample_stats(LatencyModel(Distribution::uniform(10'000, 30'000)), 0, 1, n, 2);
  CHECK(u.mean == doctest::Approx(20'000).epsilon(0.02));
  CHECK(u.stddev == doctest::Approx(20'000 / std::sqrt(12.0)).epsilon(0.03));
  CHECK(u.min >= 10'000);
  CHECK(u.max <= 30'000);
  auto nm = sample_stats(LatencyModel(Distribution::normal(50'000, 5'000)), 0, 1, n, 3);
  CHECK(nm.mean == doctest::Approx(50'000).epsilon(0.02));
  CHECK(nm.stddev == doctest::Approx(5'000).epsilon(0.05));
  auto ln = sample_stats(LatencyModel(Distribution::lognormal(60'000, 0.35)), 0, 1, n, 4);
  CHECK(ln.mean == doctest::Approx(60'000 * std::exp(0.35 * 0.35 / 2)).epsilon(0.03));
  auto pa = sample_stats(LatencyModel(Distribution::pareto(20'000, 3)), 0, 1, n, 5);
  CHECK(pa.mean == doctest::Approx(30'000).epsilon(0.05));
  CHECK(pa.min >= 20'000);
}

TEST_CASE("normal delays never go negative") {
  auto s = sample_stats(LatencyModel(Distribution::normal(1'000, 2'000)), 0, 1, 10000, 6);
  CHECK(s.min == 0);
}

TEST_CASE("zones use the matrix entry as the centre of the default shape, plus jitter") {
  LatencyModel m({"us", "eu"}, Distribution::lognormal(60'000, 0.2));
  m.set_pair(0, 1, ms(38), true);
  m.set_jitter(ms(4));
  REQUIRE(m.assign_zones({0, 0, 1}).ok());
  CHECK(m.pair(0, 1).a == 38'000);
  CHECK(m.pair(1, 0).a == 38'000);
  CHECK(m.pair(0, 0).a == 60'000);
  auto cross = sample_stats(m, 0, 2, 50000, 7);
  CHECK(cross.mean == doctest::Approx(38'000 * std::exp(0.02) + 2'000).epsilon(0.03));
  auto local = sample_stats(m, 0, 1, 50000, 8);
  CHECK(local.mean == doctest::Approx(60'000 * std::exp(0.02) + 2'000).epsilon(0.03));
  CHECK_FALSE(m.assign_zones({0, 5}).ok());
}

TEST_CASE("jitter alone spreads a constant delay uniformly over [base, base + jitter]") {
  LatencyModel m(Distribution::constant(10'000));
  m.set_jitter(1'000);
  auto s = sample_stats(m, 0, 1, 50000, 9);
  CHECK(s.min >= 10'000);
  CHECK(s.max <= 11'000);
  CHECK(s.mean == doctest::Approx(10'500).epsilon(0.01));
}

TEST_CASE("the AWS latency CSV loads with zone names and one-way milliseconds") {
  auto m = LatencyModel::from_csv_file(MTSIM_SOURCE_DIR "/scenarios/data/aws-latencies.csv",
                                       Distribution::constant(0));
  REQUIRE(m.ok());
  CHECK(m.value().zones().size() == 13);
  const auto va = m.value().zone_index("N_Virginia").value();
  const auto tokyo = m.value().zone_index("Tokyo").value();
  const auto seoul = m.value().zone_index("Seoul").value();
  CHECK(m.value().pair(va, tokyo).a == 73'000);
  CHECK(m.value().pair(tokyo, seoul).a == 16'000);  // the file is not symmetric: Seoul->Tokyo is 17
  CHECK(m.value().pair(seoul, tokyo).a == 17'000);
  CHECK_FALSE(m.value().zone_index("Mars").ok());
}

TEST_CASE("malformed latency CSVs are errors with a line number") {
  auto d = Distribution::constant(0);
  CHECK_FALSE(LatencyModel::from_csv("", d).ok());
  CHECK_FALSE(LatencyModel::from_csv("From/to,a,b\na,0,1\n", d).ok());          // missing row
  auto bad = LatencyModel::from_csv("From/to,a,b\na,0,x\nb,1,0\n", d);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("line 2") != std::string::npos);
  CHECK_FALSE(LatencyModel::from_csv("From/to,a,b\nb,0,1\na,1,0\n", d).ok());  // rows out of order
  CHECK_FALSE(LatencyModel::from_csv("From/to,a,b\na,0,-1\nb,1,0\n", d).ok());
  CHECK_FALSE(LatencyModel::from_csv_file("/nonexistent/file.csv", d).ok());
  CHECK(LatencyModel::from_csv("From/to,a,b\r\na,0,1.5\r\nb,1,0\r\n", d).ok());
}
