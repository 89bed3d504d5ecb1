#include "sim/checks/only_double_signers_slashed.hpp"

#include <fmt/format.h>

namespace mt::sim {

namespace {
constexpr std::size_t kVerifierCapacity = 1u << 10;
}  // namespace

OnlyDoubleSignersSlashed::OnlyDoubleSignersSlashed(const RunView& view, std::string chain_id,
                                                   crypto::Backend backend)
    : Check(view), chain_id_(std::move(chain_id)), verifier_(backend, kVerifierCapacity) {}

void OnlyDoubleSignersSlashed::on_event(std::size_t node, TimeUs t, const Event& e) {
  if (!honest(node)) return;
  if (const auto* v = std::get_if<VoteCast>(&e)) {
    cast_.emplace(node, v->height, v->round, v->type, v->block_hash);
  } else if (const auto* s = std::get_if<SlashApplied>(&e); s != nullptr && s->double_sign) {
    slashes_.try_emplace({s->height, s->validator}, t);
  } else if (const auto* c = std::get_if<BlockCommitted>(&e); c != nullptr && c->block != nullptr) {
    if (!judged_heights_.insert(c->height).second) return;
    for (const auto& ev : c->block->evidence) judge(t, *c, ev);
  }
}

void OnlyDoubleSignersSlashed::judge(TimeUs t, const BlockCommitted& c, const Evidence& e) {
  ++evidence_judged_;
  const Vote& a = e.a;
  const Vote& b = e.b;
  const std::ptrdiff_t who = view().node_by_address(a.validator);
  const std::string name = who >= 0 ? node_name(static_cast<std::size_t>(who)) : a.validator.short_hex();
  const std::string where = fmt::format("height {}: block {} slashes {} for double signing at height {} round {}",
                                        c.height, c.block_hash.short_hex(), name, a.height, a.round);
  if (b.validator != a.validator || b.height != a.height || b.round != a.round || b.type != a.type ||
      a.block_hash == b.block_hash) {
    fail(t, where + ", but its two votes do not conflict");
    return;
  }
  if (!a.signature_valid(chain_id_, verifier_) || !b.signature_valid(chain_id_, verifier_)) {
    fail(t, where + ", but the evidence carries a signature that does not verify (forged)");
    return;
  }
  if (who >= 0 && honest(static_cast<std::size_t>(who))) {
    for (const Vote* v : {&a, &b}) {
      if (!really_cast(static_cast<std::size_t>(who), *v)) {
        fail(t, fmt::format("{}, but {} never cast the {} for {}", where, name, vote_type_name(v->type),
                            v->is_nil() ? std::string("nil") : v->block_hash.short_hex()));
        return;
      }
    }
  }
  backed_.emplace(c.height, a.validator);
}

// Cast by the node, or by any node running its key (a twin).
bool OnlyDoubleSignersSlashed::really_cast(std::size_t node, const Vote& v) const {
  if (cast_.contains(Cast{node, v.height, v.round, v.type, v.block_hash})) return true;
  for (std::size_t i = 0; twinned(node) && i < view().nodes.size(); ++i) {
    if (i != node && view().nodes[i].address == view().nodes[node].address &&
        cast_.contains(Cast{i, v.height, v.round, v.type, v.block_hash})) {
      return true;
    }
  }
  return false;
}

void OnlyDoubleSignersSlashed::finish(TimeUs /*end_us*/) {
  for (const auto& [key, at] : slashes_) {
    if (!judged_heights_.contains(key.first) || backed_.contains(key)) continue;
    const std::ptrdiff_t who = view().node_by_address(key.second);
    fail(at, fmt::format("{} was slashed for double signing at height {} without sound evidence in that block",
                         who >= 0 ? node_name(static_cast<std::size_t>(who)) : key.second.short_hex(), key.first));
  }
}

std::string OnlyDoubleSignersSlashed::measured() const {
  return fmt::format("{} double-sign slashes, {} pieces of evidence judged", slashes_.size(), evidence_judged_);
}

}  // namespace mt::sim
