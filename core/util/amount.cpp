#include "core/util/amount.hpp"

#include <algorithm>

#include "core/util/assert.hpp"

namespace mt {

Amount mul_frac_floor(Amount a, std::uint64_t num, std::uint64_t den) {
  MT_ASSERT(den > 0, "mul_frac_floor: zero denominator");
  MT_ASSERT(num <= den, "mul_frac_floor: fraction above one");
  // Split a = q*den + r so neither partial product can overflow: q*num <= a and r*num < den^2 < 2^128.
  Amount q = a / den;
  Amount r = a % den;
  return q * num + (r * num) / den;
}

std::string amount_to_string(Amount a) {
  if (a == 0) return "0";
  std::string s;
  while (a > 0) {
    s.push_back(static_cast<char>('0' + static_cast<int>(a % 10)));
    a /= 10;
  }
  std::reverse(s.begin(), s.end());
  return s;
}

bool amount_from_string(const std::string& s, Amount& out) {
  if (s.empty() || s.size() > 39) return false;
  Amount v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    auto m = checked_mul(v, 10);
    if (!m) return false;
    auto n = checked_add(*m, static_cast<Amount>(c - '0'));
    if (!n) return false;
    v = *n;
  }
  out = v;
  return true;
}

}  // namespace mt
