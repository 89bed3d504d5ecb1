// Stake distributions: quantile draws are deterministic, sorted largest first, positive, and sum
// exactly to the requested total.
#include <doctest/doctest.h>

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

TEST_CASE("the normal quantile matches known values") {
  CHECK(std::abs(normal_quantile(0.5)) < 1e-9);
  CHECK(std::abs(normal_quantile(0.975) - 1.959964) < 1e-5);
  CHECK(std::abs(normal_quantile(0.01) + 2.326348) < 1e-5);
}
