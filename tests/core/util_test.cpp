// Checked 128-bit amounts and hex helpers: overflow is reported, never wrapped.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/util/amount.hpp"
#include "core/util/bytes.hpp"

using namespace mt;

TEST_CASE("checked amount arithmetic reports overflow and underflow") {
  Amount max = ~Amount{0};
  CHECK_FALSE(checked_add(max, 1).has_value());
  CHECK(checked_add(max - 1, 1).value() == max);
  CHECK_FALSE(checked_sub(1, 2).has_value());
  CHECK(checked_sub(5, 2).value() == 3);
  CHECK_FALSE(checked_mul(max / 2 + 1, 2).has_value());
  CHECK(checked_mul(max / 2, 2).value() == max - 1);
}

TEST_CASE("mul_frac_floor rounds down without overflowing near the top of the range") {
  CHECK(mul_frac_floor(1000, 1000, 10000) == 100);
  CHECK(mul_frac_floor(999, 1, 3) == 333);
  CHECK(mul_frac_floor(1, 1, 3) == 0);
  Amount big = ~Amount{0};
  CHECK(mul_frac_floor(big, 10000, 10000) == big);
  CHECK(mul_frac_floor(big, 5000, 10000) == big / 2);
}

TEST_CASE("amount decimal strings round trip and reject junk") {
  Amount v = 0;
  REQUIRE(amount_from_string("340282366920938463463374607431768211455", v));
  CHECK(v == ~Amount{0});
  CHECK(amount_to_string(v) == "340282366920938463463374607431768211455");
  CHECK_FALSE(amount_from_string("340282366920938463463374607431768211456", v));
  CHECK_FALSE(amount_from_string("12a", v));
  CHECK_FALSE(amount_from_string("", v));
  CHECK_FALSE(amount_from_string("-1", v));
}

TEST_CASE("hex round trip") {
  Bytes b;
  REQUIRE(from_hex("00ff10Ab", b));
  CHECK(to_hex(b) == "00ff10ab");
  CHECK_FALSE(from_hex("abc", b));
  CHECK_FALSE(from_hex("zz", b));
}

TEST_CASE("fixed-size byte arrays order and compare exactly as their bytes do, word by word") {
  // Pairs that differ in each byte position, in the high and low bit, and equal ones; the
  // word-wise operators must agree with std::lexicographical_compare on the raw bytes.
  std::uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (int round = 0; round < 2000; ++round) {
    Hash32 a, b;
    for (auto& byte : a.data) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      byte = static_cast<std::uint8_t>(x);
    }
    b = a;
    const std::size_t at = static_cast<std::size_t>(round) % 33;  // 32: equal
    if (at < 32) b.data[at] = static_cast<std::uint8_t>(b.data[at] ^ (round % 2 == 0 ? 0x80 : 0x01));
    const bool less = std::lexicographical_compare(a.data.begin(), a.data.end(), b.data.begin(), b.data.end());
    const bool greater = std::lexicographical_compare(b.data.begin(), b.data.end(), a.data.begin(), a.data.end());
    CHECK((a < b) == less);
    CHECK((a > b) == greater);
    CHECK((a == b) == (!less && !greater));
  }
  Signature s1, s2;
  s2.data[63] = 1;
  CHECK(s1 < s2);
  CHECK(s1 != s2);
}
