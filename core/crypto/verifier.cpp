#include "core/crypto/verifier.hpp"

#include <xxhash.h>

#include "core/crypto/hash.hpp"
#include "core/util/assert.hpp"

namespace mt::crypto {

std::size_t Verifier::KeyHasher::operator()(const Key& k) const noexcept {
  return static_cast<std::size_t>(XXH3_64bits(k.bytes.data(), k.bytes.size()));
}

Verifier::Verifier(Backend backend, std::size_t capacity) : backend_(backend), capacity_(capacity) {
  init();
  table_.reserve(std::min<std::size_t>(capacity_, std::size_t{1} << 12));
}

Verifier::Key Verifier::make_key(const PublicKey& pk, ByteView message, const Signature& sig) const {
  Key k;
  std::uint8_t* out = k.bytes.data();
  std::memcpy(out, pk.data.data(), 32);
  std::memcpy(out + 32, sig.data.data(), 64);
  out[96] = static_cast<std::uint8_t>(backend_);
  if (message.size() <= kInlineMessageBytes) {
    out[97] = static_cast<std::uint8_t>(message.size());
    if (!message.empty()) std::memcpy(out + 98, message.data(), message.size());
  } else {
    out[97] = kDigested;
    const Hash32 digest = tagged_hash("mt/verify-cache/message", message);
    std::memcpy(out + 98, digest.data.data(), 32);
  }
  return k;
}

bool Verifier::verify(const PublicKey& pk, ByteView message, const Signature& sig) {
  if (capacity_ == 0) {
    ++misses_;
    return verify_uncached(pk, message, sig, backend_);
  }
  return lookup(make_key(pk, message, sig), pk, message, sig);
}

bool Verifier::verify(const PublicKey& pk, ByteView message, const Signature& sig, VerifyMemo& memo) {
  if (capacity_ == 0) return verify(pk, message, sig);  // no caching of any kind
  const Key key = make_key(pk, message, sig);
  if (memo.filled_ && memo.key_ == key) {
    ++hits_;
    return memo.ok_;
  }
  const bool ok = lookup(key, pk, message, sig);
  memo.key_ = key;
  memo.ok_ = ok;
  memo.filled_ = true;
  return ok;
}

bool Verifier::lookup(const Key& key, const PublicKey& pk, ByteView message, const Signature& sig) {
  if (auto it = table_.find(key); it != table_.end()) {
    ++hits_;
    return it->second;
  }
  ++misses_;
  const bool ok = verify_uncached(pk, message, sig, backend_);
  if (table_.size() >= capacity_) {
    table_.erase(table_.find(*order_.front()));
    order_.pop_front();
  }
  auto [it, inserted] = table_.emplace(key, ok);
  MT_ASSERT(inserted, "verifier cache key inserted twice");
  order_.push_back(&it->first);
  return ok;
}

}  // namespace mt::crypto
