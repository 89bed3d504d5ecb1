// A bounded set of message ids for gossip dedup: remembers the last `capacity` ids inserted and
// forgets the oldest first (FIFO). Memory is O(ids held), at most O(capacity), whatever peers send.
// Lookup only: it is never iterated, so its order cannot reach an output.
//
// Every message a node receives passes through here (most of them duplicates under gossip), so it
// is a flat table: the ids sit in a FIFO ring, and an open-addressing index (linear probing,
// power-of-two size, at most half full) holds each id's 32-bit fingerprint and ring position. A
// lookup touches one index slot and, on a fingerprint match, the ring entry it names, where the
// whole id is compared: exact, never a probabilistic answer. Evicting the oldest id removes its
// index slot by backward shifting, so no tombstones accumulate.
//
// Marks: under gossip most receipts are duplicates of a message object the node already took in
// (the simulator hands every receiver the same object). insert() can leave a SeenMark on that
// object: (this set's owner id, the serial of the insert). Since the set holds exactly the last
// `capacity` inserts, "that insert is among the last `capacity`" is an exact membership answer,
// read from memory the other receivers of the object already touched instead of this set's
// index and ring. A mark of another owner (another node, a restarted one) or an old serial just
// falls back to the lookup.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/util/assert.hpp"
#include "core/util/bytes.hpp"

namespace mt {

struct SeenMark {
  std::uint64_t owner = 0;   // SeenSet::owner() of the set that inserted; 0: none
  std::uint64_t serial = 0;  // that set's insert serial for the id
};

class SeenSet {
 public:
  struct Insert {
    bool inserted;
    std::uint64_t serial;  // of the insert that holds the id
  };

  explicit SeenSet(std::size_t capacity) : capacity_(capacity), owner_(next_owner()) {
    MT_ASSERT(capacity > 0 && capacity < (std::size_t{1} << 30), "SeenSet capacity out of range");
  }
  SeenSet(const SeenSet&) = delete;  // a copy would share the owner id of its marks
  SeenSet& operator=(const SeenSet&) = delete;

  // True when `mark` was left by this set's insert of an id that is still held: that id is a
  // member. False says nothing (ask contains() / insert()).
  [[nodiscard]] bool holds(const SeenMark& mark) const {
    return mark.owner == owner_ && serial_ - mark.serial <= capacity_;
  }
  // insert_or_find() that, when the id was new, also writes the mark for it into `mark`.
  Insert insert(const Hash32& id, SeenMark& mark) {
    const Insert r = insert_or_find(id);
    if (r.inserted) mark = SeenMark{owner_, r.serial};
    return r;
  }
  [[nodiscard]] std::uint64_t owner() const { return owner_; }

  [[nodiscard]] bool contains(const Hash32& id) const { return find_slot(id) != kNotFound; }
  // A hint that `id` is looked up soon: starts loading the index slot where its probe begins.
  void prefetch(const Hash32& id) const {
    if (!index_.empty()) __builtin_prefetch(&index_[home(id, index_.size() - 1)]);
  }
  // The serial of the insert that holds `id` (insert k, counting from 0, sits at ring position
  // k % capacity, and the ring holds the last `capacity` inserts); nullopt if it is not held.
  [[nodiscard]] std::optional<std::uint64_t> serial_of(const Hash32& id) const {
    const std::size_t i = find_slot(id);
    if (i == kNotFound) return std::nullopt;
    return serial_at(index_[i].pos - 1);
  }
  // The serial the next successful insert gets.
  [[nodiscard]] std::uint64_t next_serial() const { return serial_; }
  // Inserts `id`; false if it was already present. Evicts the oldest id when full.
  bool insert(const Hash32& id) { return insert_or_find(id).inserted; }
  // insert() with the serial of the insert that holds `id` now: this one's, or the earlier one's.
  Insert insert_or_find(const Hash32& id) {
    if (const std::size_t i = find_slot(id); i != kNotFound) {
      return Insert{false, serial_at(index_[i].pos - 1)};
    }
    if (count_ == capacity_) evict_oldest();
    if (2 * (count_ + 1) > index_.size()) grow();
    std::uint32_t pos;
    if (ring_.size() < capacity_) {
      pos = static_cast<std::uint32_t>(ring_.size());
      ring_.push_back(id);
    } else {
      pos = static_cast<std::uint32_t>((head_ + count_) % capacity_);
      ring_[pos] = id;
    }
    place(Slot{fingerprint(id), pos + 1});
    ++count_;
    ++serial_;
    return Insert{true, serial_ - 1};
  }
  // Takes back the latest insert, of `id` with serial `serial` (both as insert_or_find returned
  // them, with no insert since): the id is no longer held, and the next insert gets the serial
  // again. A mark left by that insert must be cleared by its owner (it would name the reused
  // serial). An id evicted to make room stays evicted.
  void undo_last_insert(const Hash32& id, std::uint64_t serial) {
    MT_ASSERT(serial_ > 0 && serial == serial_ - 1, "undo of an insert that is not the latest");
    const auto pos = static_cast<std::size_t>(serial % capacity_);
    MT_ASSERT(pos < ring_.size() && ring_[pos] == id, "undo: the ring does not hold that id there");
    const std::size_t i = find_slot(id);
    MT_ASSERT(i != kNotFound, "SeenSet index out of step with its ring");
    remove_slot(i);
    if (pos + 1 == ring_.size() && ring_.size() < capacity_) ring_.pop_back();
    --count_;
    --serial_;
  }
  [[nodiscard]] std::size_t size() const { return count_; }
  [[nodiscard]] std::size_t capacity() const { return capacity_; }

