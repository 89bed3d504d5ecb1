// A hash map keyed by fixed-size byte strings (addresses, hashes) for maps on a hot path.
//
// The entries sit in one dense vector of (key, value). An open-addressing index (linear probing,
// power-of-two size, at most half full) holds each entry's 32-bit tag and its position in that
// vector. A lookup touches one index slot and, on a tag match, the entry it names, where the
// whole key is compared: exact, never a probabilistic answer. Nothing is allocated per entry.
// Erasing moves the last entry into the hole (and repoints its slot) and removes the erased
// slot by backward shifting, so no tombstones accumulate.
//
// The tag is the key's first 32 bits and the home slot is taken from the same bits, so the
// index can be reorganised without reading the entries. Keys must be uniformly mixed (public
// keys, hashes); std::unordered_map with FixedBytesHasher makes the same assumption.
//
// Iteration walks the dense vector. Its order is a deterministic function of the inserts and
// erases, but callers must not let it reach an output (the rule for any unordered container).
// Inserting or erasing invalidates pointers and references to values, as std::vector does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/util/assert.hpp"
#include "core/util/bytes.hpp"

namespace mt {

template <std::size_t N, class V>
class DenseBytesMap {
  static_assert(N >= 4, "keys need at least 32 bits for the tag");

 public:
  using Key = FixedBytes<N>;
  using Entry = std::pair<Key, V>;
  using const_iterator = typename std::vector<Entry>::const_iterator;

  [[nodiscard]] V* find(const Key& key) {
    const std::size_t i = find_slot(key);
    return i == kNotFound ? nullptr : &entries_[index_[i].pos - 1].second;
  }
  [[nodiscard]] const V* find(const Key& key) const {
    const std::size_t i = find_slot(key);
    return i == kNotFound ? nullptr : &entries_[index_[i].pos - 1].second;
  }
  [[nodiscard]] bool contains(const Key& key) const { return find_slot(key) != kNotFound; }

  // The value for `key`, value-initialised first when absent.
  V& operator[](const Key& key) {
    if (const std::size_t i = find_slot(key); i != kNotFound) return entries_[index_[i].pos - 1].second;
    MT_ASSERT(entries_.size() < kMaxEntries, "DenseBytesMap is full");
    if (2 * (entries_.size() + 1) > index_.size()) grow();
    entries_.emplace_back(key, V{});
    place(Slot{tag(key), static_cast<std::uint32_t>(entries_.size())});
    return entries_.back().second;
  }

  // Removes `key`; false if it was absent.
  bool erase(const Key& key) {
    const std::size_t i = find_slot(key);
    if (i == kNotFound) return false;
    const std::size_t pos = index_[i].pos - 1;
    remove_slot(i);
    const std::size_t last = entries_.size() - 1;
    if (pos != last) {
      index_[slot_of(last)].pos = static_cast<std::uint32_t>(pos + 1);
      entries_[pos] = std::move(entries_[last]);
    }
    entries_.pop_back();
    return true;
  }

  void clear() {
    entries_.clear();
    index_.clear();
  }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  [[nodiscard]] const_iterator begin() const { return entries_.begin(); }
  [[nodiscard]] const_iterator end() const { return entries_.end(); }

 private:
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t pos = 0;  // entry position + 1; 0: empty
  };
  static constexpr std::size_t kNotFound = ~std::size_t{0};
  static constexpr std::size_t kMaxEntries = std::size_t{1} << 30;

  static std::uint32_t tag(const Key& key) {
    return static_cast<std::uint32_t>(key.data[0]) | static_cast<std::uint32_t>(key.data[1]) << 8 |
           static_cast<std::uint32_t>(key.data[2]) << 16 | static_cast<std::uint32_t>(key.data[3]) << 24;
  }
  // The index never exceeds 2^31 slots, so every home bit comes from the tag.
  [[nodiscard]] std::size_t home(std::uint32_t t) const { return t & (index_.size() - 1); }

  [[nodiscard]] std::size_t find_slot(const Key& key) const {
    if (index_.empty()) return kNotFound;
    const std::size_t mask = index_.size() - 1;
    const std::uint32_t t = tag(key);
    for (std::size_t i = home(t);; i = (i + 1) & mask) {
      const Slot& s = index_[i];
      if (s.pos == 0) return kNotFound;
      if (s.tag == t && entries_[s.pos - 1].first == key) return i;
    }
  }
  // The index slot naming entry `pos` (which must be indexed).
  [[nodiscard]] std::size_t slot_of(std::size_t pos) const {
    const std::size_t mask = index_.size() - 1;
    for (std::size_t i = home(tag(entries_[pos].first));; i = (i + 1) & mask) {
      MT_ASSERT(index_[i].pos != 0, "DenseBytesMap index out of step with its entries");
      if (index_[i].pos == pos + 1) return i;
    }
  }
  void place(Slot slot) {
    const std::size_t mask = index_.size() - 1;
    std::size_t i = home(slot.tag);
    while (index_[i].pos != 0) i = (i + 1) & mask;
    index_[i] = slot;
  }
  void grow() {
    index_.assign(index_.empty() ? 16 : 2 * index_.size(), Slot{});
    for (std::size_t p = 0; p < entries_.size(); ++p) {
      place(Slot{tag(entries_[p].first), static_cast<std::uint32_t>(p + 1)});
    }
  }
  // Backward-shift deletion: later members of the probe run move into the hole when their home
  // is not cyclically within (hole, their slot].
  void remove_slot(std::size_t i) {
    const std::size_t mask = index_.size() - 1;
    for (std::size_t j = (i + 1) & mask; index_[j].pos != 0; j = (j + 1) & mask) {
      const std::size_t h = home(index_[j].tag);
      if (((j - h) & mask) >= ((j - i) & mask)) {
        index_[i] = index_[j];
        i = j;
      }
    }
    index_[i] = Slot{};
  }

  std::vector<Entry> entries_;
  std::vector<Slot> index_;  // power-of-two size, at most half full
};

}  // namespace mt
