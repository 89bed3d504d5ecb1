// Ed25519 keys (libsodium), derived deterministically from a 32-byte seed so a scenario and a
// seed always produce the same validators and accounts.
//
// Two backends with the same sizes and code paths:
//  - real: Ed25519 signatures, the default;
//  - fast: a keyed BLAKE2b-512 of the message under the public key. Anyone who knows the public
//    key can forge it, so it is only for very large sweeps where signatures are not under test.
#pragma once

#include <string_view>

#include "core/util/bytes.hpp"

namespace mt::crypto {

enum class Backend : std::uint8_t { real = 0, fast = 1 };

std::string_view backend_name(Backend b);

using Seed = FixedBytes<32>;
using SecretKey = FixedBytes<64>;  // libsodium's expanded secret key (seed || public key)

class KeyPair {
 public:
  static KeyPair from_seed(const Seed& seed);
  // Convenience for tests and the world: seed = BLAKE2b("mt/key" || label).
  static KeyPair from_label(std::string_view label);

  [[nodiscard]] const PublicKey& public_key() const { return pk_; }
  [[nodiscard]] Signature sign(ByteView message, Backend backend) const;

 private:
  PublicKey pk_;
  SecretKey sk_;
};

// Verifies without any cache. Pure: same inputs, same answer.
bool verify_uncached(const PublicKey& pk, ByteView message, const Signature& sig, Backend backend);

// Initialises libsodium once; safe to call many times.
void init();

}  // namespace mt::crypto
