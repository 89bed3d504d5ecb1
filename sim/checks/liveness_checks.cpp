#include "sim/checks/liveness_checks.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace mt::sim {

void FinalizationClock::on_event(std::size_t node, TimeUs t, const Event& e) {
  const auto* c = std::get_if<BlockCommitted>(&e);
  if (c == nullptr || !honest(node)) return;
  first_commit_.try_emplace(c->height, t);
  max_height_ = std::max(max_height_, c->height);
}

Recovers::Recovers(const RunView& view, std::string fault_id, TimeUs within_us)
    : FinalizationClock(view), fault_id_(std::move(fault_id)), within_us_(within_us) {}

void Recovers::finish(TimeUs end_us) {
  const FaultWindow* f = view().fault(fault_id_);
  if (f == nullptr) {
    measured_ = "fault '" + fault_id_ + "' never happened";
    fail(end_us, "fault '" + fault_id_ + "' never started, so recovery from it cannot be judged");
    return;
  }
  if (f->end_us < 0) {
    measured_ = "fault still active at the end";
    fail(end_us, "fault '" + fault_id_ + "' was still active at the end of the run (" + format_time(end_us) + ")");
    return;
  }
  // Highest height finalized by the time the fault healed; recovery is the next one after it.
  std::uint64_t healed_height = 0;
  for (const auto& [h, t] : first_commit_) {
    if (t <= f->end_us) healed_height = std::max(healed_height, h);
  }
  TimeUs recovered_at = -1;
  for (const auto& [h, t] : first_commit_) {
    if (h > healed_height && t > f->end_us) {
      recovered_at = recovered_at < 0 ? t : std::min(recovered_at, t);
    }
  }
  if (recovered_at < 0) {
    measured_ = "no new height after the fault ended";
    fail(end_us, fmt::format("after '{}' ended at {} no new height above {} was finalized by the end ({})", fault_id_,
                             format_time(f->end_us), healed_height, format_time(end_us)));
    return;
  }
  TimeUs took = recovered_at - f->end_us;
  measured_ = "recovered in " + format_time(took);
  if (took > within_us_) {
    fail(recovered_at,
         fmt::format("after '{}' ended at {} the next height ({}) took {}, bound {}", fault_id_, format_time(f->end_us),
                     healed_height + 1, format_time(took), format_time(within_us_)));
  }
}

FinalityProgress::FinalityProgress(const RunView& view, TimeUs max_stall_us, TimeUs from_us, TimeUs until_us)
    : FinalizationClock(view), max_stall_us_(max_stall_us), from_us_(from_us), until_us_(until_us) {}

void FinalityProgress::finish(TimeUs end_us) {
  TimeUs until = until_us_ < 0 ? end_us : std::min(until_us_, end_us);
  TimeUs prev = from_us_;
  std::uint64_t prev_height = 0;
  auto consider = [&](TimeUs t, std::uint64_t h) {
    TimeUs gap = t - prev;
    if (gap > longest_) longest_ = gap;
    if (gap > max_stall_us_) {
      fail(t,
           fmt::format("no height finalized between {} (height {}) and {}: a stall of {}, bound {}", format_time(prev),
                       prev_height, format_time(t), format_time(gap), format_time(max_stall_us_)));
    }
    prev = t;
    prev_height = h;
  };
  // First commits can be out of height order only under conflicting forks; sort by time.
  std::vector<std::pair<TimeUs, std::uint64_t>> by_time;
  for (const auto& [h, t] : first_commit_) by_time.emplace_back(t, h);
  std::sort(by_time.begin(), by_time.end());
  for (const auto& [t, h] : by_time) {
    if (t < from_us_ || t > until) continue;
    consider(t, h);
  }
  consider(until, prev_height);
}

void ChainHeight::finish(TimeUs end_us) {
  if (max_height_ < min_) {
    fail(end_us, fmt::format("finalized height {} is below the required {}", max_height_, min_));
  }
}

}  // namespace mt::sim
