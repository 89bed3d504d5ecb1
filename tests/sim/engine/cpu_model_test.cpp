// A node handles one input at a time: charged CPU time delays the inputs queued behind it, in
// arrival order, and an idle node handles an input at once; a node's speed scales what it is charged.
#include <doctest/doctest.h>

#include <vector>

#include "sim/engine/cpu_model.hpp"

using namespace mt;
using namespace mt::sim;

TEST_CASE("an idle node runs an input immediately") {
  Scheduler s;
  CpuModel cpu(s, 2);
  bool ran = false;
  s.schedule_at(100, [&] { CHECK(cpu.submit(0, [&] { ran = true; })); CHECK(ran); });
  s.run_until(1000);
  CHECK(ran);
  CHECK_FALSE(cpu.busy(0));
}

TEST_CASE("charged CPU time queues later inputs in FIFO order") {
  Scheduler s;
  CpuModel cpu(s, 2);
  std::vector<std::pair<int, TimeUs>> log;
  // Three inputs arrive at t=0, 10, 20; each costs 100 us of CPU.
  for (int i = 0; i < 3; ++i) {
    s.schedule_at(i * 10, [&, i] {
      cpu.submit(0, [&, i] {
        log.emplace_back(i, s.now());
        cpu.charge(0, 100);
      });
    });
  }
  // Node 1 is independent and not delayed by node 0's work.
  s.schedule_at(15, [&] { cpu.submit(1, [&] { log.emplace_back(9, s.now()); }); });
  s.run_until(1000);
  REQUIRE(log.size() == 4);
  CHECK(log[0] == std::pair<int, TimeUs>{0, 0});
  CHECK(log[1] == std::pair<int, TimeUs>{9, 15});
  CHECK(log[2] == std::pair<int, TimeUs>{1, 100});
  CHECK(log[3] == std::pair<int, TimeUs>{2, 200});
  CHECK(cpu.total_charged(0) == 300);
  CHECK(cpu.busy_until(0) == 300);
}

TEST_CASE("a handler that submits to its own node queues the new input behind itself") {
  Scheduler s;
  CpuModel cpu(s, 1);
  std::vector<TimeUs> times;
  cpu.submit(0, [&] {
    times.push_back(s.now());
    cpu.charge(0, 50);
    cpu.submit(0, [&] { times.push_back(s.now()); });
  });
  s.run_until(1000);
  CHECK(times == std::vector<TimeUs>{0, 50});
}

TEST_CASE("a full input queue drops and counts what does not fit") {
  Scheduler s;
  CpuModel cpu(s, 1, 2);
  int ran = 0;
  cpu.submit(0, [&] { ++ran; cpu.charge(0, 10); });
  CHECK(cpu.submit(0, [&] { ++ran; }));
  CHECK(cpu.submit(0, [&] { ++ran; }));
  CHECK_FALSE(cpu.submit(0, [&] { ++ran; }));
  CHECK(cpu.dropped(0) == 1);
  s.run_until(100);
  CHECK(ran == 3);
}

TEST_CASE("a slower node's charges take longer, rounded up, and the busy time is metered") {
  Scheduler s;
  CpuModel cpu(s, 2);
  cpu.set_speed(1, 50);  // 0.05: twenty times slower
  std::vector<TimeUs> second;
  cpu.submit(0, [&] { cpu.charge(0, 100); });
  cpu.submit(1, [&] { cpu.charge(1, 100); });
  cpu.submit(1, [&] { second.push_back(s.now()); cpu.charge(1, 1); });
  s.run_until(sec(1));
  CHECK(cpu.total_charged(0) == 100);
  REQUIRE(second.size() == 1);
  CHECK(second[0] == 2000);
  CHECK(cpu.total_charged(1) == 2000 + 20);
  CHECK(cpu.usage().busy_within(1, 0, sec(1)) == 2020);
  CHECK(cpu.usage().busy_within(0, 0, sec(1)) == 100);
  cpu.set_speed(0, 3000);  // three times faster: 10 us -> 4 us (3.33 rounded up)
  cpu.submit(0, [&] { cpu.charge(0, 10); });
  CHECK(cpu.total_charged(0) == 104);
}

TEST_CASE("a hold (a paused process) delays the queue by its duration whatever the speed, and is not busy CPU") {
  Scheduler s;
  CpuModel cpu(s, 1);
  cpu.set_speed(0, 100);  // ten times slower
  std::vector<TimeUs> times;
  cpu.submit(0, [&] { cpu.hold(0, 1000); });
  cpu.submit(0, [&] { times.push_back(s.now()); });
  s.run_until(sec(1));
  CHECK(times == std::vector<TimeUs>{1000});
  CHECK(cpu.usage().busy_within(0, 0, sec(1)) == 0);
}
