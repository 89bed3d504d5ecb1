// A node's own clock: world time plus an offset plus a drift in parts per million, all integer
// arithmetic. Used for Context::now() and to turn a node-local timer deadline into the world
// time at which it fires (clock-skew scenarios).
//
// local(w) = local_at_anchor + (w - anchor) + floor((w - anchor) * drift_ppm / 1e6)
// Changing the drift re-anchors at the current world time, so local time never jumps; changing
// the offset is a deliberate jump (a skew fault).
#pragma once

#include <cstdint>

#include "core/util/time.hpp"

namespace mt::sim {

class NodeClock {
 public:
  // |drift| must stay well below 1e6 ppm so local time keeps moving forward.
  static constexpr std::int64_t kMaxDriftPpm = 100'000;  // 10%: more is a broken scenario

  NodeClock() = default;
  NodeClock(TimeUs offset_us, std::int64_t drift_ppm);

  [[nodiscard]] TimeUs to_local(TimeUs world_us) const;
  // The earliest world time at which the local clock reads at least local_us.
  [[nodiscard]] TimeUs to_world(TimeUs local_us) const;

  // Jumps the local clock by delta from now on.
  void adjust_offset(TimeUs delta_us) { local_at_anchor_ += delta_us; }
  // New drift from world time `now_us` on; local time is continuous at now_us.
  void set_drift(TimeUs now_us, std::int64_t drift_ppm);
  [[nodiscard]] std::int64_t drift_ppm() const { return drift_ppm_; }

 private:
  TimeUs anchor_world_ = 0;
  TimeUs local_at_anchor_ = 0;
  std::int64_t drift_ppm_ = 0;
};

}  // namespace mt::sim
