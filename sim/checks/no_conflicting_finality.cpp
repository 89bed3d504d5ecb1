#include "sim/checks/no_conflicting_finality.hpp"

#include <fmt/format.h>

namespace mt::sim {

void NoConflictingFinality::on_event(std::size_t node, TimeUs t, const Event& e) {
  const auto* c = std::get_if<BlockCommitted>(&e);
  if (c == nullptr || !honest(node)) return;
  auto [it, inserted] = first_.try_emplace(c->height, First{c->block_hash, node, t});
  if (inserted || it->second.block_hash == c->block_hash) return;
  ++conflicts_;
  fail(t, fmt::format("height {}: {} finalized block {} at {}, {} finalized block {} at {}", c->height,
                      node_name(it->second.node), it->second.block_hash.short_hex(), format_time(it->second.at_us),
                      node_name(node), c->block_hash.short_hex(), format_time(t)));
}

std::string NoConflictingFinality::measured() const {
  return fmt::format("{}{} over {} heights", conflicts_, (conflicts_ == 1 ? " conflict" : " conflicts"), first_.size());
}

}  // namespace mt::sim
