// Signature verification with a bounded cache shared by every node of a process.
//
// Verification is a pure function of (backend, public key, message, signature), so caching it
// cannot change any outcome: the key is a BLAKE2b-256 of exactly those bytes (collision
// resistant, so a hit is the answer verify_uncached would give). Eviction is FIFO over a fixed
// capacity; a lookup never iterates the table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_map>

#include "core/crypto/keys.hpp"

namespace mt::crypto {

class Verifier {
 public:
  // capacity 0 disables the cache (every call verifies).
  explicit Verifier(Backend backend = Backend::real, std::size_t capacity = 1u << 20);

  bool verify(const PublicKey& pk, ByteView message, const Signature& sig);

  [[nodiscard]] Backend backend() const { return backend_; }
  [[nodiscard]] std::uint64_t hits() const { return hits_; }
  [[nodiscard]] std::uint64_t misses() const { return misses_; }
  [[nodiscard]] std::size_t size() const { return table_.size(); }

 private:
  Backend backend_;
  std::size_t capacity_;
  std::unordered_map<Hash32, bool, FixedBytesHasher> table_;
  std::deque<Hash32> order_;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace mt::crypto
