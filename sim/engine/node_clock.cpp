#include "sim/engine/node_clock.hpp"

#include "core/util/amount.hpp"
#include "core/util/assert.hpp"

namespace mt::sim {

namespace {
constexpr std::int64_t kPpm = 1'000'000;

// Floor division for a signed 128-bit numerator and a positive denominator.
Int128 floor_div(Int128 num, Int128 den) {
  Int128 q = num / den;
  if ((num % den != 0) && (num < 0)) --q;
  return q;
}
}  // namespace

NodeClock::NodeClock(TimeUs offset_us, std::int64_t drift_ppm) : local_at_anchor_(offset_us) {
  MT_ASSERT(drift_ppm >= -kMaxDriftPpm && drift_ppm <= kMaxDriftPpm, "clock drift out of range");
  drift_ppm_ = drift_ppm;
}

TimeUs NodeClock::to_local(TimeUs world_us) const {
  const Int128 elapsed = Int128{world_us} - anchor_world_;
  const Int128 drift = floor_div(elapsed * drift_ppm_, kPpm);
  return static_cast<TimeUs>(Int128{local_at_anchor_} + elapsed + drift);
}

TimeUs NodeClock::to_world(TimeUs local_us) const {
  // Invert the linear part, then settle the rounding by probing neighbours: local() is
  // monotone, so the answer is the smallest w with to_local(w) >= local_us.
  const Int128 wanted = Int128{local_us} - local_at_anchor_;
  TimeUs w = static_cast<TimeUs>(anchor_world_ + floor_div(wanted * kPpm, kPpm + drift_ppm_));
  int probes = 0;
  while (to_local(w) < local_us) {
    ++w;
    MT_ASSERT(++probes < 8, "NodeClock::to_world did not converge");
  }
  while (to_local(w - 1) >= local_us) {
    --w;
    MT_ASSERT(++probes < 8, "NodeClock::to_world did not converge");
  }
  return w;
}

void NodeClock::set_drift(TimeUs now_us, std::int64_t drift_ppm) {
  MT_ASSERT(drift_ppm >= -kMaxDriftPpm && drift_ppm <= kMaxDriftPpm, "clock drift out of range");
  local_at_anchor_ = to_local(now_us);
  anchor_world_ = now_us;
  drift_ppm_ = drift_ppm;
}

}  // namespace mt::sim
