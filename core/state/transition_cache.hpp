// A bounded memo of the state transition, shared by every simulated node of a process: 200
// nodes applying the same block to the same parent compute it once.
//
// Sound because apply_block is a pure function: the key is BLAKE2b-256 of (parent root, parent
// last_block_hash, block hash, verifier backend), and the block hash commits to the body through
// the header's roots, which Block::check_body verifies on every call (hit or miss) before the
// key is used. Rejections are cached too (as their error). Eviction is FIFO; lookups never
// iterate the table.
#pragma once

#include <cstddef>
#include <deque>
#include <map>

#include "core/state/transition.hpp"

namespace mt::state {

class TransitionCache {
 public:
  // capacity 0 or enabled = false: every call computes.
  explicit TransitionCache(std::size_t capacity = 4096, bool enabled = true);

  Result<StatePtr> apply(const StatePtr& parent, const Block& block, crypto::Verifier& verifier);

  void set_enabled(bool enabled) { enabled_ = enabled; }
  [[nodiscard]] bool enabled() const { return enabled_ && capacity_ > 0; }
  [[nodiscard]] std::uint64_t hits() const { return hits_; }
  [[nodiscard]] std::uint64_t misses() const { return misses_; }
  [[nodiscard]] std::size_t size() const { return table_.size(); }

 private:
  struct Entry {
    StatePtr state;     // null when rejected
    std::string error;  // why, when rejected
  };
  std::size_t capacity_;
  bool enabled_;
  std::map<Hash32, Entry> table_;
  std::deque<Hash32> order_;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace mt::state
