#include "core/crypto/verifier.hpp"

#include "core/crypto/hash.hpp"

namespace mt::crypto {

Verifier::Verifier(Backend backend, std::size_t capacity) : backend_(backend), capacity_(capacity) {
  init();
}

bool Verifier::verify(const PublicKey& pk, ByteView message, const Signature& sig) {
  if (capacity_ == 0) {
    ++misses_;
    return verify_uncached(pk, message, sig, backend_);
  }
  Hasher h("mt/verify-cache");
  std::uint8_t b = static_cast<std::uint8_t>(backend_);
  h.update({&b, 1}).update(pk.view()).update(sig.view()).update(message);
  Hash32 key = h.finish();
  if (auto it = table_.find(key); it != table_.end()) {
    ++hits_;
    return it->second;
  }
  ++misses_;
  bool ok = verify_uncached(pk, message, sig, backend_);
  if (table_.size() >= capacity_) {
    table_.erase(order_.front());
    order_.pop_front();
  }
  table_.emplace(key, ok);
  order_.push_back(key);
  return ok;
}

}  // namespace mt::crypto
