// Unit parsing: every quantity parses to an exact integer, bare numbers where a unit is required
// are errors, and the canonical text written by format_* parses back to the same value.
#include <doctest/doctest.h>

#include "sim/scenario/units.hpp"

using namespace mt;
using namespace mt::sim;

TEST_CASE("durations parse in every unit to exact microseconds") {
  CHECK(parse_duration("250us").value() == 250);
  CHECK(parse_duration("40ms").value() == 40'000);
  CHECK(parse_duration("3s").value() == 3'000'000);
  CHECK(parse_duration("1.5s").value() == 1'500'000);
  CHECK(parse_duration("2min").value() == 120'000'000);
  CHECK(parse_duration("1h").value() == 3'600'000'000LL);
  CHECK(parse_duration("0s").value() == 0);
  CHECK(parse_duration("1_000ms").value() == 1'000'000);
}

TEST_CASE("a duration without a unit, with an unknown unit or finer than a microsecond is an error") {
  CHECK_FALSE(parse_duration("40").ok());
  CHECK(parse_duration("40").error().message.find("missing unit") != std::string::npos);
  CHECK_FALSE(parse_duration("3 sec").ok());
  CHECK_FALSE(parse_duration("0.5us").ok());
  CHECK_FALSE(parse_duration("-3s").ok());
  CHECK_FALSE(parse_duration("").ok());
  CHECK_FALSE(parse_duration("s").ok());
  CHECK_FALSE(parse_duration("1.s").ok());
  CHECK_FALSE(parse_duration("99999999999999999999999999999h").ok());
  CHECK(parse_signed_duration("-2s").value() == -2'000'000);
}

TEST_CASE("sizes distinguish decimal and binary prefixes") {
  CHECK(parse_size("300B").value() == 300);
  CHECK(parse_size("4KB").value() == 4000);
  CHECK(parse_size("4KiB").value() == 4096);
  CHECK(parse_size("1MB").value() == 1'000'000);
  CHECK(parse_size("1MiB").value() == 1u << 20);
  CHECK_FALSE(parse_size("300").ok());
  CHECK_FALSE(parse_size("1.5B").ok());
}

TEST_CASE("bandwidth accepts bits and bytes per second and rejects a bare number") {
  CHECK(parse_bandwidth("10Mbit").value() == 10'000'000);
  CHECK(parse_bandwidth("1Gbit").value() == 1'000'000'000);
  CHECK(parse_bandwidth("10Mbit/s").value() == 10'000'000);
  CHECK(parse_bandwidth("10Mbps").value() == 10'000'000);
  CHECK(parse_bandwidth("100KB/s").value() == 800'000);
  CHECK_FALSE(parse_bandwidth("100").ok());
  CHECK_FALSE(parse_bandwidth("100KB").ok());  // a size, not a rate
}

TEST_CASE("rates keep the written period so nothing is rounded") {
  const Rate r = parse_rate("80/s").value();
  CHECK(r.milli_count == 80'000);
  CHECK(r.milli_per_s() == 80'000);
  const Rate m = parse_rate("5/min").value();
  CHECK(m.period_us == 60 * kUsPerSec);
  CHECK(m.milli_per_s() == 83);  // 5000 / 60, rounded down
  CHECK(parse_rate("2.5/s").value().milli_count == 2500);
  CHECK_FALSE(parse_rate("80").ok());
  CHECK_FALSE(parse_rate("80/ms").ok());
  CHECK_FALSE(parse_rate("80/x").ok());
  CHECK_FALSE(parse_rate("0.0001/s").ok());
}

TEST_CASE("fractions accept percentages and shares and reject values above one") {
  CHECK(parse_fraction("0.2%").value() == 2000);
  CHECK(parse_fraction("25%").value() == 250'000);
  CHECK(parse_fraction("0.34").value() == 340'000);
  CHECK(parse_fraction("1").value() == kPpmOne);
  CHECK_FALSE(parse_fraction("1.01").ok());
  CHECK_FALSE(parse_fraction("101%").ok());
  CHECK_FALSE(parse_fraction("0.0000001").ok());
  CHECK_FALSE(parse_fraction("5ms").ok());
}

TEST_CASE("counts, amounts, ratios and ppm are whole and in range") {
  CHECK(parse_count("10_000").value() == 10'000);
  CHECK_FALSE(parse_count("1.5").ok());
  CHECK_FALSE(parse_count("10s").ok());
  CHECK(parse_amount("2000000").value() == Amount{2'000'000});
  CHECK(parse_amount("4e7").value() == Amount{40'000'000});
  CHECK_FALSE(parse_amount("1.5").ok());
  CHECK_FALSE(parse_amount("-5").ok());
  CHECK(parse_ratio("2/3").value() == Ratio{2, 3});
  CHECK_FALSE(parse_ratio("3/2").ok());
  CHECK_FALSE(parse_ratio("0/3").ok());
  CHECK(parse_ppm_signed("-50ppm").value() == -50);
  CHECK_FALSE(parse_ppm_signed("50").ok());
}

TEST_CASE("canonical forms parse back to the same value") {
  for (TimeUs t : {TimeUs{0}, TimeUs{1}, TimeUs{1500}, TimeUs{3'000'000}, TimeUs{90'000'000}, TimeUs{7'200'000'000}}) {
    CHECK(parse_duration(format_duration(t)).value() == t);
  }
  CHECK(format_duration(120'000'000) == "2min");
  for (std::uint64_t b : {300ULL, 4096ULL, 4000ULL, 1ULL << 30}) CHECK(parse_size(format_size(b)).value() == b);
  for (std::uint64_t b : {1ULL, 10'000'000ULL, 800'000ULL}) CHECK(parse_bandwidth(format_bandwidth(b)).value() == b);
  for (const char* r : {"80/s", "5/min", "2.5/s", "0.125/h"}) {
    CHECK(parse_rate(format_rate(parse_rate(r).value())).value() == parse_rate(r).value());
  }
  for (Ppm p : {Ppm{0}, Ppm{1}, Ppm{2000}, Ppm{340'000}, kPpmOne}) CHECK(parse_fraction(format_fraction(p)).value() == p);
  CHECK(format_fraction(2000) == "0.2%");
  for (double d : {0.35, 1.3, 1e-9, 123456.789}) CHECK(parse_real(format_real(d)).value() == d);
}

TEST_CASE("cpu speeds parse to thousandths exactly and format back") {
  CHECK(parse_speed("1").value() == 1000);
  CHECK(parse_speed("0.5").value() == 500);
  CHECK(parse_speed("0.05").value() == 50);
  CHECK(parse_speed("2.125").value() == 2125);
  CHECK(parse_speed("1000").value() == 1'000'000);
  for (const char* bad : {"0", "0.000", "-1", "0.0005", "1001", "fast", "50%", "", "1e3x"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_speed(bad).ok());
  }
  for (std::uint32_t v : {1u, 50u, 500u, 1000u, 2125u, 1'000'000u}) CHECK(parse_speed(format_speed(v)).value() == v);
  CHECK(format_speed(50) == "0.05");
  CHECK(format_speed(2000) == "2");
}
