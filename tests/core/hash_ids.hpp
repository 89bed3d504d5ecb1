// Ids for tests of hash tables keyed on hashes: distinct uniformly mixed ids, and twins that
// collide with them wherever a table looks only at the first 8 bytes (home slot, tag,
// fingerprint), so probes must compare whole ids.
#pragma once

#include <cstdint>

#include "core/crypto/hash.hpp"
#include "core/util/bytes.hpp"

namespace mt::test {

inline Hash32 id_of(std::uint64_t n) {
  return crypto::blake2b256(ByteView(reinterpret_cast<const std::uint8_t*>(&n), sizeof n));
}
// Same first 8 bytes as `base`, a different id (k = 0..254 give distinct twins).
inline Hash32 twin_of(const Hash32& base, std::uint8_t k) {
  Hash32 t = base;
  t.data[31] = static_cast<std::uint8_t>(t.data[31] ^ (k + 1));
  return t;
}

}  // namespace mt::test
