// Quantile-based stake assignment (see the header for the method), in integer fixed point only.
#include "sim/scenario/stake_distribution.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <fmt/format.h>

namespace mt::sim {

namespace {

using Fx = Int128;                      // a Q32.32 value (value * 2^32), signed
constexpr int kFrac = 32;
constexpr Fx kOne = Fx{1} << kFrac;
constexpr Fx kLn2Q62 = 3196577161300663808;  // ln 2 * 2^62
constexpr Fx kOneQ62 = Fx{1} << 62;
constexpr Fx kMaxExpArg = 60 * kOne;         // e^60 < 2^87: the result and a scale still fit
constexpr Amount kMaxParam = Amount{1} << 64;   // distribution parameters (a token count, not a total)
constexpr Fx kMaxPlainStakeQ = Fx{4'000'000'000'000'000'000} << kFrac;  // 4e18 tokens, below 2^62

Fx mul(Fx a, Fx b) { return (a * b) >> kFrac; }  // operands below 2^63 in magnitude
Fx div(Fx a, Fx b) { return (a << kFrac) / b; }  // |a| below 2^94

Fx floor_div(Fx a, Fx b) {
  Fx q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0))) --q;
  return q;
}

// Natural logarithm of x > 0: x = m * 2^k with m in [1, 2), ln m = 2 atanh((m - 1) / (m + 1)),
// the series summed in Q62 until its terms vanish.
Fx fx_ln(Fx x) {
  MT_ASSERT(x > 0, "ln of a non-positive number");
  int k = 0;
  while (x >= 2 * kOne) {
    x >>= 1;
    ++k;
  }
  while (x < kOne) {
    x <<= 1;
    --k;
  }
  const Fx z = ((x - kOne) << 62) / (x + kOne);  // [0, 1/3)
  const Fx z2 = (z * z) >> 62;
  Fx sum = 0;
  for (Fx term = z, n = 1; term != 0; n += 2) {
    sum += term / n;
    term = (term * z2) >> 62;
  }
  return (2 * sum + k * kLn2Q62) >> 30;
}

// e^x for x <= kMaxExpArg: x = k ln 2 + r with r in [0, ln 2), e^r by its Taylor series in Q62.
Fx fx_exp(Fx x) {
  MT_ASSERT(x <= kMaxExpArg, "exp argument out of range");
  if (x < -kMaxExpArg) return 0;
  const Fx x62 = x << 30;
  const Fx k = floor_div(x62, kLn2Q62);
  const Fx r = x62 - k * kLn2Q62;
  Fx sum = 0;
  for (Fx term = kOneQ62, n = 1; term != 0; ++n) {
    sum += term;
    term = ((term * r) >> 62) / n;
  }
  const Fx shift = k - 30;  // Q62 -> Q32, times 2^k
  return shift >= 0 ? sum << static_cast<int>(shift) : sum >> static_cast<int>(-shift);
}

// sqrt(x) for x >= 0 in Q32: the integer square root of x * 2^32, bit by bit.
Fx fx_sqrt(Fx x) {
  MT_ASSERT(x >= 0 && x < (Fx{1} << 94), "sqrt argument out of range");
  UInt128 v = static_cast<UInt128>(x) << kFrac;
  UInt128 root = 0;
  UInt128 bit = UInt128{1} << 126;
  while (bit > v) bit >>= 2;
  while (bit != 0) {
    if (v >= root + bit) {
      v -= root + bit;
      root = (root >> 1) + bit;
    } else {
      root >>= 1;
    }
    bit >>= 2;
  }
  return static_cast<Fx>(root);
}

template <std::size_t N>
Fx horner(const std::array<Fx, N>& c, Fx x) {
  Fx v = c[0];
  for (std::size_t i = 1; i < N; ++i) v = mul(v, x) + c[i];
  return v;
}

Result<Fx> shape_q(double shape) {
  // shape * 2^32 is exact in binary floating point; llround of it is exact too.
  if (!(shape > 0) || shape > 1e6) return make_error("a distribution shape must be in (0, 1000000]");
  const Fx q = std::llround(shape * 4294967296.0);
  if (q <= 0) return make_error("a distribution shape is too small");
  return q;
}

Result<Fx> scaled(Amount a, Fx e) {
  if (e > 0 && static_cast<Fx>(a) > (Fx{1} << 125) / e) return make_error("the distribution's largest stake is too large");
  return static_cast<Fx>(a) * e;
}

