// The report writers' number and text formatting: fixed and shortest notation, non-finite values,
// no negative zero, byte units, and XML escaping — the same text on every host and locale.
#include <doctest/doctest.h>

#include <clocale>
#include <limits>

#include "reports/text_format.hpp"

using namespace mt::reports;

TEST_CASE("fixed notation rounds to its decimals and never prints a negative zero") {
  CHECK(format_fixed(57.3, 2) == "57.30");
  CHECK(format_fixed(2.675, 0) == "3");
  CHECK(format_fixed(-1.25, 1) == "-1.2");  // the double below 1.25 rounds down
  CHECK(format_fixed(-0.001, 2) == "0.00");
  CHECK(format_fixed(1e20, 1) == "100000000000000000000.0");
  CHECK(format_fixed(std::numeric_limits<double>::quiet_NaN(), 2) == "nan");
  CHECK(format_fixed(std::numeric_limits<double>::infinity(), 2) == "inf");
  CHECK(format_fixed(-std::numeric_limits<double>::infinity(), 2) == "-inf");
}

TEST_CASE("shortest notation parses back to the same double") {
  CHECK(format_shortest(0.1) == "0.1");
  CHECK(format_shortest(1e300) == "1e+300");
  CHECK(format_shortest(3.0) == "3");
  const double third = 1.0 / 3.0;
  CHECK(std::stod(format_shortest(third)) == third);
}

TEST_CASE("formatting ignores the C locale") {
  const char* before = std::setlocale(LC_NUMERIC, nullptr);
  const std::string saved = before ? before : "C";
  if (std::setlocale(LC_NUMERIC, "de_DE.UTF-8") != nullptr) {
    CHECK(format_fixed(1.5, 1) == "1.5");
    CHECK(format_shortest(0.25) == "0.25");
  }
  std::setlocale(LC_NUMERIC, saved.c_str());
}

TEST_CASE("seconds and bytes carry their units") {
  CHECK(format_seconds_us(12'345'678) == "12.346s");
  CHECK(format_bytes(512) == "512 B");
  CHECK(format_bytes(1536) == "1.50 KiB");
  CHECK(format_bytes(3ull << 30) == "3.00 GiB");
}

TEST_CASE("xml escaping covers content, attributes and forbidden control characters") {
  CHECK(xml_escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  CHECK(xml_escape("x\ny\tz") == "x&#10;y&#9;z");
  CHECK(xml_escape(std::string("\x01", 1)) == "\xEF\xBF\xBD");
}
