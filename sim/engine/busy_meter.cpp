#include "sim/engine/busy_meter.hpp"

#include <algorithm>

#include "core/util/assert.hpp"

namespace mt::sim {

BusyMeter::BusyMeter(TimeUs bucket_us) : bucket_us_(bucket_us) { MT_ASSERT(bucket_us > 0, "meter bucket must be positive"); }

void BusyMeter::add(std::size_t id, TimeUs from, TimeUs until) {
  from = std::max<TimeUs>(from, 0);
  if (until <= from) return;
  if (id >= busy_.size()) busy_.resize(id + 1);
  auto& buckets = busy_[id];
  const auto last = static_cast<std::size_t>((until - 1) / bucket_us_);
  if (last >= buckets.size()) buckets.resize(last + 1, 0);
  for (auto b = static_cast<std::size_t>(from / bucket_us_); b <= last; ++b) {
    const TimeUs lo = std::max(from, static_cast<TimeUs>(b) * bucket_us_);
    const TimeUs hi = std::min(until, static_cast<TimeUs>(b + 1) * bucket_us_);
    buckets[b] += hi - lo;
  }
}

TimeUs BusyMeter::busy_within(std::size_t id, TimeUs from, TimeUs until) const {
  if (id >= busy_.size() || until <= from) return 0;
  const auto& buckets = busy_[id];
  TimeUs sum = 0;
  from = std::max<TimeUs>(from, 0);
  for (auto b = static_cast<std::size_t>(from / bucket_us_); b < buckets.size(); ++b) {
    const TimeUs start = static_cast<TimeUs>(b) * bucket_us_;
    if (start >= until) break;
    const TimeUs overlap = std::min(until, start + bucket_us_) - std::max(from, start);
    sum += overlap == bucket_us_ ? buckets[b] : buckets[b] * overlap / bucket_us_;
  }
  return sum;
}

PeakMeter::PeakMeter(TimeUs bucket_us) : bucket_us_(bucket_us) { MT_ASSERT(bucket_us > 0, "meter bucket must be positive"); }

void PeakMeter::sample(std::size_t who, TimeUs t, std::size_t value) {
  const auto b = static_cast<std::size_t>(std::max<TimeUs>(t, 0) / bucket_us_);
  if (b >= peaks_.size()) peaks_.resize(b + 1);
  Peak& p = peaks_[b];
  if (!p.any || value > p.value) p = Peak{value, who, true};
}

PeakMeter::Peak PeakMeter::peak_within(TimeUs from, TimeUs until) const {
  Peak best;
  for (auto b = static_cast<std::size_t>(std::max<TimeUs>(from, 0) / bucket_us_); b < peaks_.size(); ++b) {
    if (static_cast<TimeUs>(b) * bucket_us_ >= until) break;
    const Peak& p = peaks_[b];
    if (p.any && (!best.any || p.value > best.value)) best = p;
  }
  return best;
}

}  // namespace mt::sim
