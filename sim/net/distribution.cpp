#include "sim/net/distribution.hpp"

#include <fmt/format.h>

namespace mt::sim {

Status Distribution::validate() const {
  switch (kind) {
    case Kind::constant:
      if (a < 0) return make_error("constant delay must be >= 0");
      return {};
    case Kind::uniform:
      if (a < 0 || b < a) return make_error("uniform delay needs 0 <= min <= max");
      return {};
    case Kind::normal:
      if (a < 0 || b < 0) return make_error("normal delay needs mean >= 0 and stddev >= 0");
      return {};
    case Kind::lognormal:
      if (a <= 0 || b < 0) return make_error("lognormal delay needs median > 0 and sigma >= 0");
      return {};
    case Kind::pareto:
      if (a <= 0 || b <= 0) return make_error("pareto delay needs scale > 0 and alpha > 0");
      return {};
  }
  return make_error("unknown distribution kind");
}

double Distribution::sample(Rng& rng) const {
  switch (kind) {
    case Kind::constant: return a;
    case Kind::uniform: return rng.uniform_real(a, b);
    case Kind::normal: return rng.normal(a, b);
    case Kind::lognormal: return rng.lognormal(a, b);
    case Kind::pareto: return rng.pareto(a, b);
  }
  return a;
}

double Distribution::centre() const {
  return kind == Kind::uniform ? (a + b) / 2 : a;
}

Distribution Distribution::with_centre(double centre_us) const {
  // A zero entry (a zone to itself in a matrix) is a zero delay whatever the shape: lognormal
  // and pareto have no zero-centred form.
  if (centre_us <= 0) return Distribution::constant(0);
  Distribution d = *this;
  const double old = centre();
  switch (kind) {
    case Kind::uniform:
      if (old > 0) {
        d.a = a * centre_us / old;
        d.b = b * centre_us / old;
      } else {
        d.a = d.b = centre_us;
      }
      break;
    case Kind::normal:
      d.a = centre_us;
      d.b = old > 0 ? b * centre_us / old : 0;
      break;
    case Kind::constant:
    case Kind::lognormal:
    case Kind::pareto:
      d.a = centre_us;
      break;
  }
  return d;
}

std::string Distribution::describe() const {
  // Whole microseconds; shape parameters with six decimals.
  const auto us = [](double v) { return static_cast<std::int64_t>(v); };
  switch (kind) {
    case Kind::constant: return fmt::format("constant{{{}us}}", us(a));
    case Kind::uniform: return fmt::format("uniform{{{}us, {}us}}", us(a), us(b));
    case Kind::normal: return fmt::format("normal{{{}us, {}us}}", us(a), us(b));
    case Kind::lognormal: return fmt::format("lognormal{{{}us, sigma {:f}}}", us(a), b);
    case Kind::pareto: return fmt::format("pareto{{{}us, alpha {:f}}}", us(a), b);
  }
  return "?";
}

}  // namespace mt::sim
