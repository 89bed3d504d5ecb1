// Accountability checks:
//  - HonestNeverSlashed (safety): no validator that was configured honest is ever slashed.
//  - EquivocatorsSlashed (accountability, failing as liveness): every target validator that
//    equivocated is slashed for double signing within `within_blocks` of the equivocation height.
#pragma once

#include <map>
#include <set>

#include "sim/checks/check.hpp"

namespace mt::sim {

class HonestNeverSlashed final : public Check {
 public:
  using Check::Check;
  [[nodiscard]] std::string name() const override { return "honest_never_slashed"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::safety; }
  void on_event(std::size_t node, TimeUs t, const Event& e) override;
  [[nodiscard]] std::string measured() const override;

 private:
  std::set<Address> slashed_honest_;
  std::uint64_t slashes_seen_ = 0;
};

class EquivocatorsSlashed final : public Check {
 public:
  EquivocatorsSlashed(const RunView& view, std::vector<std::size_t> targets, std::uint64_t within_blocks);
  [[nodiscard]] std::string name() const override { return "equivocators_slashed"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::liveness; }
  void on_event(std::size_t node, TimeUs t, const Event& e) override;
  void finish(TimeUs end_us) override;
  [[nodiscard]] std::string measured() const override;

 private:
  std::vector<std::size_t> targets_;
  std::uint64_t within_blocks_;
  std::map<Address, std::uint64_t> first_evidence_height_;  // equivocation height
  std::map<Address, std::uint64_t> slashed_at_height_;      // height of the slashing block
  std::uint64_t max_delay_blocks_ = 0;
};

}  // namespace mt::sim
