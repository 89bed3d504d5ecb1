// Node clocks apply offset and drift with integer math, and to_world inverts to_local exactly
// (the earliest world time at which a local deadline has passed), so timers fire on time.
#include <doctest/doctest.h>

#include <initializer_list>

#include "sim/engine/node_clock.hpp"

using namespace mt;
using namespace mt::sim;

TEST_CASE("a clock with an offset and no drift is shifted world time") {
  NodeClock c(ms(250), 0);
  CHECK(c.to_local(0) == ms(250));
  CHECK(c.to_local(sec(10)) == sec(10) + ms(250));
  CHECK(c.to_world(sec(10) + ms(250)) == sec(10));
}

TEST_CASE("drift in parts per million accumulates linearly") {
  NodeClock fast(0, 1000);  // 0.1% fast
  CHECK(fast.to_local(sec(1)) == sec(1) + ms(1));
  CHECK(fast.to_local(sec(100)) == sec(100) + ms(100));
  NodeClock slow(0, -1000);
  CHECK(slow.to_local(sec(100)) == sec(100) - ms(100));
}

TEST_CASE("to_world gives the earliest world time whose local time reaches the target") {
  for (std::int64_t drift : {-99'999, -777, -1, 0, 1, 333, 50'000, 100'000}) {
    NodeClock c(ms(-17), drift);
    for (TimeUs local = -5000; local < sec(3); local += 12'345) {
      const TimeUs w = c.to_world(local);
      CHECK(c.to_local(w) >= local);
      CHECK(c.to_local(w - 1) < local);
    }
  }
}

TEST_CASE("changing drift keeps local time continuous; adjusting the offset jumps it") {
  NodeClock c(0, 10'000);
  const TimeUs before = c.to_local(sec(10));
  c.set_drift(sec(10), -10'000);
  CHECK(c.to_local(sec(10)) == before);
  CHECK(c.to_local(sec(11)) == before + sec(1) - ms(10));
  c.adjust_offset(ms(500));
  CHECK(c.to_local(sec(11)) == before + sec(1) - ms(10) + ms(500));
}
