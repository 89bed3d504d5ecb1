#include "sim/checks/slashing_checks.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace mt::sim {

void HonestNeverSlashed::on_event(std::size_t node, TimeUs t, const Event& e) {
  const auto* s = std::get_if<SlashApplied>(&e);
  if (s == nullptr || !honest(node)) return;  // slashing as reported by honest observers
  ++slashes_seen_;
  auto who = view().node_by_address(s->validator);
  if (who < 0 || !honest(static_cast<std::size_t>(who)) || twinned(static_cast<std::size_t>(who))) return;
  if (!slashed_honest_.insert(s->validator).second) return;
  fail(t, fmt::format("honest validator {} slashed for {} at height {} (seen by {})",
                      node_name(static_cast<std::size_t>(who)), (s->double_sign ? "double signing" : "downtime"),
                      s->height, node_name(node)));
}

std::string HonestNeverSlashed::measured() const {
  return fmt::format("{} honest validators slashed", slashed_honest_.size());
}

EquivocatorsSlashed::EquivocatorsSlashed(const RunView& view, std::vector<std::size_t> targets,
                                         std::uint64_t within_blocks)
    : Check(view), targets_(std::move(targets)), within_blocks_(within_blocks) {}

void EquivocatorsSlashed::on_event(std::size_t node, TimeUs /*t*/, const Event& e) {
  if (!honest(node)) return;
  if (const auto* ev = std::get_if<EvidenceFound>(&e)) {
    auto [it, inserted] = first_evidence_height_.try_emplace(ev->validator, ev->height);
    if (!inserted) it->second = std::min(it->second, ev->height);
  } else if (const auto* s = std::get_if<SlashApplied>(&e); s != nullptr && s->double_sign) {
    slashed_at_height_.try_emplace(s->validator, s->height);
  }
}

void EquivocatorsSlashed::finish(TimeUs end_us) {
  for (auto i : targets_) {
    const auto& a = view().nodes.at(i).address;
    auto ev = first_evidence_height_.find(a);
    auto sl = slashed_at_height_.find(a);
    if (sl == slashed_at_height_.end()) {
      fail(end_us, node_name(i) + (ev == first_evidence_height_.end()
                                       ? " was never detected equivocating nor slashed"
                                       : fmt::format(" equivocated at height {} but was never slashed", ev->second)));
      continue;
    }
    std::uint64_t from = ev == first_evidence_height_.end() ? sl->second : ev->second;
    std::uint64_t delay = sl->second >= from ? sl->second - from : 0;
    max_delay_blocks_ = std::max(max_delay_blocks_, delay);
    if (delay > within_blocks_) {
      fail(end_us, fmt::format("{} equivocated at height {} and was slashed at height {}, {} blocks later (bound {})",
                               node_name(i), from, sl->second, delay, within_blocks_));
    }
  }
}

std::string EquivocatorsSlashed::measured() const {
  std::size_t slashed = 0;
  for (auto i : targets_) slashed += slashed_at_height_.count(view().nodes.at(i).address);
  return fmt::format("{}/{} slashed, max delay {} blocks", slashed, targets_.size(), max_delay_blocks_);
}

}  // namespace mt::sim