 private:
  struct Slot {
    std::uint32_t tag = 0;  // fingerprint of the id
    std::uint32_t pos = 0;  // ring position + 1; 0: empty
  };
  static constexpr std::size_t kNotFound = ~std::size_t{0};

  // The serial of the held insert at ring position `pos` (the latest serial k with k % capacity
  // == pos: the ring holds exactly the last `capacity` inserts).
  [[nodiscard]] std::uint64_t serial_at(std::uint64_t pos) const {
    return serial_ - 1 - (serial_ - 1 - pos) % capacity_;
  }

  // Ids are hashes or signatures: their bytes are already uniformly mixed.
  static std::uint32_t fingerprint(const Hash32& id) { return static_cast<std::uint32_t>(id.prefix64() >> 32); }
  static std::size_t home(const Hash32& id, std::size_t mask) { return static_cast<std::size_t>(id.prefix64()) & mask; }

  [[nodiscard]] std::size_t find_slot(const Hash32& id) const {
    if (index_.empty()) return kNotFound;
    const std::size_t mask = index_.size() - 1;
    const std::uint32_t tag = fingerprint(id);
    for (std::size_t i = home(id, mask);; i = (i + 1) & mask) {
      const Slot& s = index_[i];
      if (s.pos == 0) return kNotFound;
      if (s.tag == tag && ring_[s.pos - 1] == id) return i;
    }
  }
  void place(Slot slot) {
    const std::size_t mask = index_.size() - 1;
    std::size_t i = home(ring_[slot.pos - 1], mask);
    while (index_[i].pos != 0) i = (i + 1) & mask;
    index_[i] = slot;
  }
  void grow() {
    std::vector<Slot> old = std::move(index_);
    index_.assign(old.empty() ? 64 : 2 * old.size(), Slot{});
    for (const Slot& s : old) {
      if (s.pos != 0) place(s);
    }
  }
  void evict_oldest() {
    const std::size_t i = find_slot(ring_[head_]);
    MT_ASSERT(i != kNotFound, "SeenSet index out of step with its ring");
    remove_slot(i);
    head_ = (head_ + 1) % capacity_;
    --count_;
  }
  void remove_slot(std::size_t i) {
    // Backward-shift deletion: pull later members of the probe run into the hole.
    const std::size_t mask = index_.size() - 1;
    for (std::size_t j = (i + 1) & mask; index_[j].pos != 0; j = (j + 1) & mask) {
      const std::size_t h = home(ring_[index_[j].pos - 1], mask);
      // Move j into the hole i when its home is not cyclically within (i, j].
      if (((j - h) & mask) >= ((j - i) & mask)) {
        index_[i] = index_[j];
        i = j;
      }
    }
    index_[i] = Slot{};
  }

  // Process-unique, never 0; only compared for equality, so it reaches no output.
  static std::uint64_t next_owner() {
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
  }

  std::size_t capacity_;
  std::uint64_t owner_;
  std::uint64_t serial_ = 0;   // successful inserts so far
  std::vector<Hash32> ring_;   // grows to capacity_, then reused oldest-first
  std::vector<Slot> index_;    // power-of-two size, at most half full
  std::size_t head_ = 0;       // ring position of the oldest id
  std::size_t count_ = 0;
};

}  // namespace mt
