#include "sim/engine/scheduler.hpp"

#include <algorithm>

namespace mt::sim {

std::uint32_t Scheduler::acquire_slot() {
  MT_ASSERT(live_ < kMaxPending, "scheduler: too many pending events (runaway loop?)");
  ++live_;
  if (!free_slots_.empty()) {
    const std::uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  if ((slot_count_ & (kChunkSize - 1)) == 0) chunks_.push_back(std::make_unique<Slot[]>(kChunkSize));
  return slot_count_++;
}

void Scheduler::release_slot(std::uint32_t slot) {
  Slot& s = slot_ref(slot);
  s.fn.reset();
  free_slots_.push_back(slot);
  --live_;
}

void Scheduler::push(Entry e) {
  std::size_t i = heap_.size();
  heap_.push_back(e);
  while (i > 0) {
    const std::size_t parent = (i - 1) / 4;
    if (!before(e, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

void Scheduler::pop_top() {
  const Entry last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return;
  std::size_t i = 0;
  for (;;) {
    const std::size_t first = 4 * i + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t end = std::min(first + 4, n);
    for (std::size_t c = first + 1; c < end; ++c) {
      if (before(heap_[c], heap_[best])) best = c;
    }
    if (!before(heap_[best], last)) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = last;
}

void Scheduler::drop_stale_top() {
  while (!heap_.empty() && is_stale(heap_.front())) pop_top();
}

// Cancelled events leave stale heap entries; rebuild once they outnumber the live ones so a
// workload that cancels most timers keeps the heap (and memory) proportional to live events.
void Scheduler::compact() {
  std::vector<Entry> kept;
  kept.reserve(live_);
  for (const Entry& e : heap_) {
    if (!is_stale(e)) kept.push_back(e);
  }
  heap_.clear();
  for (const Entry& e : kept) push(e);
}

bool Scheduler::cancel(EventId id) {
  if (!is_pending(id)) return false;
  Slot& s = slot_ref(id.slot);
  s.live_seq = kNoEvent;
  release_slot(id.slot);
  if (heap_.size() > 1024 && heap_.size() > 2 * live_) compact();
  return true;
}

bool Scheduler::is_pending(EventId id) const {
  if (!id.valid() || id.slot >= slot_count_) return false;
  const Slot& s = slot_ref(id.slot);
  return s.live_seq == id.seq && static_cast<bool>(s.fn);
}

bool Scheduler::step() {
  drop_stale_top();
  if (heap_.empty()) return false;
  const Entry e = heap_.front();
  pop_top();
  MT_ASSERT(e.time >= now_, "scheduler time went backwards");
  now_ = e.time;
  Slot& s = slot_ref(e.slot());
  s.live_seq = kNoEvent;  // the id goes stale now: cancelling a running event is a no-op
  ++executed_;
  s.fn();
  release_slot(e.slot());  // chunks never move, so `s` is still valid after the callback
  return true;
}

std::uint64_t Scheduler::run_until(TimeUs t, std::uint64_t max_steps) {
  MT_ASSERT(t >= now_, "run_until a time in the past");
  std::uint64_t steps = 0;
  for (;;) {
    drop_stale_top();
    if (heap_.empty() || heap_.front().time > t) break;
    if (steps >= max_steps) return steps;
    step();
    ++steps;
  }
  now_ = t;
  return steps;
}

TimeUs Scheduler::next_time() {
  drop_stale_top();
  return heap_.empty() ? std::numeric_limits<TimeUs>::max() : heap_.front().time;
}

}  // namespace mt::sim
