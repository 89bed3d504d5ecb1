// BusyMeter sums busy intervals into buckets exactly (an interval across a boundary is split) and
// answers any window, pro rata inside a cut bucket; PeakMeter keeps each bucket's highest sample.
#include <doctest/doctest.h>

#include "sim/engine/busy_meter.hpp"

using namespace mt;
using namespace mt::sim;

TEST_CASE("busy time splits across bucket boundaries and sums over whole-bucket windows exactly") {
  BusyMeter m(1000);
  m.add(0, 900, 1300);   // 100 in bucket 0, 300 in bucket 1
  m.add(0, 2000, 2500);  // 500 in bucket 2
  m.add(3, 0, 10);
  CHECK(m.busy_within(0, 0, 1000) == 100);
  CHECK(m.busy_within(0, 1000, 2000) == 300);
  CHECK(m.busy_within(0, 0, 3000) == 900);
  CHECK(m.busy_within(0, 3000, 9000) == 0);
  CHECK(m.busy_within(1, 0, 9000) == 0);  // never used
  CHECK(m.busy_within(3, 0, 1000) == 10);
  CHECK(m.size() == 4);
}

TEST_CASE("a window that cuts a bucket takes its share of the bucket pro rata") {
  BusyMeter m(1000);
  m.add(0, 1000, 1800);                         // 800 in bucket 1
  CHECK(m.busy_within(0, 1500, 2000) == 400);   // half the bucket
  CHECK(m.busy_within(0, 1000, 1250) == 200);
  m.add(0, 500, 500);                           // empty intervals add nothing
  CHECK(m.busy_within(0, 0, 1000) == 0);
}

TEST_CASE("the peak meter keeps the highest sample per bucket and who took it") {
  PeakMeter p(1000);
  CHECK_FALSE(p.peak_within(0, 5000).any);
  p.sample(2, 100, 7);
  p.sample(4, 200, 5);
  p.sample(1, 2500, 9);
  auto first = p.peak_within(0, 1000);
  CHECK(first.value == 7);
  CHECK(first.who == 2);
  auto all = p.peak_within(0, 5000);
  CHECK(all.value == 9);
  CHECK(all.who == 1);
  CHECK_FALSE(p.peak_within(1000, 2000).any);
}
