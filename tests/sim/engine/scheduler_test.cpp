// The scheduler runs events in (time, insertion order), honours cancel tokens and step budgets,
// and moves its clock only forward.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <functional>
#include <set>
#include <memory>
#include <vector>

#include "sim/engine/scheduler.hpp"

using namespace mt;
using namespace mt::sim;

TEST_CASE("scheduler runs events by time, then by insertion order at equal times") {
  Scheduler s;
  std::vector<int> order;
  s.schedule_at(30, [&] { order.push_back(3); });
  s.schedule_at(10, [&] { order.push_back(1); });
  s.schedule_at(20, [&] { order.push_back(20); });
  s.schedule_at(20, [&] { order.push_back(21); });
  s.schedule_at(20, [&] { order.push_back(22); });
  CHECK(s.run_until(100) == 5);
  CHECK(order == std::vector<int>{1, 20, 21, 22, 3});
  CHECK(s.now() == 100);
}

TEST_CASE("scheduler clock reads each event's time while it runs") {
  Scheduler s;
  std::vector<TimeUs> seen;
  s.schedule_after(ms(5), [&] {
    seen.push_back(s.now());
    s.schedule_after(ms(2), [&] { seen.push_back(s.now()); });
  });
  s.run_until(sec(1));
  CHECK(seen == std::vector<TimeUs>{ms(5), ms(7)});
}

TEST_CASE("cancelled events never run and stale cancel tokens are harmless") {
  Scheduler s;
  int ran = 0;
  EventId a = s.schedule_at(10, [&] { ran += 1; });
  EventId b = s.schedule_at(20, [&] { ran += 10; });
  CHECK(s.pending() == 2);
  CHECK(s.cancel(a));
  CHECK_FALSE(s.cancel(a));
  CHECK(s.pending() == 1);
  s.run_until(100);
  CHECK(ran == 10);
  CHECK_FALSE(s.cancel(b));  // already ran
  CHECK_FALSE(s.is_pending(b));
  // The slot of `a` is reused; the old token must not cancel the new event.
  EventId c = s.schedule_at(200, [&] { ran += 100; });
  CHECK_FALSE(s.cancel(a));
  CHECK(s.is_pending(c));
  s.run_until(300);
  CHECK(ran == 110);
}

TEST_CASE("an event cannot cancel itself while running but can cancel others") {
  Scheduler s;
  int ran = 0;
  EventId self;
  EventId other = s.schedule_at(20, [&] { ran += 100; });
  self = s.schedule_at(10, [&] {
    CHECK_FALSE(s.cancel(self));
    CHECK(s.cancel(other));
    ran += 1;
  });
  s.run_until(50);
  CHECK(ran == 1);
}

TEST_CASE("run_until with a step budget stops early without moving the clock past the last event") {
  Scheduler s;
  for (int i = 1; i <= 10; ++i) s.schedule_at(i * 10, [] {});
  CHECK(s.run_until(1000, 4) == 4);
  CHECK(s.now() == 40);
  CHECK(s.pending() == 6);
  CHECK(s.run_until(1000) == 6);
  CHECK(s.now() == 1000);
}

TEST_CASE("run_while stops when the predicate turns false or the queue empties") {
  Scheduler s;
  int count = 0;
  for (int i = 0; i < 100; ++i) s.schedule_at(i, [&] { ++count; });
  CHECK(s.run_while([&] { return count < 25; }) == 25);
  CHECK(count == 25);
  CHECK(s.run_while([] { return true; }, 10) == 10);
  CHECK(s.run_while([] { return true; }) == 65);
  CHECK_FALSE(s.step());
}

TEST_CASE("heavily cancelled queues compact and still run the survivors in order") {
  Scheduler s;
  std::vector<EventId> ids;
  std::vector<int> order;
  for (int i = 0; i < 5000; ++i) ids.push_back(s.schedule_at(5000 - i, [&order, i] { order.push_back(i); }));
  for (int i = 0; i < 5000; ++i) {
    if (i % 7 != 0) s.cancel(ids[static_cast<std::size_t>(i)]);
  }
  CHECK(s.pending() == 715);
  s.run_until(10000);
  REQUIRE(order.size() == 715);
  for (std::size_t i = 1; i < order.size(); ++i) CHECK(order[i] < order[i - 1]);
}

TEST_CASE("callbacks larger than the inline buffer and with owning captures work and are freed") {
  Scheduler s;
  auto shared = std::make_shared<int>(0);
  std::array<std::uint64_t, 16> big{};
  big[15] = 7;
  s.schedule_at(1, [shared, big] { *shared += static_cast<int>(big[15]); });
  EventId cancelled = s.schedule_at(2, [shared] { *shared += 1000; });
  CHECK(shared.use_count() == 3);
  s.cancel(cancelled);
  CHECK(shared.use_count() == 2);  // cancel releases the capture at once
  s.run_until(10);
  CHECK(*shared == 7);
  CHECK(shared.use_count() == 1);
}

// Model check of the radix queue: random schedules (many equal times, wide and narrow gaps),
// random cancels, events scheduling more events, and run_until calls that stop short of the next
// event (the clock then trails the queue's base, so later events land before it). The run order
// must be exactly the reference (time, insertion order) of a std::set, including the events
// cancelled in between.
TEST_CASE("scheduler order matches a sorted reference over random schedules, cancels and partial runs") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Scheduler s;
    std::uint64_t x = seed * 0x9E3779B97F4A7C15ULL;
    auto next = [&x] {  // splitmix64: the test's own stream
      x += 0x9E3779B97F4A7C15ULL;
      std::uint64_t z = x;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      return z ^ (z >> 31);
    };
    std::set<std::pair<TimeUs, int>> expected;  // (time, label); labels grow with insertion order
    std::vector<std::pair<TimeUs, int>> ran;
    std::vector<std::pair<EventId, std::pair<TimeUs, int>>> ids;
    int label = 0;
    std::function<void(int)> add = [&](int depth) {
      const std::uint64_t r = next();
      const TimeUs gap = r % 4 == 0 ? 0 : static_cast<TimeUs>(r % 3 == 0 ? (r >> 8) % 5 : (r >> 8) % 100'000);
      const TimeUs t = s.now() + gap;
      const int me = label++;
      EventId id = s.schedule_at(t, [&, t, me, depth] {
        ran.emplace_back(t, me);
        if (depth < 2 && next() % 3 == 0) add(depth + 1);
      });
      expected.emplace(t, me);
      ids.emplace_back(id, std::make_pair(t, me));
    };
    for (int round = 0; round < 40; ++round) {
      for (int i = 0; i < 50; ++i) add(0);
      for (int i = 0; i < 10; ++i) {
        auto& [id, key] = ids[next() % ids.size()];
        if (s.cancel(id)) expected.erase(key);
      }
      s.run_until(s.now() + static_cast<TimeUs>(next() % 60'000));
    }
    s.run_while([] { return true; });
    REQUIRE(ran.size() == expected.size());
    CHECK(std::equal(ran.begin(), ran.end(), expected.begin()));
    CHECK(s.pending() == 0);
  }
}
