// The canonical codec: fixed-width little endian, strict and bounded decoding.
#include <doctest/doctest.h>

#include "core/codec/codec.hpp"

using namespace mt;
using namespace mt::codec;

TEST_CASE("integers are little endian and fixed width") {
  Writer w;
  w.u16(0x0102);
  w.u32(0x03040506);
  w.u64(0x0708090a0b0c0d0eULL);
  Bytes expect{0x02, 0x01, 0x06, 0x05, 0x04, 0x03, 0x0e, 0x0d, 0x0c, 0x0b, 0x0a, 0x09, 0x08, 0x07};
  CHECK(w.data() == expect);
  Reader r(w.data());
  CHECK(r.u16() == 0x0102);
  CHECK(r.u32() == 0x03040506u);
  CHECK(r.u64() == 0x0708090a0b0c0d0eULL);
  CHECK(r.finish().ok());
}

TEST_CASE("truncated input, trailing bytes and oversize lengths are errors") {
  Writer w;
  w.u32(7);
  Reader short_r(w.data());
  (void)short_r.u64();
  CHECK_FALSE(short_r.finish().ok());

  Reader trailing(w.data());
  (void)trailing.u16();
  auto st = trailing.finish();
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().message.find("trailing") != std::string::npos);

  Writer big;
  big.u32(1000);  // claims a 1000-byte string
  Reader r(big.data());
  (void)r.str(256);
  CHECK_FALSE(r.ok());
}

TEST_CASE("a forged list count cannot exceed the bytes left") {
  Writer w;
  w.u32(1'000'000);
  w.u8(1);
  Reader r(w.data());
  CHECK(r.list_len(kMaxListLen, 8) == 0);
  CHECK_FALSE(r.ok());
}

TEST_CASE("non-canonical bools and unknown tags are rejected") {
  Bytes two{2};
  Reader r(two);
  (void)r.boolean();
  CHECK_FALSE(r.ok());
  Bytes tag{9};
  Reader t(tag);
  (void)t.tag(1, 7, "kind");
  CHECK_FALSE(t.ok());
  CHECK(t.error().find("unknown kind tag 9") != std::string::npos);
}

TEST_CASE("amounts use all 128 bits") {
  Writer w;
  Amount v = (Amount{0xdeadbeef} << 64) | 0x1234;
  w.amount(v);
  CHECK(w.data().size() == 16);
  Reader r(w.data());
  CHECK(r.amount() == v);
}
