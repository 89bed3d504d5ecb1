// Locale-independent number and text formatting shared by every report writer. Reports are
// compared byte for byte across hosts, so nothing here reads the C locale or iostream state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mt::reports {

// Fixed notation with `decimals` digits after the point ("57.30"); non-finite values print as
// "nan", "inf" or "-inf".
std::string format_fixed(double value, int decimals);

// The shortest text that parses back to exactly `value` ("0.1", "1e+300").
std::string format_shortest(double value);

// Simulated microseconds as seconds with millisecond precision ("12.345s").
std::string format_seconds_us(std::int64_t time_us);

// Byte counts with a binary unit ("1.50 MiB"); exact below 1 KiB ("512 B").
std::string format_bytes(std::uint64_t bytes);

// Escapes text for XML and HTML, in element content and in quoted attributes alike: & < > " '
// become entities, newlines and tabs become character references (so attributes keep them), and
// the control characters XML 1.0 forbids become U+FFFD.
std::string xml_escape(std::string_view text);

}  // namespace mt::reports
