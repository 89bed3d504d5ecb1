// Safety: no two honest nodes ever finalize different blocks at the same height.
#pragma once

#include <map>

#include "sim/checks/check.hpp"

namespace mt::sim {

class NoConflictingFinality final : public Check {
 public:
  using Check::Check;
  [[nodiscard]] std::string name() const override { return "no_conflicting_finality"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::safety; }
  void on_event(std::size_t node, TimeUs t, const Event& e) override;
  [[nodiscard]] std::string measured() const override;

 private:
  struct First {
    Hash32 block_hash;
    std::size_t node = 0;
    TimeUs at_us = 0;
  };
  std::map<std::uint64_t, First> first_;  // height -> first honest finalization
  std::uint64_t conflicts_ = 0;
};

}  // namespace mt::sim
