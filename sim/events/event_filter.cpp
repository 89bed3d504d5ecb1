#include "sim/events/event_filter.hpp"

#include <charconv>

#include <fmt/format.h>

namespace mt::sim {

namespace {
std::optional<std::uint64_t> parse_u64(const std::string& s) {
  std::uint64_t v = 0;
  const auto* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (s.empty() || ec != std::errc{} || p != end) return std::nullopt;
  return v;
}
}  // namespace

std::string HeightRange::to_string() const {
  const std::string lo = min == 0 ? "" : fmt::format("{}", min);
  const std::string hi = max == UINT64_MAX ? "" : fmt::format("{}", max);
  return lo + ".." + hi;
}

Result<HeightRange> parse_height_range(const std::string& text) {
  const auto bad = [&] {
    return make_error(fmt::format("heights '{}': expected A..B, A.., ..B or one height", text));
  };
  HeightRange r;
  const auto dots = text.find("..");
  if (dots == std::string::npos) {
    auto h = parse_u64(text);
    if (!h) return bad();
    r.min = r.max = *h;
    return r;
  }
  const std::string lo = text.substr(0, dots);
  const std::string hi = text.substr(dots + 2);
  if (lo.empty() && hi.empty()) return bad();
  if (!lo.empty()) {
    auto v = parse_u64(lo);
    if (!v) return bad();
    r.min = *v;
  }
  if (!hi.empty()) {
    auto v = parse_u64(hi);
    if (!v) return bad();
    r.max = *v;
  }
  if (r.min > r.max) return make_error(fmt::format("heights '{}': the range is empty", text));
  return r;
}

}  // namespace mt::sim
