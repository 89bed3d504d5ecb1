// Quantile-based stake assignment (see the header for the method).
#include "sim/scenario/stake_distribution.hpp"

#include <algorithm>
#include <cmath>

namespace mt::sim {

double normal_quantile(double p) {
  MT_ASSERT(p > 0 && p < 1, "normal_quantile needs p in (0, 1)");
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01,  -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  const double low = 0.02425;
  if (p < low) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normal_quantile(1 - p);
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

namespace {

Result<double> quantile(const StakeDist& d, double u) {
  const auto a = static_cast<double>(d.a), b = static_cast<double>(d.b);
  switch (d.kind) {
    case DistKind::constant: return a;
    case DistKind::uniform: return a + (b - a) * u;
    case DistKind::normal: return a + b * normal_quantile(u);
    case DistKind::lognormal: return a * std::exp(d.shape * normal_quantile(u));
    case DistKind::pareto: return a * std::pow(1 - u, -1.0 / d.shape);
  }
  return make_error("unknown distribution");
}

constexpr double kWeightGrid = 4294967296.0;  // 2^32
constexpr double kMaxPlainStake = 4e18;       // below 2^62

}  // namespace

Result<std::vector<Amount>> draw_stakes(const StakeDist& dist, std::size_t count) {
  MT_ASSERT(count > 0, "a group has at least one validator");
  if (dist.total > kMaxStakeTotal) return make_error("stake total above 2^90");
  std::vector<double> q(count);
  for (std::size_t i = 0; i < count; ++i) {
    auto v = quantile(dist, (static_cast<double>(i) + 0.5) / static_cast<double>(count));
    if (!v) return v.error();
    q[i] = v.value();
  }
  std::sort(q.begin(), q.end(), [](double x, double y) { return x > y; });
  if (!std::isfinite(q.front()) || q.front() > kMaxPlainStake * (dist.total > 0 ? 1e6 : 1)) {
    return make_error("the distribution's largest stake is too large");
  }
  std::vector<Amount> out(count);
  if (dist.total == 0) {
    for (std::size_t i = 0; i < count; ++i) {
      if (!(q[i] >= 0.5)) {
        return make_error("the distribution gives validator " + std::to_string(i) +
                          " a stake below 1 token; raise its parameters or give a total");
      }
      out[i] = static_cast<Amount>(std::llround(q[i]));
    }
    return out;
  }
  if (!(q.back() > 0)) return make_error("the distribution gives a validator no stake; a stake must be positive");
  std::vector<Amount> w(count);
  Amount sum_w = 0;
  for (std::size_t i = 0; i < count; ++i) {
    w[i] = static_cast<Amount>(std::max<long long>(1, std::llround(q[i] / q.front() * kWeightGrid)));
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
      return make_error("total " + amount_to_string(dist.total) + " is too small for " + std::to_string(count) +
                        " validators: validator " + std::to_string(i) + " would get no stake");
    }
  }
  return out;
}

}  // namespace mt::sim
