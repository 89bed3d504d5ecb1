// Liveness checks over the first honest finalization of each height:
//  - Recovers{after, within}: once fault `after` ends, a new height is finalized within `within`.
//  - FinalityProgress{max_stall}: no gap between consecutive finalized heights (and from the
//    window's start, and to its end) exceeds max_stall.
//  - ChainHeight{min}: the chain reaches at least `min` finalized heights.
#pragma once

#include <map>

#include "sim/checks/check.hpp"

namespace mt::sim {

// Records first honest finalization times; shared logic of the liveness checks.
class FinalizationClock : public Check {
 public:
  using Check::Check;
  void on_event(std::size_t node, TimeUs t, const Event& e) override;

 protected:
  std::map<std::uint64_t, TimeUs> first_commit_;  // height -> first honest finalization time
  std::uint64_t max_height_ = 0;
};

class Recovers final : public FinalizationClock {
 public:
  Recovers(const RunView& view, std::string fault_id, TimeUs within_us);
  [[nodiscard]] std::string name() const override { return "recovers"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::liveness; }
  void finish(TimeUs end_us) override;
  [[nodiscard]] std::string measured() const override { return measured_; }

 private:
  std::string fault_id_;
  TimeUs within_us_;
  std::string measured_ = "not evaluated";
};

class FinalityProgress final : public FinalizationClock {
 public:
  FinalityProgress(const RunView& view, TimeUs max_stall_us, TimeUs from_us, TimeUs until_us);
  [[nodiscard]] std::string name() const override { return "finality_progress"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::liveness; }
  void finish(TimeUs end_us) override;
  [[nodiscard]] std::string measured() const override { return "longest stall " + format_time(longest_); }
  // Narrows the evaluated span (a window known only at the end, such as after:<fault>).
  void set_window(TimeUs from_us, TimeUs until_us) {
    from_us_ = from_us;
    until_us_ = until_us;
  }

 private:
  TimeUs max_stall_us_, from_us_, until_us_;
  TimeUs longest_ = 0;
};

class ChainHeight final : public FinalizationClock {
 public:
  ChainHeight(const RunView& view, std::uint64_t min_height) : FinalizationClock(view), min_(min_height) {}
  [[nodiscard]] std::string name() const override { return "chain_height"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::liveness; }
  void finish(TimeUs end_us) override;
  [[nodiscard]] std::string measured() const override { return fmt::format("height {}", max_height_); }

 private:
  std::uint64_t min_;
};

}  // namespace mt::sim
