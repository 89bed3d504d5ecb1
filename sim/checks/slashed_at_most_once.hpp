// Safety (accountability): a double signer is slashed once. A piece of duplicate-vote evidence
// tombstones its validator, and the chain refuses any later piece against a tombstoned one, so
// along the finalized chain no validator is named by two pieces of committed evidence (in one
// block or in two). Judged on each height's block once, as the first honest node commits it.
#pragma once

#include <map>
#include <set>
#include <string>

#include "sim/checks/check.hpp"

namespace mt::sim {

class SlashedAtMostOnce final : public Check {
 public:
  explicit SlashedAtMostOnce(const RunView& view) : Check(view) {}
  [[nodiscard]] std::string name() const override { return "slashed_at_most_once"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::safety; }
  void on_event(std::size_t node, TimeUs t, const Event& e) override;
  [[nodiscard]] std::string measured() const override;

 private:
  std::set<std::uint64_t> judged_heights_;
  std::map<Address, std::uint64_t> accused_at_;  // validator -> height of the block that slashed it
};

}  // namespace mt::sim
