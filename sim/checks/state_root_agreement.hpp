// Safety: honest nodes that finalize the same block at a height compute the same state root.
// (Different blocks at one height are NoConflictingFinality's business.)
#pragma once

#include <map>

#include "sim/checks/check.hpp"

namespace mt::sim {

class StateRootAgreement final : public Check {
 public:
  using Check::Check;
  [[nodiscard]] std::string name() const override { return "state_root_agreement"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::safety; }
  void on_event(std::size_t node, TimeUs t, const Event& e) override;
  [[nodiscard]] std::string measured() const override;

 private:
  struct First {
    Hash32 state_root;
    std::size_t node = 0;
  };
  std::map<std::pair<std::uint64_t, Hash32>, First> roots_;  // (height, block) -> first root seen
  std::uint64_t compared_ = 0;
  std::uint64_t mismatches_ = 0;
};

}  // namespace mt::sim
