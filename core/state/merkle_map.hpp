// An authenticated, persistent map from 32-byte keys (BLAKE2b-256 of a logical key) to byte
// values: a binary Patricia (crit-bit) trie with path compression.
//
// Shape: an interior node splits on the first bit where the keys below it differ; a leaf holds
// one (key, value). The shape is a pure function of the key set, so the root hash is canonical:
// two maps with the same contents have the same root whatever order they were built in.
//
// Hashing (domain separated, never confusable with tx/evidence Merkle roots or each other):
//   leaf     = BLAKE2b-256(0xA0 || key || value)
//   interior = BLAKE2b-256(0xA1 || bit || left.hash || right.hash)
//   empty map root = all-zero hash.
//
// Nodes are immutable and shared: apply() returns a new map that shares every untouched subtree
// with the old one, so a batch of k writes rehashes only the touched paths, O(k log n), and
// holding many versions costs only their differences. A node counts its owners in place (a
// plain counter) and lives in a size-class pool (core/util/size_class_pool.hpp); a leaf keeps
// its value in the same block. So a map and all the versions sharing its nodes belong to one
// thread: core/ and sim/ run no threads, and no map crosses to another thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/codec/codec.hpp"
#include "core/util/bytes.hpp"
#include "core/util/result.hpp"

namespace mt::state {

// One trie node, immutable once built. An interior node is one 64-byte cache line holding
// everything a lookup or an update touches: the split bit, the children, the first 64 bits of
// its keys' shared prefix, the count of owners and the hash. A leaf's value follows its key and
// hash in the same block.
struct MerkleNode {
  mutable std::uint32_t refs = 1;  // owners: maps and parent nodes
  std::uint8_t bit = 0;            // interior: first bit (0 = MSB of byte 0) where leaves differ
  bool leaf = false;
};
struct MerkleInterior : MerkleNode {
  const MerkleNode* left = nullptr;   // bit = 0 side, owned
  const MerkleNode* right = nullptr;  // bit = 1 side, owned
  std::uint64_t prefix = 0;           // the first 8 bytes (big-endian) of any key below
  Hash32 hash;
};
struct MerkleLeaf : MerkleNode {
  std::uint32_t value_len = 0;  // the value's bytes follow this header in the same block
  Hash32 key;
  Hash32 hash;
  [[nodiscard]] ByteView value() const {
    return {reinterpret_cast<const std::uint8_t*>(this) + sizeof(MerkleLeaf), value_len};
  }
};
inline const Hash32& node_hash(const MerkleNode& n) {
  return n.leaf ? static_cast<const MerkleLeaf&>(n).hash : static_cast<const MerkleInterior&>(n).hash;
}

// Key order of the map (the order of Hash32's operator<), compared a big-endian word at a time.
inline bool key_less(const Hash32& a, const Hash32& b) {
  for (std::size_t i = 0; i < 32; i += 8) {
    std::uint64_t x = 0;
    std::uint64_t y = 0;
    for (std::size_t j = 0; j < 8; ++j) {
      x = (x << 8) | a.data[i + j];
      y = (y << 8) | b.data[i + j];
    }
    if (x != y) return x < y;
  }
  return false;
}
struct KeyLess {
  bool operator()(const Hash32& a, const Hash32& b) const { return key_less(a, b); }
};

// One write of a batch: a value to store, or nullopt to delete (deleting an absent key is a no-op).
struct MerkleWrite {
  Hash32 key;
  std::optional<Bytes> value;
};

struct MerkleProofStep {
  std::uint8_t bit = 0;  // the interior node's split bit
  Hash32 sibling;        // hash of the child not on the key's path
  bool operator==(const MerkleProofStep&) const = default;
};

// Proof that `key` maps to a value (the leaf reached has key == `key`) or is absent (the leaf
// reached along the key's bits has another key, or the map is empty).
struct MerkleProof {
  Hash32 key;
  std::vector<MerkleProofStep> steps;  // root first
  bool has_leaf = false;               // false only for the empty map
  Hash32 leaf_key;
  Bytes leaf_value;

  void encode(codec::Writer& w) const;
  static MerkleProof decode(codec::Reader& r);
  bool operator==(const MerkleProof&) const = default;
};

// Checks `proof` against `root`: the value if the key is included, nullopt if the proof shows
// it absent, an error if the proof is malformed or does not hash to `root`.
Result<std::optional<Bytes>> verify_proof(const Hash32& root, const MerkleProof& proof);
// True when `proof` shows `key` -> `value` under `root`.
bool verify_inclusion(const Hash32& root, const Hash32& key, ByteView value, const MerkleProof& proof);

class MerkleMap {
 public:
  MerkleMap() = default;
  MerkleMap(const MerkleMap& other) noexcept;
  MerkleMap(MerkleMap&& other) noexcept : root_(other.root_), size_(other.size_) {
    other.root_ = nullptr;
    other.size_ = 0;
  }
  MerkleMap& operator=(const MerkleMap& other) noexcept;
  MerkleMap& operator=(MerkleMap&& other) noexcept;
  ~MerkleMap();

  [[nodiscard]] Hash32 root() const { return root_ ? node_hash(*root_) : Hash32{}; }
  [[nodiscard]] std::uint64_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return root_ == nullptr; }
  // The stored value, or nullopt. The bytes live as long as any map sharing the leaf.
  [[nodiscard]] std::optional<ByteView> get(const Hash32& key) const;
  // Walks the paths of `keys` several at a time, so their cache misses overlap and later get()s
  // and apply()s of those keys find the nodes in cache. A hint only: reads nothing out.
  void prefetch(std::span<const Hash32> keys) const;
  // A new map with the batch applied. Precondition: keys strictly ascending (sorted, unique).
  [[nodiscard]] MerkleMap apply(std::span<const MerkleWrite> writes) const;
  [[nodiscard]] MerkleProof prove(const Hash32& key) const;
  // Visits every (key, value) in ascending key order.
  void for_each(const std::function<void(const Hash32&, ByteView)>& visit) const;

  // Instrumentation: node hashes computed by this process so far (tests check O(k log n)).
  static std::uint64_t hashes_computed();
  // Instrumentation: trie nodes alive in this process (tests check that dropped versions free
  // exactly their own nodes).
  static std::uint64_t live_nodes();

 private:
  MerkleMap(const MerkleNode* adopted_root, std::uint64_t size) : root_(adopted_root), size_(size) {}
  const MerkleNode* root_ = nullptr;  // owns one reference
  std::uint64_t size_ = 0;            // leaves under root_
};

}  // namespace mt::state
