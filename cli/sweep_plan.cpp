// The sweep's run list and exit-code ranking (sweep_plan.hpp).
#include "cli/sweep_plan.hpp"

#include "core/util/assert.hpp"
#include "sim/run/exit_codes.hpp"

#include <limits>
#include <optional>
#include <string_view>
#include <fmt/format.h>

namespace mt::cli {
namespace {

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

// Appends one "A..B" or "A" part; false with `why` set on a bad part.
bool add_part(std::string_view part, std::vector<std::uint64_t>& seeds, std::string& why) {
  const auto dots = part.find("..");
  const auto lo = parse_u64(dots == std::string_view::npos ? part : part.substr(0, dots));
  const auto hi = dots == std::string_view::npos ? lo : parse_u64(part.substr(dots + 2));
  if (!lo || !hi) {
    why = "'" + std::string(part) + "' is not a seed or a range such as 1..200";
    return false;
  }
  if (*hi < *lo) {
    why = "range '" + std::string(part) + "' runs backwards";
    return false;
  }
  if (*hi - *lo >= kMaxSweepRuns || seeds.size() + (*hi - *lo) >= kMaxSweepRuns) {
    why = fmt::format("more than {} seeds", kMaxSweepRuns);
    return false;
  }
  if (!seeds.empty() && *lo <= seeds.back()) {
    why = "seeds must ascend without repeats ('" + std::string(part) + "')";
    return false;
  }
  for (std::uint64_t s = *lo;; ++s) {
    seeds.push_back(s);
    if (s == *hi) break;
  }
  return true;
}

}  // namespace

Result<std::vector<std::uint64_t>> parse_seed_list(const std::string& text) {
  std::vector<std::uint64_t> seeds;
  std::string_view rest(text);
  std::string why;
  while (true) {
    const auto comma = rest.find(',');
    if (!add_part(rest.substr(0, comma), seeds, why)) return make_error("--seeds: " + why);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return seeds;
}

Result<Shard> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return make_error("--shard: expected i/n such as 2/4, not '" + text + "'");
  const auto i = parse_u64(std::string_view(text).substr(0, slash));
  const auto n = parse_u64(std::string_view(text).substr(slash + 1));
  if (!i || !n || *n == 0 || *i == 0 || *i > *n) {
    return make_error("--shard: expected i/n with 1 <= i <= n, not '" + text + "'");
  }
  return Shard{*i, *n};
}

std::vector<SweepItem> plan_sweep(std::size_t file_count, const std::vector<std::uint64_t>& seeds, Shard shard) {
  MT_ASSERT(shard.index >= 1 && shard.index <= shard.count, "shard out of range");
  std::vector<SweepItem> items;
  std::uint64_t k = 0;
  for (std::size_t f = 0; f < file_count; ++f) {
    for (std::uint64_t seed : seeds) {
      if (k % shard.count == shard.index - 1) items.push_back(SweepItem{f, seed});
      ++k;
    }
  }
  return items;
}

int exit_severity(int exit_code) {
  switch (exit_code) {
    case kExitOk: return 0;
    case kExitWallBudget: return 1;
    case kExitLiveness: return 2;
    case kExitNondeterminism: return 3;
    case kExitSafety: return 4;
    case kExitInterrupted: return 5;
    case kExitUsage: return 6;
    case kExitBadScenario: return 7;
    default: return 8;  // kExitInternal, and anything unexpected
  }
}

int worse_exit(int a, int b) { return exit_severity(b) > exit_severity(a) ? b : a; }

}  // namespace mt::cli
