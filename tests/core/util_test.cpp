// Checked 128-bit amounts and hex helpers: overflow is reported, never wrapped.
#include <doctest/doctest.h>

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
