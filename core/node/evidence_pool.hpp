// Double-sign evidence waiting to be included in a block this node proposes. Bounded (oldest
// dropped first when full); ordered by arrival, so the block a node builds from it is a pure
// function of what it saw. Entries leave when a committed block carries them or they age out.
#pragma once

#include <cstddef>
#include <deque>
#include <set>
#include <vector>

#include "core/chain/vote.hpp"
#include "core/util/assert.hpp"

namespace mt {

class EvidencePool {
 public:
  explicit EvidencePool(std::size_t capacity) : capacity_(capacity) { MT_ASSERT(capacity > 0, "pool needs room"); }

  [[nodiscard]] bool contains(const Hash32& h) const { return hashes_.contains(h); }
  // False if already pending (or already committed and remembered as such).
  bool add(const Evidence& e) {
    const Hash32 h = e.hash();
    if (hashes_.contains(h) || committed_.contains(h)) return false;
    if (pending_.size() >= capacity_) {
      hashes_.erase(pending_.front().hash());
      pending_.pop_front();
    }
    hashes_.insert(h);
    pending_.push_back(e);
    return true;
  }
  // Drops what `committed` carries and anything older than `min_height`.
  void on_block(const std::vector<Evidence>& committed, std::uint64_t min_height) {
    for (const auto& e : committed) {
      const Hash32 h = e.hash();
      hashes_.erase(h);
      remember_committed(h);
    }
    drop_if([&](const Evidence& e) { return !hashes_.contains(e.hash()) || e.height() < min_height; });
  }
  // Drops every pending entry for which `gone` is true (e.g. its validator is already tombstoned:
  // another piece of evidence against it was committed, so this one can never apply).
  template <class Pred>
  void drop_if(Pred&& gone) {
    std::deque<Evidence> kept;
    for (auto& e : pending_) {
      if (gone(e)) {
        hashes_.erase(e.hash());
      } else {
        kept.push_back(std::move(e));
      }
    }
    pending_.swap(kept);
    MT_ASSERT(hashes_.size() == pending_.size(), "evidence index out of step");
  }
  [[nodiscard]] std::vector<Evidence> pending() const { return {pending_.begin(), pending_.end()}; }
  [[nodiscard]] std::size_t size() const { return pending_.size(); }

 private:
  void remember_committed(const Hash32& h) {
    if (!committed_.insert(h).second) return;
    committed_order_.push_back(h);
    if (committed_order_.size() > capacity_) {
      committed_.erase(committed_order_.front());
      committed_order_.pop_front();
    }
  }
  std::size_t capacity_;
  std::deque<Evidence> pending_;
  std::set<Hash32> hashes_;
  std::set<Hash32> committed_;          // recently committed: not re-added from late gossip
  std::deque<Hash32> committed_order_;
};

}  // namespace mt
