// Stake distributions: quantile draws are deterministic integer arithmetic, close to the true
// quantiles, sorted largest first, positive, and sum exactly to the requested total.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "sim/scenario/stake_distribution.hpp"

using namespace mt;
using namespace mt::sim;

TEST_CASE("scaled distributions sum exactly to their total with the largest stake first") {
  for (DistKind kind : {DistKind::pareto, DistKind::lognormal, DistKind::uniform, DistKind::constant}) {
    StakeDist d{kind, 1, 10, 1.3, 40'000'001};
    auto s = draw_stakes(d, 176);
    REQUIRE_MESSAGE(s.ok(), s.error().message);
    Amount sum = 0;
    for (std::size_t i = 0; i < s.value().size(); ++i) {
      sum += s.value()[i];
      CHECK(s.value()[i] > 0);
      if (i > 0) CHECK(s.value()[i - 1] >= s.value()[i]);
    }
    CHECK(sum == Amount{40'000'001});
    CHECK(draw_stakes(d, 176).value() == s.value());
  }
}

TEST_CASE("a pareto group concentrates stake and a constant one splits it evenly") {
  auto pareto = draw_stakes(StakeDist{DistKind::pareto, 1, 0, 1.1, 1'000'000}, 100).value();
  CHECK(pareto.front() > 10 * pareto.back());
  auto flat = draw_stakes(StakeDist{DistKind::constant, 1, 0, 0, 1000}, 3).value();
  CHECK(flat == std::vector<Amount>{334, 333, 333});
}

TEST_CASE("unscaled draws are the rounded quantiles and a total too small to share is an error") {
  auto u = draw_stakes(StakeDist{DistKind::uniform, 100, 200, 0, 0}, 2).value();
  CHECK(u == std::vector<Amount>{175, 125});
  CHECK_FALSE(draw_stakes(StakeDist{DistKind::constant, 1, 0, 0, 2}, 3).ok());
  CHECK_FALSE(draw_stakes(StakeDist{DistKind::normal, 1, 100, 0, 0}, 10).ok());  // negative quantiles
}

namespace {
double to_double(Int128 q32) { return static_cast<double>(q32) / 4294967296.0; }
Int128 to_q32(double p) { return static_cast<Int128>(std::llround(p * 4294967296.0)); }
}  // namespace

TEST_CASE("the fixed-point normal quantile matches known values and is odd") {
  CHECK(normal_quantile_q32(to_q32(0.5)) == 0);
  CHECK(std::abs(to_double(normal_quantile_q32(to_q32(0.975))) - 1.959964) < 1e-5);
  CHECK(std::abs(to_double(normal_quantile_q32(to_q32(0.01))) + 2.326348) < 1e-5);   // the tail formula
  CHECK(std::abs(to_double(normal_quantile_q32(to_q32(1e-6))) + 4.753424) < 1e-4);
  for (double p : {0.001, 0.02, 0.3, 0.49}) {  // odd about 1/2, to the last bit or two
    const Int128 lo = normal_quantile_q32(to_q32(p));
    const Int128 hi = normal_quantile_q32((Int128{1} << 32) - to_q32(p));
    CHECK(lo < 0);
    CHECK((lo + hi >= -2 && lo + hi <= 2));
  }
}

TEST_CASE("unscaled lognormal and pareto stakes are the true quantiles, rounded") {
  // Reference: the same quantiles in double precision (libm). Integer math may differ from it
  // only by the rounding of a value within a few parts per billion of a half.
  const std::size_t n = 50;
  for (const StakeDist& d : {StakeDist{DistKind::lognormal, 1'000'000, 0, 0.8, 0},
                             StakeDist{DistKind::pareto, 10'000, 0, 1.3, 0},
                             StakeDist{DistKind::normal, 1'000'000, 100'000, 0, 0}}) {
    auto drawn = draw_stakes(d, n);
    REQUIRE_MESSAGE(drawn.ok(), drawn.error().message);
    std::vector<double> ref;
    for (std::size_t i = 0; i < n; ++i) {
      const double u = (static_cast<double>(i) + 0.5) / static_cast<double>(n);
      const double z = to_double(normal_quantile_q32(to_q32(u)));
      const double a = static_cast<double>(d.a);
      if (d.kind == DistKind::lognormal) ref.push_back(a * std::exp(d.shape * z));
      if (d.kind == DistKind::pareto) ref.push_back(a * std::pow(1 - u, -1.0 / d.shape));
      if (d.kind == DistKind::normal) ref.push_back(a + static_cast<double>(d.b) * z);
    }
    std::sort(ref.begin(), ref.end(), [](double x, double y) { return x > y; });
    for (std::size_t i = 0; i < n; ++i) {
      CHECK(std::abs(static_cast<double>(drawn.value()[i]) - ref[i]) <= 1.0 + ref[i] * 1e-7);
    }
  }
}

TEST_CASE("shapes out of range and overflowing parameters are errors, not crashes") {
  CHECK_FALSE(draw_stakes(StakeDist{DistKind::pareto, 1, 0, 0.0, 1000}, 10).ok());
  CHECK_FALSE(draw_stakes(StakeDist{DistKind::pareto, 1, 0, 1e9, 1000}, 10).ok());
  CHECK_FALSE(draw_stakes(StakeDist{DistKind::pareto, 1, 0, 0.01, 1000}, 1000).ok());  // (2000)^100
  CHECK_FALSE(draw_stakes(StakeDist{DistKind::lognormal, Amount{1} << 63, 0, 30, 0}, 100).ok());
  CHECK_FALSE(draw_stakes(StakeDist{DistKind::uniform, 1, Amount{1} << 70, 0, 0}, 10).ok());
  CHECK(draw_stakes(StakeDist{DistKind::pareto, 1, 0, 0.5, 1'000'000}, 100).ok());
}
