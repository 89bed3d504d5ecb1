#include "core/crypto/keys.hpp"

#include <sodium.h>

#include "core/crypto/hash.hpp"
#include "core/util/assert.hpp"

namespace mt::crypto {

void init() {
  static const bool ok = sodium_init() >= 0;
  MT_ASSERT(ok, "libsodium failed to initialise");
}

std::string_view backend_name(Backend b) { return b == Backend::real ? "real" : "fast"; }

KeyPair KeyPair::from_seed(const Seed& seed) {
  init();
  KeyPair kp;
  crypto_sign_seed_keypair(kp.pk_.data.data(), kp.sk_.data.data(), seed.data.data());
  return kp;
}

KeyPair KeyPair::from_label(std::string_view label) {
  Hash32 h = tagged_hash("mt/key", as_bytes(label));
  Seed s;
  s.data = h.data;
  return from_seed(s);
}

namespace {
Signature fast_sign(const PublicKey& pk, ByteView message) {
  Signature sig;
  crypto_generichash(sig.data.data(), sig.data.size(), message.data(), message.size(), pk.data.data(),
                     pk.data.size());
  return sig;
}
}  // namespace

Signature KeyPair::sign(ByteView message, Backend backend) const {
  if (backend == Backend::fast) return fast_sign(pk_, message);
  Signature sig;
  crypto_sign_detached(sig.data.data(), nullptr, message.data(), message.size(), sk_.data.data());
  return sig;
}

bool verify_uncached(const PublicKey& pk, ByteView message, const Signature& sig, Backend backend) {
  if (backend == Backend::fast) return fast_sign(pk, message) == sig;
  init();
  return crypto_sign_verify_detached(sig.data.data(), message.data(), message.size(), pk.data.data()) == 0;
}

}  // namespace mt::crypto
