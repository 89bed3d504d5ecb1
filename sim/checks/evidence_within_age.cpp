#include "sim/checks/evidence_within_age.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mt::sim {

void EvidenceWithinAge::on_event(std::size_t node, TimeUs t, const Event& e) {
  const auto* c = std::get_if<BlockCommitted>(&e);
  if (c == nullptr || c->block == nullptr || !honest(node) || !judged_heights_.insert(c->height).second) return;
  for (const Evidence& ev : c->block->evidence) {
    ++judged_;
    const std::string where = fmt::format("height {}: block {} carries evidence from height {}", c->height,
                                          c->block_hash.short_hex(), ev.height());
    if (ev.height() >= c->height) {
      fail(t, where + ", not before it");
      return;
    }
    const std::uint64_t age = c->height - ev.height();
    oldest_ = std::max(oldest_, age);
    if (age > max_age_) {
      fail(t, fmt::format("{}, {} blocks old: beyond evidence_max_age_blocks ({})", where, age, max_age_));
      return;
    }
  }
}

std::string EvidenceWithinAge::measured() const {
  return fmt::format("{} pieces of evidence, the oldest {} blocks (window {})", judged_, oldest_, max_age_);
}

}  // namespace mt::sim
