#include "sim/checks/state_root_agreement.hpp"

#include <fmt/format.h>

namespace mt::sim {

void StateRootAgreement::on_event(std::size_t node, TimeUs t, const Event& e) {
  const auto* c = std::get_if<BlockCommitted>(&e);
  if (c == nullptr || !honest(node)) return;
  auto [it, inserted] = roots_.try_emplace({c->height, c->block_hash}, First{c->state_root, node});
  if (inserted) return;
  ++compared_;
  if (it->second.state_root == c->state_root) return;
  ++mismatches_;
  fail(t, fmt::format("height {} block {}: {} has state root {}, {} has {}", c->height, c->block_hash.short_hex(),
                      node_name(it->second.node), it->second.state_root.short_hex(), node_name(node),
                      c->state_root.short_hex()));
}

std::string StateRootAgreement::measured() const {
  return fmt::format("{} mismatches in {} comparisons", mismatches_, compared_);
}

}  // namespace mt::sim
