// The scheduler's hot loop: events per second with a large pending set (hold model: each event
// schedules one more at a random future time, so the queue stays at its size).
#include <benchmark/benchmark.h>

#include "sim/engine/random.hpp"
#include "sim/engine/scheduler.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
struct Hold {
  Scheduler sched;
  Rng rng{1};
  std::uint64_t fired = 0;
  void reschedule() {
    // Delays up to 1 s: a mix of near and far events, as network deliveries and timers give.
    sched.schedule_after(static_cast<TimeUs>(rng.uniform_u64(1'000'000)), [this] {
      ++fired;
      reschedule();
    });
  }
};
}  // namespace

static void BM_Scheduler(benchmark::State& state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  Hold h;
  for (std::size_t i = 0; i < pending; ++i) h.reschedule();
  for (auto _ : state) h.sched.run_while([] { return true; }, 10'000);
  benchmark::DoNotOptimize(h.fired);
  state.counters["pending"] = static_cast<double>(h.sched.pending());
  state.counters["events_per_s"] = benchmark::Counter(static_cast<double>(h.fired), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Scheduler)->Arg(1'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// Timers that are mostly cancelled before they fire (round timeouts): schedule + cancel cost.
static void BM_SchedulerCancel(benchmark::State& state) {
  Scheduler sched;
  Rng rng(2);
  std::uint64_t ops = 0;
  for (auto _ : state) {
    for (int i = 0; i < 1000; ++i) {
      EventId id = sched.schedule_after(static_cast<TimeUs>(rng.uniform_u64(1'000'000)), [] {});
      if (i % 10 != 0) sched.cancel(id);
    }
    sched.run_until(sched.now() + 1000);
    ops += 1000;
  }
  state.counters["timers_per_s"] = benchmark::Counter(static_cast<double>(ops), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SchedulerCancel);
