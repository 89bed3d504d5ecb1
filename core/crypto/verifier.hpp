// Signature verification with a bounded cache shared by every node of a process.
//
// Verification is a pure function of (backend, public key, message, signature), so caching it
// cannot change any outcome. The cache is keyed on exactly those bytes: the public key, the
// signature, the backend and the message itself when it is at most 64 bytes long (every signing
// hash the chain verifies is 32), else its BLAKE2b-256 digest (collision resistant, so a hit is
// still the answer verify_uncached would give). A hit compares the whole key, so the bucket hash
// can be a fast non-cryptographic one (XXH3): a hit costs one short hash and one compare instead
// of a BLAKE2b. Eviction is FIFO over a fixed capacity; a lookup never iterates the table.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <unordered_map>

#include "core/crypto/keys.hpp"

namespace mt::crypto {

// What a verification result is keyed on: pk | sig | backend | message length (or kDigested) |
// the message or its digest, zero padded. Two equal keys always have the same answer.
struct VerifyKey {
  static constexpr std::size_t kInlineMessageBytes = 64;  // longer messages are keyed by digest
  static constexpr std::uint8_t kDigested = 0xff;
  static constexpr std::size_t kBytes = 32 + 64 + 1 + 1 + kInlineMessageBytes;
  std::array<std::uint8_t, kBytes> bytes{};
  bool operator==(const VerifyKey& o) const { return std::memcmp(bytes.data(), o.bytes.data(), kBytes) == 0; }
};

// A one-entry cache that an immutable object shared by many receivers (a message every node
// gets the same copy of) carries for the signature inside it. A receiver that finds its exact
// key there needs no table lookup: one compare against memory every receiver already touched.
// The whole key is compared, so the memo cannot give a wrong answer however it is used; at
// worst it misses and the shared table answers.
class VerifyMemo {
 private:
  friend class Verifier;
  VerifyKey key_;
  bool filled_ = false;
  bool ok_ = false;
};

class Verifier {
 public:
  // capacity 0 disables the cache (every call verifies).
  explicit Verifier(Backend backend = Backend::real, std::size_t capacity = kDefaultCapacity);

  // A cache only needs to span the messages in flight across the process (a few blocks' worth
  // of votes and transactions); 256 Ki entries is ~60 MiB when full.
  static constexpr std::size_t kDefaultCapacity = std::size_t{1} << 18;
  static constexpr std::size_t kInlineMessageBytes = VerifyKey::kInlineMessageBytes;

  bool verify(const PublicKey& pk, ByteView message, const Signature& sig);
  // The same answer, trying `memo` first and filling it (a memo hit counts as a cache hit).
  bool verify(const PublicKey& pk, ByteView message, const Signature& sig, VerifyMemo& memo);

  [[nodiscard]] Backend backend() const { return backend_; }
  [[nodiscard]] std::uint64_t hits() const { return hits_; }
  [[nodiscard]] std::uint64_t misses() const { return misses_; }
  [[nodiscard]] std::size_t size() const { return table_.size(); }

 private:
  using Key = VerifyKey;
  struct KeyHasher {
    std::size_t operator()(const Key& k) const noexcept;
  };
  static constexpr std::uint8_t kDigested = VerifyKey::kDigested;
  [[nodiscard]] Key make_key(const PublicKey& pk, ByteView message, const Signature& sig) const;
  // The cached answer for `key`, verifying (and caching) on a miss.
  bool lookup(const Key& key, const PublicKey& pk, ByteView message, const Signature& sig);

  Backend backend_;
  std::size_t capacity_;
  std::unordered_map<Key, bool, KeyHasher> table_;
  std::deque<const Key*> order_;  // insertion order; element addresses are stable in the map
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace mt::crypto
