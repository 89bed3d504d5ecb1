#include "core/state/transition_cache.hpp"

#include "core/crypto/hash.hpp"

namespace mt::state {

TransitionCache::TransitionCache(std::size_t capacity, bool enabled) : capacity_(capacity), enabled_(enabled) {}

Result<StatePtr> TransitionCache::apply(const StatePtr& parent, const Block& block, crypto::Verifier& verifier) {
  MT_ASSERT(parent != nullptr, "TransitionCache::apply needs a parent state");
  if (!enabled()) return apply_block(parent, block, verifier);
  // Binds the body to the header, so the header hash below stands for the whole block.
  if (auto st = block.check_body(parent->params()); !st.ok()) return st.error();
  const auto backend = static_cast<std::uint8_t>(verifier.backend());
  const Hash32 key = crypto::Hasher("mt/transition-cache")
                         .update(parent->root().view())
                         .update(parent->last_block_hash().view())
                         .update(block.hash().view())
                         .update({&backend, 1})
                         .finish();
  if (auto it = table_.find(key); it != table_.end()) {
    ++hits_;
    if (it->second.state) return it->second.state;
    return make_error(it->second.error);
  }
  ++misses_;
  auto result = apply_block(parent, block, verifier);
  if (table_.size() >= capacity_) {
    table_.erase(order_.front());
    order_.pop_front();
  }
  Entry e;
  if (result.ok()) {
    e.state = result.value();
  } else {
    e.error = result.error().message;
  }
  table_.emplace(key, std::move(e));
  order_.push_back(key);
  MT_ASSERT(table_.size() == order_.size(), "transition cache index out of step");
  return result;
}

}  // namespace mt::state
