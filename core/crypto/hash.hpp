// BLAKE2b-256 (libsodium). Every hash the chain commits to goes through here, with a domain tag
// so a transaction hash can never be confused with a vote or a state node.
#pragma once

#include <string_view>

#include "core/util/bytes.hpp"

namespace mt::crypto {

Hash32 blake2b256(ByteView data);
// BLAKE2b-256 over (tag length, tag, data): domain-separated.
Hash32 tagged_hash(std::string_view tag, ByteView data);
// BLAKE2b-256 over the concatenation a || b (Merkle interior nodes).
Hash32 hash_pair(std::uint8_t prefix, const Hash32& a, const Hash32& b);

// Incremental BLAKE2b-256.
class Hasher {
 public:
  explicit Hasher(std::string_view tag = {});
  Hasher& update(ByteView data);
  Hash32 finish();

 private:
  alignas(64) unsigned char state_[384];
};

// Simple binary Merkle root over a list of leaf hashes (tx root, evidence root): odd nodes are
// carried up unchanged; the empty list has the all-zero root.
Hash32 merkle_root(const std::vector<Hash32>& leaves);

}  // namespace mt::crypto
