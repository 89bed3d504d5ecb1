// The subnet metrics' integer cores, on small inputs worked out by hand: Spearman's rank
// correlation and the Gini coefficient.
#include <doctest/doctest.h>

#include "sim/metrics/subnet_metrics.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
double as_double(std::pair<Int128, Int128> f) { return static_cast<double>(f.first) / static_cast<double>(f.second); }
}  // namespace

TEST_CASE("spearman is 1 for the same order, -1 for the reverse, and 1 - 6*sum(d^2)/(n(n^2-1)) otherwise") {
  CHECK(as_double(spearman({1, 2, 3, 4}, {10, 20, 30, 40})) == 1.0);
  CHECK(as_double(spearman({1, 2, 3, 4}, {40, 30, 20, 10})) == -1.0);
  // Ranks (0,1,2,3) vs (1,0,2,3): sum d^2 = 2, n(n^2-1) = 60: 1 - 12/60 = 0.8.
  auto f = spearman({1, 2, 3, 4}, {20, 10, 30, 40});
  CHECK(f.first == 48);
  CHECK(f.second == 60);
  CHECK(spearman({5}, {1}) == std::pair<Int128, Int128>{0, 1});
}

TEST_CASE("gini is 0 for equal rewards, (n-1)/n when one takes all, and exact in between") {
  CHECK(gini({5, 5, 5, 5}).first == 0);
  // One of four takes everything: (2*4*x - 5x) / (4x) = 3/4.
  CHECK(as_double(gini({0, 0, 0, 8})) == 0.75);
  // {1, 2, 3}: (2*(1+4+9) - 4*6) / (3*6) = 4/18.
  auto g = gini({3, 1, 2});
  CHECK(g.first == 4);
  CHECK(g.second == 18);
  CHECK(gini({0, 0}) == std::pair<Int128, Int128>{0, 1});
}
