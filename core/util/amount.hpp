// Token amounts: unsigned 128-bit integers with checked arithmetic. No floating point reaches
// consensus or state; overflow and underflow are reported, never wrapped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mt {

__extension__ typedef unsigned __int128 Amount;
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

inline std::optional<Amount> checked_add(Amount a, Amount b) {
  Amount r = a + b;
  if (r < a) return std::nullopt;
  return r;
}
inline std::optional<Amount> checked_sub(Amount a, Amount b) {
  if (b > a) return std::nullopt;
  return a - b;
}
inline std::optional<Amount> checked_mul(Amount a, Amount b) {
  if (a == 0 || b == 0) return Amount{0};
  Amount r = a * b;
  if (r / a != b) return std::nullopt;
  return r;
}
// a * num / den rounded down, for fractions expressed in basis points or small ratios.
// Precondition: den > 0 and num <= den (so the result never exceeds a).
Amount mul_frac_floor(Amount a, std::uint64_t num, std::uint64_t den);

std::string amount_to_string(Amount a);
// Parses a non-negative decimal integer; false on anything else or on overflow.
bool amount_from_string(const std::string& s, Amount& out);

}  // namespace mt
