// A set of disjoint half-open time intervals [from, until): the "steady" window is the run after
// warmup minus every fault window (plus a settle margin); metrics are computed over such sets.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/util/time.hpp"

namespace mt::sim {

class IntervalSet {
 public:
  IntervalSet() = default;
  IntervalSet(TimeUs from, TimeUs until);  // empty when until <= from

  void subtract(TimeUs from, TimeUs until);
  [[nodiscard]] bool contains(TimeUs t) const;
  [[nodiscard]] TimeUs length() const;
  [[nodiscard]] bool empty() const { return parts_.empty(); }
  [[nodiscard]] const std::vector<std::pair<TimeUs, TimeUs>>& parts() const { return parts_; }
  [[nodiscard]] std::string describe() const;  // "[30.000s, 90.000s) + [130.000s, 360.000s)"

 private:
  std::vector<std::pair<TimeUs, TimeUs>> parts_;  // sorted, disjoint, non-empty
};

}  // namespace mt::sim
