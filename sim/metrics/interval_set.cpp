#include "sim/metrics/interval_set.hpp"

#include <string>

#include "sim/run/run_view.hpp"

namespace mt::sim {

IntervalSet::IntervalSet(TimeUs from, TimeUs until) {
  if (until > from) parts_.emplace_back(from, until);
}

void IntervalSet::subtract(TimeUs from, TimeUs until) {
  if (until <= from) return;
  std::vector<std::pair<TimeUs, TimeUs>> out;
  for (const auto& [a, b] : parts_) {
    if (until <= a || from >= b) {
      out.emplace_back(a, b);
      continue;
    }
    if (a < from) out.emplace_back(a, from);
    if (until < b) out.emplace_back(until, b);
  }
  parts_ = std::move(out);
}

bool IntervalSet::contains(TimeUs t) const {
  for (const auto& [a, b] : parts_) {
    if (t >= a && t < b) return true;
  }
  return false;
}

TimeUs IntervalSet::length() const {
  TimeUs total = 0;
  for (const auto& [a, b] : parts_) total += b - a;
  return total;
}

std::string IntervalSet::describe() const {
  if (parts_.empty()) return "(empty)";
  std::string s;
  for (const auto& [a, b] : parts_) {
    if (!s.empty()) s += " + ";
    s += "[" + format_time(a) + ", " + format_time(b) + ")";
  }
  return s;
}

}  // namespace mt::sim
