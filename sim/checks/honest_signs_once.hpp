// Safety (signing safety, checked directly): no honest validator signs two different values at one
// (height, round, step), counting its proposals and both vote types, across crashes and restarts
// (a node index is the same validator in every incarnation, so a lost signing record shows up as
// a second, different value). Byzantine nodes (configured equivocators) are excluded by name.
#pragma once

#include <map>
#include <tuple>

#include "sim/checks/check.hpp"

namespace mt::sim {

class HonestSignsOnce final : public Check {
 public:
  using Check::Check;
  [[nodiscard]] std::string name() const override { return "honest_signs_once"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::safety; }
  void on_event(std::size_t node, TimeUs t, const Event& e) override;
  [[nodiscard]] std::string measured() const override;

 private:
  enum class Step : std::uint8_t { proposal = 0, prevote = 1, precommit = 2 };
  using Slot = std::tuple<std::size_t, std::uint64_t, std::uint32_t, Step>;  // node, height, round, step
  struct Signed {
    Hash32 value;
    TimeUs at_us = 0;
  };
  void record(std::size_t node, TimeUs t, std::uint64_t height, std::uint32_t round, Step step, const Hash32& value);
  static std::string_view step_name(Step s);

  std::map<Slot, Signed> signed_;
  std::uint64_t double_signs_ = 0;
};

}  // namespace mt::sim
