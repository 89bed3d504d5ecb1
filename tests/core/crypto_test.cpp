// Ed25519 and BLAKE2b through libsodium, the shared verification cache, and the fast backend.
#include <doctest/doctest.h>

#include "core/crypto/hash.hpp"
#include "core/crypto/keys.hpp"
#include "core/crypto/verifier.hpp"

using namespace mt;
using namespace mt::crypto;

TEST_CASE("BLAKE2b-256 matches the RFC 7693 test vector prefix for 'abc'") {
  // BLAKE2b-256("abc") per the reference implementation.
  CHECK(blake2b256(as_bytes("abc")).hex() == "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

TEST_CASE("tagged hashes are domain separated") {
  CHECK(tagged_hash("mt/tx", as_bytes("x")) != tagged_hash("mt/vote", as_bytes("x")));
  CHECK(tagged_hash("mt/tx", as_bytes("x")) == tagged_hash("mt/tx", as_bytes("x")));
}

TEST_CASE("keys are deterministic from a label and signatures verify only for the signed bytes") {
  auto a = KeyPair::from_label("alice");
  auto a2 = KeyPair::from_label("alice");
  auto b = KeyPair::from_label("bob");
  CHECK(a.public_key() == a2.public_key());
  CHECK(a.public_key() != b.public_key());
  for (auto backend : {Backend::real, Backend::fast}) {
    auto sig = a.sign(as_bytes("hello"), backend);
    CHECK(verify_uncached(a.public_key(), as_bytes("hello"), sig, backend));
    CHECK_FALSE(verify_uncached(a.public_key(), as_bytes("hellp"), sig, backend));
    CHECK_FALSE(verify_uncached(b.public_key(), as_bytes("hello"), sig, backend));
    auto bad = sig;
    bad.data[5] ^= 1;
    CHECK_FALSE(verify_uncached(a.public_key(), as_bytes("hello"), bad, backend));
  }
}

TEST_CASE("real and fast signatures are not interchangeable") {
  auto a = KeyPair::from_label("alice");
  auto sig = a.sign(as_bytes("m"), Backend::fast);
  CHECK_FALSE(verify_uncached(a.public_key(), as_bytes("m"), sig, Backend::real));
}

TEST_CASE("the verification cache gives the uncached answer, hits on repeats, and stays bounded") {
  auto a = KeyPair::from_label("alice");
  Verifier v(Backend::real, 4);
  auto sig = a.sign(as_bytes("m"), Backend::real);
  auto bad = sig;
  bad.data[0] ^= 0x80;
  CHECK(v.verify(a.public_key(), as_bytes("m"), sig));
  CHECK(v.verify(a.public_key(), as_bytes("m"), sig));
  CHECK(v.hits() == 1);
  CHECK_FALSE(v.verify(a.public_key(), as_bytes("m"), bad));
  CHECK_FALSE(v.verify(a.public_key(), as_bytes("m"), bad));  // a cached "no" stays no
  for (int i = 0; i < 10; ++i) {
    std::string m = "msg" + std::to_string(i);
    CHECK(v.verify(a.public_key(), as_bytes(m), a.sign(as_bytes(m), Backend::real)));
  }
  CHECK(v.size() <= 4);
}

TEST_CASE("a cached verification never answers for other bytes: padding, long messages, key, backend") {
  auto a = KeyPair::from_label("alice");
  auto b = KeyPair::from_label("bob");
  Verifier v(Backend::real, 64);
  // "m" and "m\0" share the zero-padded inline key bytes; only the stored length tells them apart.
  const Bytes m{'m'};
  const Bytes m0{'m', 0};
  const auto sig = a.sign(m, Backend::real);
  CHECK(v.verify(a.public_key(), m, sig));
  CHECK_FALSE(v.verify(a.public_key(), m0, sig));
  CHECK_FALSE(v.verify(b.public_key(), m, sig));
  // Messages past the inline size are keyed by their digest: a change in the last byte misses.
  Bytes long_msg(200, 7);
  const auto long_sig = a.sign(long_msg, Backend::real);
  CHECK(v.verify(a.public_key(), long_msg, long_sig));
  long_msg.back() ^= 1;
  CHECK_FALSE(v.verify(a.public_key(), long_msg, long_sig));
  CHECK(v.hits() == 0);
  // Exactly 64 bytes is inline, 65 is digested: both verify and then hit.
  for (std::size_t len : {std::size_t{64}, std::size_t{65}}) {
    const Bytes msg(len, 3);
    const auto s = b.sign(msg, Backend::real);
    const auto before = v.hits();
    CHECK(v.verify(b.public_key(), msg, s));
    CHECK(v.verify(b.public_key(), msg, s));
    CHECK(v.hits() == before + 1);
  }
  // A fast-backend verifier caches fast answers only: a real signature is not a fast one.
  Verifier fast(Backend::fast, 64);
  CHECK_FALSE(fast.verify(a.public_key(), m, sig));
  CHECK(fast.verify(a.public_key(), m, a.sign(m, Backend::fast)));
}

TEST_CASE("a verification memo answers only for its exact key, whoever reuses it and however") {
  auto a = KeyPair::from_label("alice");
  auto b = KeyPair::from_label("bob");
  Verifier v(Backend::real, 64);
  VerifyMemo memo;
  const Bytes m{'m'};
  const auto sig = a.sign(m, Backend::real);
  CHECK(v.verify(a.public_key(), m, sig, memo));  // verifies, fills the memo
  const auto misses = v.misses();
  CHECK(v.verify(a.public_key(), m, sig, memo));  // memo hit: no new verification
  CHECK(v.misses() == misses);
  // The same memo misused for other inputs must still give the uncached answer each time.
  CHECK_FALSE(v.verify(b.public_key(), m, sig, memo));
  CHECK_FALSE(v.verify(a.public_key(), Bytes{'n'}, sig, memo));
  auto bad = sig;
  bad.data[63] ^= 1;
  CHECK_FALSE(v.verify(a.public_key(), m, bad, memo));
  CHECK(v.verify(a.public_key(), m, sig, memo));  // back to the good key: still right
  // A cached "no" stays no through the memo.
  VerifyMemo no;
  CHECK_FALSE(v.verify(a.public_key(), m, bad, no));
  CHECK_FALSE(v.verify(a.public_key(), m, bad, no));
  // A verifier with caching off verifies every time, memo or not.
  Verifier off(Backend::real, 0);
  VerifyMemo m2;
  CHECK(off.verify(a.public_key(), m, sig, m2));
  CHECK(off.verify(a.public_key(), m, sig, m2));
  CHECK(off.misses() == 2);
  CHECK(off.hits() == 0);
}

TEST_CASE("merkle root of leaves changes with any leaf and with order") {
  std::vector<Hash32> leaves{blake2b256(as_bytes("a")), blake2b256(as_bytes("b")), blake2b256(as_bytes("c"))};
  auto root = merkle_root(leaves);
  std::swap(leaves[0], leaves[1]);
  CHECK(merkle_root(leaves) != root);
  CHECK(merkle_root({}) == Hash32{});
  CHECK(merkle_root({leaves[0]}) == leaves[0]);
}
