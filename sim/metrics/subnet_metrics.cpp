#include "sim/metrics/subnet_metrics.hpp"

#include <algorithm>
#include <numeric>

#include "core/state/subnet/store.hpp"
#include "core/state/subnet/yuma_scoring.hpp"

namespace mt::sim {

namespace {

// Rank (0-based) of each element, ascending by value, ties by index.
std::vector<std::size_t> ranks_of(const std::vector<std::uint64_t>& v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return v[x] != v[y] ? v[x] < v[y] : x < y; });
  std::vector<std::size_t> rank(v.size());
  for (std::size_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
  return rank;
}

double ratio(std::pair<Int128, Int128> f) {
  return f.second == 0 ? 0.0 : static_cast<double>(f.first) / static_cast<double>(f.second);
}

double share(std::uint64_t fixed) { return static_cast<double>(fixed) / static_cast<double>(state::kYumaOne); }

}  // namespace

std::pair<Int128, Int128> spearman(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  MT_ASSERT(a.size() == b.size(), "spearman of vectors of different lengths");
  const auto n = static_cast<Int128>(a.size());
  if (n < 2) return {0, 1};
  const auto ra = ranks_of(a), rb = ranks_of(b);
  Int128 d2 = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Int128 d = static_cast<Int128>(ra[i]) - static_cast<Int128>(rb[i]);
    d2 += d * d;
  }
  const Int128 den = n * (n * n - 1);
  return {den - 6 * d2, den};
}

std::pair<Int128, Int128> gini(std::vector<Amount> x) {
  std::sort(x.begin(), x.end());
  Int128 sum = 0, weighted = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sum += static_cast<Int128>(x[i]);
    weighted += static_cast<Int128>(i + 1) * static_cast<Int128>(x[i]);
  }
  if (sum == 0) return {0, 1};
  const auto n = static_cast<Int128>(x.size());
  return {2 * weighted - (n + 1) * sum, n * sum};
}

std::map<std::string, double> subnet_metrics(const state::State& s, const SubnetPlan& plan) {
  std::map<std::string, double> out;
  if (plan.empty()) return out;
  const state::SubnetView chain(s);
  double min_rho = 1, max_gini = 0, max_top = 0, max_fav = 0, min_epochs = -1, emitted = 0;
  for (const auto& sn : plan.subnets) {
    const auto info = chain.subnet(sn.netuid);
    if (!info) continue;
    const auto neurons = chain.neurons(sn.netuid);
    std::vector<std::uint64_t> quality, incentive;
    std::vector<Amount> totals;
    std::uint64_t top = 0;
    for (const auto& n : neurons) {
      totals.push_back(n.total_emission);
      top = std::max(top, n.incentive);
      // Miners still held by the planned hotkey (a replaced uid has no known true quality).
      if (n.uid >= sn.validators && n.uid < sn.neurons.size() && n.hotkey == sn.neurons[n.uid].key.public_key()) {
        quality.push_back(sn.neurons[n.uid].quality);
        incentive.push_back(n.incentive);
      }
    }
    const std::string p = "subnet." + sn.name + ".";
    const double rho = ratio(spearman(quality, incentive));
    const double g = ratio(gini(totals));
    double fav = 0;
    if (sn.favoured_uid && *sn.favoured_uid < neurons.size()) fav = share(neurons[*sn.favoured_uid].incentive);
    out[p + "rank_correlation"] = rho;
    out[p + "gini"] = g;
    out[p + "top_incentive_share"] = share(top);
    out[p + "favoured_incentive_share"] = fav;
    out[p + "epochs"] = static_cast<double>(info->epochs);
    out[p + "emitted"] = static_cast<double>(info->emitted);
    min_rho = std::min(min_rho, rho);
    max_gini = std::max(max_gini, g);
    max_top = std::max(max_top, share(top));
    max_fav = std::max(max_fav, fav);
    min_epochs = min_epochs < 0 ? static_cast<double>(info->epochs) : std::min(min_epochs, static_cast<double>(info->epochs));
    emitted += static_cast<double>(info->emitted);
  }
  out["subnet.rank_correlation"] = min_rho;
  out["subnet.gini"] = max_gini;
  out["subnet.top_incentive_share"] = max_top;
  out["subnet.favoured_incentive_share"] = max_fav;
  out["subnet.epochs"] = std::max(0.0, min_epochs);
  out["subnet.emitted"] = emitted;
  return out;
}

}  // namespace mt::sim