// The quantile at u = (2i + 1) / (2n), in Q32.
Result<Fx> quantile(const StakeDist& d, std::size_t i, std::size_t n) {
  const Fx u = (static_cast<Fx>(2 * i + 1) << kFrac) / static_cast<Fx>(2 * n);
  const Fx a = static_cast<Fx>(d.a);
  const Fx b = static_cast<Fx>(d.b);
  switch (d.kind) {
    case DistKind::constant: return a << kFrac;
    case DistKind::uniform: return (a << kFrac) + (b - a) * u;
    case DistKind::normal: return (a << kFrac) + b * normal_quantile_q32(u);
    case DistKind::lognormal: {
      auto sigma = shape_q(d.shape);
      if (!sigma) return sigma.error();
      const Fx x = mul(sigma.value(), normal_quantile_q32(u));
      if (x > kMaxExpArg) return make_error("the distribution's largest stake is too large");
      return scaled(d.a, fx_exp(x));
    }
    case DistKind::pareto: {
      auto alpha = shape_q(d.shape);
      if (!alpha) return alpha.error();
      const Fx x = div(-fx_ln(kOne - u), alpha.value());  // (1 - u)^(-1/alpha) = e^x
      if (x > kMaxExpArg) return make_error("the distribution's largest stake is too large");
      return scaled(d.a, fx_exp(x));
    }
  }
  return make_error("unknown distribution");
}

// round(q / largest * 2^32), at least 1, without overflowing the shift.
Amount weight_of(Fx q, Fx largest) {
  int shift = 0;
  while ((largest >> shift) >= (Fx{1} << 94)) ++shift;
  const Fx num = (q >> shift) << kFrac;
  const Fx den = largest >> shift;
  return static_cast<Amount>(std::max<Fx>(1, (num + den / 2) / den));
}

}  // namespace

Fx normal_quantile_q32(Fx p) {
  MT_ASSERT(p > 0 && p < kOne, "normal_quantile needs p in (0, 1)");
  // Acklam's coefficients, times 2^32.
  static constexpr std::array<Fx, 6> a{-170496587836, 948956266912, -1185103928404,
                                       594242019418,  -131704304833, 10765886475};
  static constexpr std::array<Fx, 6> b{-233973062752, 694005884802, -668722026519, 286909449888, -57040092938, kOne};
  static constexpr std::array<Fx, 6> c{-33435865,    -1384682244, -10311178286,
                                       -10951017870, 18789039419, 12619318216};
  static constexpr std::array<Fx, 5> d{33435013, 1384985773, 10501771153, 16125062419, kOne};
  constexpr Fx low = 104152957;  // 0.02425
  if (p < low) {
    const Fx q = fx_sqrt(-2 * fx_ln(p));
    return div(horner(c, q), horner(d, q));
  }
  if (p > kOne - low) return -normal_quantile_q32(kOne - p);
  const Fx q = p - kOne / 2;
  const Fx r = mul(q, q);
  return div(mul(horner(a, r), q), horner(b, r));
}

Result<std::vector<Amount>> draw_stakes(const StakeDist& dist, std::size_t count) {
  MT_ASSERT(count > 0, "a group has at least one validator");
  if (dist.total > kMaxStakeTotal) return make_error("stake total above 2^90");
  if (dist.a > kMaxParam || dist.b > kMaxParam) return make_error("distribution parameters above 2^64");
  std::vector<Fx> q(count);
  for (std::size_t i = 0; i < count; ++i) {
    auto v = quantile(dist, i, count);
    if (!v) return v.error();
    q[i] = v.value();
  }
  std::sort(q.begin(), q.end(), [](Fx x, Fx y) { return x > y; });
  if (q.front() > kMaxPlainStakeQ * (dist.total > 0 ? 1'000'000 : 1)) {
    return make_error("the distribution's largest stake is too large");
  }
  std::vector<Amount> out(count);
  if (dist.total == 0) {
    for (std::size_t i = 0; i < count; ++i) {
      if (q[i] < kOne / 2) {
        return make_error(fmt::format(
            "the distribution gives validator {} a stake below 1 token; raise its parameters or give a total", i));
      }
      out[i] = static_cast<Amount>((q[i] + kOne / 2) >> kFrac);
    }
    return out;
  }
  if (q.back() <= 0) return make_error("the distribution gives a validator no stake; a stake must be positive");
  std::vector<Amount> w(count);
  Amount sum_w = 0;
  for (std::size_t i = 0; i < count; ++i) {
    w[i] = weight_of(q[i], q.front());
    sum_w += w[i];
  }
  Amount assigned = 0;
  for (std::size_t i = 0; i < count; ++i) {
    out[i] = dist.total * w[i] / sum_w;
    assigned += out[i];
  }
  Amount left = dist.total - assigned;  // < count: each floor loses less than one token
  MT_ASSERT(left < count, "flooring lost more than one token per validator");
  for (std::size_t i = 0; left > 0; ++i, --left) out[i] += 1;
  for (std::size_t i = 0; i < count; ++i) {
    if (out[i] == 0) {
      return make_error(fmt::format("total {} is too small for {} validators: validator {} would get no stake",
                                    amount_to_string(dist.total), count, i));
    }
  }
  return out;
}

}  // namespace mt::sim
