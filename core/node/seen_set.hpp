// A bounded set of message ids for gossip dedup: remembers the last `capacity` ids inserted and
// forgets the oldest first (FIFO). Memory is O(capacity) whatever peers send. Lookup only: it
// is never iterated, so its order cannot reach an output.
#pragma once

#include <cstddef>
#include <deque>
#include <unordered_set>

#include "core/util/assert.hpp"
#include "core/util/bytes.hpp"

namespace mt {

class SeenSet {
 public:
  explicit SeenSet(std::size_t capacity) : capacity_(capacity) { MT_ASSERT(capacity > 0, "SeenSet needs room"); }

  [[nodiscard]] bool contains(const Hash32& id) const { return set_.contains(id); }
  // Inserts `id`; false if it was already present. Evicts the oldest id when full.
  bool insert(const Hash32& id) {
    if (!set_.insert(id).second) return false;
    order_.push_back(id);
    if (order_.size() > capacity_) {
      set_.erase(order_.front());
      order_.pop_front();
    }
    MT_ASSERT(set_.size() == order_.size(), "SeenSet index out of step");
    return true;
  }
  [[nodiscard]] std::size_t size() const { return order_.size(); }
  [[nodiscard]] std::size_t capacity() const { return capacity_; }

 private:
  std::size_t capacity_;
  std::unordered_set<Hash32, FixedBytesHasher> set_;
  std::deque<Hash32> order_;
};

}  // namespace mt
