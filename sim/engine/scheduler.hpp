// The one clock of a run and its event queue (DESIGN.md §4): events run in (time, insertion
// sequence) order, so two events at the same microsecond run in the order they were scheduled.
// Single-threaded by design; parallelism is many seeds in many processes.
//
//   Scheduler s;
//   EventId id = s.schedule_after(ms(5), [&] { ... });
//   s.cancel(id);                   // no-op if it already ran
//   s.run_until(sec(10));           // runs everything due by 10 s, then now() == 10 s
//   s.run_while([&] { return !done; }, /*max_steps=*/1'000'000);
//
// Callbacks are InlineFunction: captures up to 40 bytes are stored without allocation. Pending
// events are bounded (kMaxPending); exceeding it is a programmer error (a runaway feedback loop).
//
// The queue is a radix heap (Ahuja et al.): simulated time never goes backwards, so an event is
// filed in the bucket named by the highest bit where its time differs from the last minimum
// taken out, and a bucket is only ever split into lower ones. Each bucket is a vector appended in
// insertion order and split stably, so events of equal time stay in insertion order: the same
// (time, sequence) order a comparison heap gives, at a few sequential moves per event instead
// of a sift through a heap that no longer fits in cache. An event scheduled before that last
// minimum (possible only after run_until stopped short of the next event) goes to a small
// comparison heap that is always drained first.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "core/util/assert.hpp"
#include "core/util/time.hpp"
#include "sim/engine/inline_function.hpp"

namespace mt::sim {

// Cancel token. A default-constructed id refers to nothing; ids of events that ran or were
// cancelled go stale (their slot's generation moved on), so cancelling them is a no-op.
struct EventId {
  std::uint32_t slot = std::numeric_limits<std::uint32_t>::max();
  std::uint64_t seq = 0;  // the event's insertion sequence number: unique over the run
  [[nodiscard]] bool valid() const { return slot != std::numeric_limits<std::uint32_t>::max(); }
};

class Scheduler {
 public:
  static constexpr std::uint64_t kNoLimit = std::numeric_limits<std::uint64_t>::max();
  static constexpr std::uint32_t kSlotBits = 26;
  static constexpr std::size_t kMaxPending = std::size_t{1} << kSlotBits;  // 64 M events, ~5 GB: a bug
  static constexpr std::uint64_t kMaxSeq = std::uint64_t{1} << (64 - kSlotBits);  // 2.7e11 events per run

  Scheduler() = default;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  [[nodiscard]] TimeUs now() const { return now_; }

  // Schedules `f` at absolute time t >= now().
  template <class F>
  EventId schedule_at(TimeUs t, F&& f) {
    MT_ASSERT(t >= now_, "cannot schedule an event in the past");
    MT_ASSERT(next_seq_ < kMaxSeq, "scheduler: event sequence exhausted");
    const std::uint32_t slot = acquire_slot();
    Slot& s = slot_ref(slot);
    s.fn.assign_empty(std::forward<F>(f));  // a free slot's callback was reset on release
    const std::uint64_t seq = next_seq_++;
    s.live_seq = seq;
    push({t, (seq << kSlotBits) | slot});
    return EventId{slot, seq};
  }
  template <class F>
  EventId schedule_after(TimeUs delay, F&& f) {
    MT_ASSERT(delay >= 0, "negative delay");
    return schedule_at(now_ + delay, std::forward<F>(f));
  }

  // Cancels a pending event; returns false if it already ran, was cancelled, or is running.
  bool cancel(EventId id);
  [[nodiscard]] bool is_pending(EventId id) const;

  // Runs the next event; false if none is pending.
  bool step();
  // Runs every event due at or before t (at most max_steps of them). If it stopped because
  // nothing more was due, the clock moves to t. Returns the number of events run.
  std::uint64_t run_until(TimeUs t, std::uint64_t max_steps = kNoLimit);
  // Runs events while pred() holds before each one (at most max_steps). Returns events run.
  template <class Pred>
  std::uint64_t run_while(Pred&& pred, std::uint64_t max_steps = kNoLimit) {
    std::uint64_t steps = 0;
    while (steps < max_steps && pred() && step()) ++steps;
    return steps;
  }

  [[nodiscard]] std::size_t pending() const { return live_; }
  [[nodiscard]] std::uint64_t executed() const { return executed_; }
  // Time of the next pending event, or kNoLimit-like max TimeUs when none is pending.
  [[nodiscard]] TimeUs next_time();

 private:
  // 16 bytes, so a node's four children share one cache line: the time, then the insertion
  // sequence in the high bits of `order` with the slot below it (sequences are unique, so the
  // slot bits never decide an order).
  struct Entry {
    TimeUs time;
    std::uint64_t order;
    [[nodiscard]] std::uint32_t slot() const { return static_cast<std::uint32_t>(order & (kMaxPending - 1)); }
    [[nodiscard]] std::uint64_t seq() const { return order >> kSlotBits; }
  };
  static_assert(sizeof(Entry) == 16);
  static constexpr std::uint64_t kNoEvent = std::numeric_limits<std::uint64_t>::max();
  struct alignas(64) Slot {  // one cache line
    InlineFunction fn;
    std::uint64_t live_seq = kNoEvent;  // sequence of the event pending in this slot
  };
  static_assert(sizeof(Slot) == 64, "a pending event's callback should fill exactly one cache line");
  static constexpr std::uint32_t kChunkShift = 12;  // 4096 slots per chunk: addresses stay put
  static constexpr std::uint32_t kChunkSize = 1u << kChunkShift;

  static bool before(const Entry& a, const Entry& b) {
    return a.time < b.time || (a.time == b.time && a.order < b.order);
  }
  static constexpr std::size_t kBuckets = 65;  // bucket 0: time == base_; bucket b: highest differing bit b-1
  static std::size_t bucket_of(TimeUs t, TimeUs base) {
    const auto x = static_cast<std::uint64_t>(t) ^ static_cast<std::uint64_t>(base);
    return x == 0 ? 0 : static_cast<std::size_t>(64 - std::countl_zero(x));
  }
  Slot& slot_ref(std::uint32_t i) { return chunks_[i >> kChunkShift][i & (kChunkSize - 1)]; }
  const Slot& slot_ref(std::uint32_t i) const { return chunks_[i >> kChunkShift][i & (kChunkSize - 1)]; }
  bool is_stale(const Entry& e) const { return slot_ref(e.slot()).live_seq != e.seq(); }

  std::uint32_t acquire_slot();
  void release_slot(std::uint32_t slot);
  void push(Entry e);
  // The earliest entry (stale or not), or null when none; may split a bucket to find it.
  const Entry* top();
  void pop_top();  // removes what top() returned
  void drop_stale_top();
  bool refill();   // splits the lowest non-empty bucket; false if the radix part is empty
  void compact();
  [[nodiscard]] std::size_t entries() const;  // heap entries, stale ones included

  void early_push(Entry e);
  void early_pop();

  std::array<std::vector<Entry>, kBuckets> buckets_;
  std::size_t head_ = 0;      // entries of buckets_[0] before head_ were taken out
  TimeUs base_ = 0;           // every entry in buckets_ has time >= base_
  std::vector<Entry> early_;  // 4-ary min-heap on (time, seq) of entries with time < base_
  std::size_t radix_entries_ = 0;
  std::vector<std::unique_ptr<Slot[]>> chunks_;
  std::vector<std::uint32_t> free_slots_;
  std::uint32_t slot_count_ = 0;
  std::size_t live_ = 0;
  TimeUs now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t executed_ = 0;
};

}  // namespace mt::sim
