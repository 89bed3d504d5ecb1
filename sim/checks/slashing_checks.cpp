#include "sim/checks/slashing_checks.hpp"

#include <algorithm>

namespace mt::sim {

void HonestNeverSlashed::on_event(std::size_t node, TimeUs t, const Event& e) {
  const auto* s = std::get_if<SlashApplied>(&e);
  if (s == nullptr || !honest(node)) return;  // slashing as reported by honest observers
  ++slashes_seen_;
  auto who = view().node_by_address(s->validator);
  if (who < 0 || !honest(static_cast<std::size_t>(who))) return;
  if (!slashed_honest_.insert(s->validator).second) return;
  fail(t, "honest validator " + node_name(static_cast<std::size_t>(who)) + " slashed for " +
              (s->double_sign ? "double signing" : "downtime") + " at height " + std::to_string(s->height) +
              " (seen by " + node_name(node) + ")");
}

std::string HonestNeverSlashed::measured() const {
  return std::to_string(slashed_honest_.size()) + " honest validators slashed";
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
                                        : " equivocated at height " + std::to_string(ev->second) +
                                              " but was never slashed"));
      continue;
    }
    std::uint64_t from = ev == first_evidence_height_.end() ? sl->second : ev->second;
    std::uint64_t delay = sl->second >= from ? sl->second - from : 0;
    max_delay_blocks_ = std::max(max_delay_blocks_, delay);
    if (delay > within_blocks_) {
      fail(end_us, node_name(i) + " equivocated at height " + std::to_string(from) + " and was slashed at height " +
                       std::to_string(sl->second) + ", " + std::to_string(delay) + " blocks later (bound " +
                       std::to_string(within_blocks_) + ")");
    }
  }
}

std::string EquivocatorsSlashed::measured() const {
  std::size_t slashed = 0;
  for (auto i : targets_) slashed += slashed_at_height_.count(view().nodes.at(i).address);
  return std::to_string(slashed) + "/" + std::to_string(targets_.size()) + " slashed, max delay " +
         std::to_string(max_delay_blocks_) + " blocks";
}

}  // namespace mt::sim
