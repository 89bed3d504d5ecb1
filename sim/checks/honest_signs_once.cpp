#include "sim/checks/honest_signs_once.hpp"

#include <fmt/format.h>

namespace mt::sim {

void HonestSignsOnce::on_event(std::size_t node, TimeUs t, const Event& e) {
  if (!honest(node) || twinned(node)) return;  // a twinned key signs on two nodes: byzantine stake
  if (const auto* v = std::get_if<VoteCast>(&e)) {
    record(node, t, v->height, v->round, v->type == VoteType::prevote ? Step::prevote : Step::precommit, v->block_hash);
  } else if (const auto* p = std::get_if<ProposalMade>(&e)) {
    record(node, t, p->height, p->round, Step::proposal, p->block_hash);
  }
}

void HonestSignsOnce::record(std::size_t node, TimeUs t, std::uint64_t height, std::uint32_t round, Step step,
                             const Hash32& value) {
  auto [it, inserted] = signed_.try_emplace(Slot{node, height, round, step}, Signed{value, t});
  if (inserted || it->second.value == value) return;  // a re-broadcast of the same signature is fine
  ++double_signs_;
  auto show = [](const Hash32& h) { return h.is_zero() ? std::string("nil") : h.short_hex(); };
  fail(t, fmt::format("honest {} signed two {}s at height {} round {}: {} at {}, {} at {}", node_name(node),
                      step_name(step), height, round, show(it->second.value), format_time(it->second.at_us),
                      show(value), format_time(t)));
}

std::string_view HonestSignsOnce::step_name(Step s) {
  switch (s) {
    case Step::proposal: return "proposal";
    case Step::prevote: return "prevote";
    case Step::precommit: return "precommit";
  }
  return "message";
}

std::string HonestSignsOnce::measured() const {
  return fmt::format("{} double signs over {} signed (height, round, step) slots", double_signs_, signed_.size());
}

}  // namespace mt::sim
