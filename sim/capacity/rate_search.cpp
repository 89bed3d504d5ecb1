#include "sim/capacity/rate_search.hpp"

#include <algorithm>
#include <cassert>

namespace mt::sim {
namespace {

bool has_rate(const std::vector<CapacityPoint>& done, std::uint64_t rate) {
  return std::any_of(done.begin(), done.end(), [&](const CapacityPoint& p) { return p.rate_per_s == rate; });
}

// The resolution gap for an upper end `hi`: at least 1 tx/s.
std::uint64_t resolution_gap(const RateSearch& search, std::uint64_t hi) {
  const auto gap = static_cast<std::uint64_t>(search.resolution_fraction * static_cast<double>(hi));
  return std::max<std::uint64_t>(1, gap);
}

// The ramp's next batch: the first `jobs` ramp rates not run yet.
std::vector<std::uint64_t> next_ramp_batch(const RateSearch& search, const std::vector<CapacityPoint>& done) {
  std::vector<std::uint64_t> batch;
  for (std::uint64_t rate : ramp_rates(search)) {
    if (batch.size() >= search.jobs) break;
    if (!has_rate(done, rate)) batch.push_back(rate);
  }
  return batch;
}

// Splits (lo, hi) into jobs + 1 parts; the inner rates not run yet.
std::vector<std::uint64_t> bisection_batch(const RateSearch& search, std::uint64_t lo, std::uint64_t hi,
                                           const std::vector<CapacityPoint>& done) {
  std::vector<std::uint64_t> batch;
  const std::uint64_t parts = search.jobs + 1ULL;
  for (std::uint64_t k = 1; k < parts; ++k) {
    const std::uint64_t rate = lo + (hi - lo) * k / parts;
    if (rate <= lo || rate >= hi || has_rate(done, rate)) continue;
    if (std::find(batch.begin(), batch.end(), rate) == batch.end()) batch.push_back(rate);
  }
  return batch;
}

}  // namespace

std::vector<std::uint64_t> ramp_rates(const RateSearch& search) {
  assert(search.max_rate_per_s >= 1);
  std::vector<std::uint64_t> rates;
  for (unsigned d = search.ramp_doublings + 1; d-- > 0;) {
    const std::uint64_t rate = std::max<std::uint64_t>(1, search.max_rate_per_s >> std::min(d, 63u));
    if (rates.empty() || rates.back() != rate) rates.push_back(rate);
  }
  return rates;
}

Saturation find_saturation(const RateSearch& search, const std::vector<CapacityPoint>& done) {
  Saturation s;
  for (const auto& p : done) {
    if (keeps_up(p, search.p99_bound_ms)) continue;
    if (!s.first_failing_rate_per_s || p.rate_per_s < *s.first_failing_rate_per_s) s.first_failing_rate_per_s = p.rate_per_s;
  }
  for (const auto& p : done) {
    if (!keeps_up(p, search.p99_bound_ms)) continue;
    if (s.first_failing_rate_per_s && p.rate_per_s > *s.first_failing_rate_per_s) continue;
    if (!s.rate_per_s || p.rate_per_s > *s.rate_per_s) s.rate_per_s = p.rate_per_s;
  }
  return s;
}

std::vector<std::uint64_t> next_rates(const RateSearch& search, const std::vector<CapacityPoint>& done) {
  assert(search.jobs >= 1);
  if (done.size() >= kMaxCapacityPoints) return {};
  const Saturation s = find_saturation(search, done);
  if (!s.first_failing_rate_per_s) return next_ramp_batch(search, done);  // still climbing (or done at max)
  const std::uint64_t lo = s.rate_per_s.value_or(0);
  const std::uint64_t hi = *s.first_failing_rate_per_s;
  if (hi - lo <= resolution_gap(search, hi)) return {};
  auto batch = bisection_batch(search, lo, hi, done);
  const std::size_t room = kMaxCapacityPoints - done.size();
  if (batch.size() > room) batch.resize(room);
  return batch;
}

}  // namespace mt::sim
