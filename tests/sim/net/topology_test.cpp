// Topology generators give the promised degrees, sorted neighbour lists and connected graphs,
// are reproducible from a seed, and report impossible or disconnected graphs as errors.
#include <doctest/doctest.h>

#include <algorithm>

#include "sim/engine/streams.hpp"
#include "sim/net/topology.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
void check_sorted_symmetric(const Topology& t) {
  for (PeerId v = 0; v < t.size(); ++v) {
    auto nb = t.neighbours(v);
    CHECK(std::is_sorted(nb.begin(), nb.end()));
    CHECK(std::adjacent_find(nb.begin(), nb.end()) == nb.end());
    for (PeerId w : nb) {
      CHECK(w != v);
      CHECK(t.linked(w, v));
    }
  }
}
}  // namespace

TEST_CASE("full mesh links every pair and has diameter 1") {
  auto t = Topology::full_mesh(12);
  REQUIRE(t.ok());
  CHECK(t.value().edge_count() == 66);
  CHECK(t.value().neighbours(5).size() == 11);
  CHECK(t.value().diameter() == 1);
  check_sorted_symmetric(t.value());
}

TEST_CASE("random regular graphs have exact degree, are connected and reproducible") {
  Streams s(99);
  auto rng = s.stream("topology");
  auto t = Topology::random_regular(200, 8, rng);
  REQUIRE(t.ok());
  for (PeerId v = 0; v < 200; ++v) CHECK(t.value().neighbours(v).size() == 8);
  CHECK(t.value().edge_count() == 800);
  CHECK(t.value().connected());
  const int d = t.value().diameter();
  CHECK((d >= 3 && d <= 6));  // log_7(200) ~ 2.7; random 8-regular graphs are close to it
  check_sorted_symmetric(t.value());
  auto rng2 = s.stream("topology");
  auto again = Topology::random_regular(200, 8, rng2);
  REQUIRE(again.ok());
  for (PeerId v = 0; v < 200; ++v) {
    CHECK(std::equal(t.value().neighbours(v).begin(), t.value().neighbours(v).end(),
                     again.value().neighbours(v).begin(), again.value().neighbours(v).end()));
  }
}

TEST_CASE("random regular rejects impossible parameters with an error") {
  Rng rng(1);
  CHECK_FALSE(Topology::random_regular(9, 3, rng).ok());   // odd stub count
  CHECK_FALSE(Topology::random_regular(5, 5, rng).ok());   // degree >= n
  CHECK_FALSE(Topology::random_regular(5, 0, rng).ok());
}

TEST_CASE("small world graphs are connected, near-regular and shrink the ring's diameter") {
  Rng rng(3);
  auto ring = Topology::small_world(100, 4, 0.0, rng);
  REQUIRE(ring.ok());
  CHECK(ring.value().edge_count() == 200);
  CHECK(ring.value().diameter() == 25);  // ring lattice with 2 neighbours each side
  auto sw = Topology::small_world(100, 4, 0.2, rng);
  REQUIRE(sw.ok());
  CHECK(sw.value().connected());
  CHECK(sw.value().edge_count() <= 200);
  CHECK(sw.value().edge_count() >= 190);  // only duplicate rewires are merged
  CHECK(sw.value().diameter() < 25);
  check_sorted_symmetric(sw.value());
  CHECK_FALSE(Topology::small_world(100, 3, 0.1, rng).ok());  // k must be even
}

TEST_CASE("explicit edge lists must be connected and well formed") {
  auto line = Topology::from_edges(4, {{0, 1}, {1, 2}, {2, 3}, {1, 0}});
  REQUIRE(line.ok());
  CHECK(line.value().edge_count() == 3);
  CHECK(line.value().diameter() == 3);
  auto split = Topology::from_edges(4, {{0, 1}, {2, 3}});
  REQUIRE_FALSE(split.ok());
  CHECK(split.error().message.find("disconnected") != std::string::npos);
  CHECK_FALSE(Topology::from_edges(3, {{0, 0}, {1, 2}}).ok());
  CHECK_FALSE(Topology::from_edges(3, {{0, 5}}).ok());
}
