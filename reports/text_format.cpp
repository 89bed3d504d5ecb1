#include "reports/text_format.hpp"

#include <array>
#include <cmath>

#include <fmt/format.h>

#include "core/util/assert.hpp"

namespace mt::reports {
namespace {

std::string non_finite(double value) {
  if (std::isnan(value)) return "nan";
  return value > 0 ? "inf" : "-inf";
}

}  // namespace

std::string format_fixed(double value, int decimals) {
  MT_ASSERT(decimals >= 0 && decimals <= 17, "format_fixed: decimals out of range");
  if (!std::isfinite(value)) return non_finite(value);
  std::string text = fmt::format("{:.{}f}", value, decimals);  // fmt ignores the C locale
  if (text.starts_with("-") && text.find_first_not_of("-0.") == std::string::npos) {
    text.erase(0, 1);  // "-0.00" reads as a sign that is not there
  }
  return text;
}

std::string format_shortest(double value) {
  if (!std::isfinite(value)) return non_finite(value);
  return fmt::format("{}", value);  // the shortest text that parses back to `value`
}

std::string format_seconds_us(std::int64_t time_us) {
  return format_fixed(static_cast<double>(time_us) / 1e6, 3) + "s";
}

std::string format_bytes(std::uint64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  constexpr std::array<const char*, 5> units{"KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes) / 1024.0;
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < units.size()) {
    value /= 1024.0;
    ++unit;
  }
  return fmt::format("{} {}", format_fixed(value, 2), units[unit]);
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      case '\t': out += "&#9;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += "\xEF\xBF\xBD";  // U+FFFD: XML 1.0 cannot carry these at all
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace mt::reports
