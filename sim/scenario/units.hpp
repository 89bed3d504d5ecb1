// Quantities with units, parsed from scenario text (scenario-format.md "Quantities carry units").
// Every parser is a pure function: exact integer results, no rounding that hides in parsing (a value
// that cannot be represented exactly, like `0.5us`, is an error), and a bare number where a unit is
// required is an error, never a guess. The format_* functions write the canonical form that the
// parse_* functions read back to the same value (used by to_yaml).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/amount.hpp"
#include "core/util/result.hpp"
#include "core/util/time.hpp"

namespace mt::sim {

// A probability or share in parts per million: 0.2% == 2000, 1 == 1'000'000.
using Ppm = std::uint32_t;
constexpr Ppm kPpmOne = 1'000'000;

// A transaction rate kept as the user wrote it (`80/s`, `5/min`) so no rounding happens:
// milli_count transactions (in thousandths) per period_us.
struct Rate {
  std::uint64_t milli_count = 0;
  TimeUs period_us = kUsPerSec;
  // Thousandths of a transaction per second, rounded down (80/s -> 80000, 5/min -> 83).
  [[nodiscard]] std::uint64_t milli_per_s() const;
  [[nodiscard]] double per_second() const;
  bool operator==(const Rate&) const = default;
};

// An exact ratio such as a quorum `2/3`.
struct Ratio {
  std::uint64_t num = 0;
  std::uint64_t den = 1;
  bool operator==(const Ratio&) const = default;
};

// Limits that keep every product below 2^63 (a quantity beyond them is a typo, not a plan).
constexpr TimeUs kMaxDurationUs = 100LL * 365 * 24 * 3600 * kUsPerSec;  // a century
constexpr std::uint64_t kMaxSizeBytes = 1ULL << 50;                       // a petabyte
constexpr std::uint64_t kMaxBitsPerSecond = 1'000'000'000'000'000ULL;     // a petabit per second
constexpr std::uint64_t kMaxMilliRate = 1'000'000'000'000ULL;             // a billion tx per period

// `250us`, `40ms`, `3s`, `1.5s`, `2min`, `1h`, `1d`. Non-negative.
Result<TimeUs> parse_duration(std::string_view text);
// `300B`, `4KB` (1000), `4KiB` (1024), `1MB`, `1MiB`, `1GB`, `1GiB`.
Result<std::uint64_t> parse_size(std::string_view text);
// Bits per second: `10Mbit`, `1Gbit`, `100kbit`, `10Mbps`, `10Mbit/s`, or bytes `100KB/s`, `1MiB/s`.
Result<std::uint64_t> parse_bandwidth(std::string_view text);
// `80/s`, `5/min`, `2.5/s`, `1000/h`.
Result<Rate> parse_rate(std::string_view text);
// A share in [0, 1]: `0.2%`, `25%`, `0.34`, `1`, `0`. At most 1 ppm precision.
Result<Ppm> parse_fraction(std::string_view text);
// Parts per million with its unit: `50ppm` (clock drift); may be negative.
Result<std::int64_t> parse_ppm_signed(std::string_view text);
// A CPU speed relative to the reference machine, in permille: `0.5` -> 500, `0.05` -> 50, `2` -> 2000.
// Above 0, at most 1000 (a thousand times faster), at most three decimals.
Result<std::uint32_t> parse_speed(std::string_view text);
// `2/3`, `1/2`; 0 < num <= den.
Result<Ratio> parse_ratio(std::string_view text);
// A plain non-negative integer (counts, heights): `10`, `10000`, `10_000`.
Result<std::uint64_t> parse_count(std::string_view text);
// A token amount (stake, balances): a non-negative integer, `_` separators allowed, or `1e6` style
// when the result is a whole number.
Result<Amount> parse_amount(std::string_view text);
// A plain real number (`0.35`, `1.3`) for dimensionless shape parameters.
Result<double> parse_real(std::string_view text);
// A signed duration (`-2s`, `+500ms`, `3s`) for clock offsets.
Result<TimeUs> parse_signed_duration(std::string_view text);

// Canonical forms: the largest unit that represents the value exactly.
std::string format_duration(TimeUs us);
std::string format_size(std::uint64_t bytes);
std::string format_bandwidth(std::uint64_t bits_per_s);
std::string format_rate(const Rate& r);
std::string format_fraction(Ppm ppm);  // as a percentage: "0.2%"
std::string format_ratio(const Ratio& r);
std::string format_speed(std::uint32_t permille);  // "0.05"
std::string format_real(double v);     // shortest text that parses back to the same double

}  // namespace mt::sim
