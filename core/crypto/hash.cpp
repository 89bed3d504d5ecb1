#include "core/crypto/hash.hpp"

#include <sodium.h>

#include <cstring>

#include "core/util/assert.hpp"

namespace mt::crypto {

static_assert(sizeof(crypto_generichash_state) <= 384, "Hasher state buffer too small");

namespace {
crypto_generichash_state* st(unsigned char* p) { return reinterpret_cast<crypto_generichash_state*>(p); }
}  // namespace

Hash32 blake2b256(ByteView data) {
  Hash32 out;
  crypto_generichash(out.data.data(), out.data.size(), data.data(), data.size(), nullptr, 0);
  return out;
}

Hasher::Hasher(std::string_view tag) {
  crypto_generichash_init(st(state_), nullptr, 0, 32);
  if (!tag.empty()) {
    auto len = static_cast<std::uint8_t>(tag.size());
    MT_ASSERT(tag.size() < 256, "hash tag too long");
    crypto_generichash_update(st(state_), &len, 1);
    crypto_generichash_update(st(state_), reinterpret_cast<const unsigned char*>(tag.data()), tag.size());
  }
}

Hasher& Hasher::update(ByteView data) {
  crypto_generichash_update(st(state_), data.data(), data.size());
  return *this;
}

Hash32 Hasher::finish() {
  Hash32 out;
  crypto_generichash_final(st(state_), out.data.data(), out.data.size());
  return out;
}

Hash32 tagged_hash(std::string_view tag, ByteView data) {
  return Hasher(tag).update(data).finish();
}

Hash32 hash_pair(std::uint8_t prefix, const Hash32& a, const Hash32& b) {
  unsigned char buf[65];
  buf[0] = prefix;
  std::memcpy(buf + 1, a.data.data(), 32);
  std::memcpy(buf + 33, b.data.data(), 32);
  Hash32 out;
  crypto_generichash(out.data.data(), 32, buf, sizeof buf, nullptr, 0);
  return out;
}

Hash32 merkle_root(const std::vector<Hash32>& leaves) {
  if (leaves.empty()) return Hash32{};
  std::vector<Hash32> level = leaves;
  while (level.size() > 1) {
    std::vector<Hash32> next;
    next.reserve((level.size() + 1) / 2);
    for (std::size_t i = 0; i + 1 < level.size(); i += 2) next.push_back(hash_pair(1, level[i], level[i + 1]));
    if (level.size() % 2 == 1) next.push_back(level.back());
    level = std::move(next);
  }
  return level[0];
}

}  // namespace mt::crypto
