// Safety (accountability): evidence is only slashed inside its window. Every piece of
// duplicate-vote evidence in a finalized block at height H is about a height h < H with
// H - h <= evidence_max_age_blocks (the chain's parameter at genesis): stake that has since
// unbonded is beyond the reach of older evidence. Judged once per height, as the first honest
// node commits it.
#pragma once

#include <set>
#include <string>

#include "sim/checks/check.hpp"

namespace mt::sim {

class EvidenceWithinAge final : public Check {
 public:
  EvidenceWithinAge(const RunView& view, std::uint64_t max_age_blocks) : Check(view), max_age_(max_age_blocks) {}
  [[nodiscard]] std::string name() const override { return "evidence_within_age"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::safety; }
  void on_event(std::size_t node, TimeUs t, const Event& e) override;
  [[nodiscard]] std::string measured() const override;

 private:
  std::uint64_t max_age_;
  std::set<std::uint64_t> judged_heights_;
  std::uint64_t oldest_ = 0;  // the greatest age of committed evidence seen, in blocks
  std::uint64_t judged_ = 0;
};

}  // namespace mt::sim
