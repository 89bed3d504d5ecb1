#include "sim/engine/scheduler.hpp"

#include <algorithm>

namespace mt::sim {

std::uint32_t Scheduler::acquire_slot() {
  MT_ASSERT(live_ < kMaxPending, "scheduler: too many pending events (runaway loop?)");
  ++live_;
  if (!free_slots_.empty()) {
    const std::uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    // A burst of sends (one gossip) takes slots freed long ago: start fetching the next one.
    if (free_slots_.size() >= 4) __builtin_prefetch(&slot_ref(free_slots_[free_slots_.size() - 4]), 1);
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
  if (e.time < base_) {
    early_push(e);
    return;
  }
  buckets_[bucket_of(e.time, base_)].push_back(e);
  ++radix_entries_;
}

void Scheduler::early_push(Entry e) {
  std::size_t i = early_.size();
  early_.push_back(e);
  while (i > 0) {
    const std::size_t parent = (i - 1) / 4;
    if (!before(e, early_[parent])) break;
    early_[i] = early_[parent];
    i = parent;
  }
  early_[i] = e;
}

void Scheduler::early_pop() {
  const Entry last = early_.back();
  early_.pop_back();
  const std::size_t n = early_.size();
  if (n == 0) return;
  std::size_t i = 0;
  for (;;) {
    const std::size_t first = 4 * i + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t end = std::min(first + 4, n);
    for (std::size_t c = first + 1; c < end; ++c) {
      if (before(early_[c], early_[best])) best = c;
    }
    if (!before(early_[best], last)) break;
    early_[i] = early_[best];
    i = best;
  }
  early_[i] = last;
}

bool Scheduler::refill() {
  auto& zero = buckets_[0];
  zero.clear();
  head_ = 0;
  std::size_t b = 1;
  while (b < kBuckets && buckets_[b].empty()) ++b;
  if (b == kBuckets) return false;
  auto& from = buckets_[b];
  TimeUs m = from.front().time;
  for (const Entry& e : from) m = std::min(m, e.time);
  base_ = m;
  // Every entry of bucket b differs from the new base below bit b-1, so it lands in a lower
  // bucket; appending in order keeps equal times in insertion order.
  for (const Entry& e : from) buckets_[bucket_of(e.time, base_)].push_back(e);
  from.clear();
  return true;
}

const Scheduler::Entry* Scheduler::top() {
  if (!early_.empty()) return &early_.front();
  if (head_ == buckets_[0].size() && !refill()) return nullptr;
  return &buckets_[0][head_];
}

void Scheduler::pop_top() {
  if (!early_.empty()) {
    early_pop();
    return;
  }
  ++head_;
  --radix_entries_;
}

void Scheduler::drop_stale_top() {
  for (const Entry* e = top(); e != nullptr && is_stale(*e); e = top()) pop_top();
}

std::size_t Scheduler::entries() const { return early_.size() + radix_entries_; }

// Cancelled events leave stale entries; rebuild once they outnumber the live ones so a workload
// that cancels most timers keeps the queue (and memory) proportional to live events. The
// survivors are re-filed in (time, sequence) order, which keeps every bucket's order valid.
void Scheduler::compact() {
  std::vector<Entry> kept;
  kept.reserve(live_);
  for (const Entry& e : early_) {
    if (!is_stale(e)) kept.push_back(e);
  }
  for (std::size_t b = 0; b < kBuckets; ++b) {
    for (std::size_t i = b == 0 ? head_ : 0; i < buckets_[b].size(); ++i) {
      if (!is_stale(buckets_[b][i])) kept.push_back(buckets_[b][i]);
    }
    buckets_[b].clear();
  }
  early_.clear();
  head_ = 0;
  radix_entries_ = 0;
  std::sort(kept.begin(), kept.end(), before);
  for (const Entry& e : kept) push(e);
}

bool Scheduler::cancel(EventId id) {
  if (!is_pending(id)) return false;
  Slot& s = slot_ref(id.slot);
  s.live_seq = kNoEvent;
  release_slot(id.slot);
  if (entries() > 1024 && entries() > 2 * live_) compact();
  return true;
}

bool Scheduler::is_pending(EventId id) const {
  if (!id.valid() || id.slot >= slot_count_) return false;
  const Slot& s = slot_ref(id.slot);
  return s.live_seq == id.seq && static_cast<bool>(s.fn);
}

bool Scheduler::step() {
  drop_stale_top();
  const Entry* t = top();
  if (t == nullptr) return false;
  const Entry e = *t;
  pop_top();
  // The next event's slot is a cache miss more often than not: start loading it while this
  // one runs. (Finding it first is safe: anything this event schedules before it goes to the
  // early heap, which is drained first.)
  if (const Entry* next = top(); next != nullptr) __builtin_prefetch(&slot_ref(next->slot()));
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
    const Entry* next = top();
    if (next == nullptr || next->time > t) break;
    if (steps >= max_steps) return steps;
    step();
    ++steps;
  }
  now_ = t;
  return steps;
}

TimeUs Scheduler::next_time() {
  drop_stale_top();
  const Entry* next = top();
  return next == nullptr ? std::numeric_limits<TimeUs>::max() : next->time;
}

}  // namespace mt::sim
