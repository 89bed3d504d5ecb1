#include "core/state/subnet/yuma_scoring.hpp"

#include <algorithm>

#include "core/util/assert.hpp"

namespace mt::state {

namespace {

constexpr std::uint64_t kBasisPoints = 10000;

struct Cell {
  std::uint32_t validator = 0;
  std::uint64_t w = 0;  // row-normalised weight
};

int bit_length(UInt128 v) {
  int n = 0;
  while (v != 0) {
    v >>= 1;
    ++n;
  }
  return n;
}

// s_i over the active validators; 0 elsewhere.
std::vector<std::uint64_t> stake_shares(const YumaInput& in, const std::vector<bool>& active) {
  const std::size_t n = in.stake.size();
  Amount max_stake = 0;
  std::uint64_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!active[i]) continue;
    max_stake = std::max(max_stake, in.stake[i]);
    ++count;
  }
  // Shift so the total fits in 63 bits: each stake < 2^(63 - bits(count)).
  const int budget = 63 - bit_length(count);
  const int shift = std::max(0, bit_length(max_stake) - budget);
  UInt128 total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (active[i]) total += in.stake[i] >> shift;
  }
  std::vector<std::uint64_t> s(n, 0);
  if (total == 0) return s;
  for (std::size_t i = 0; i < n; ++i) {
    if (active[i]) s[i] = static_cast<std::uint64_t>((in.stake[i] >> shift) * kYumaOne / total);
  }
  return s;
}

// Columns of the row-normalised matrix: cols[j] = (validator, w_ij) with w_ij > 0.
std::vector<std::vector<Cell>> normalised_columns(const YumaInput& in, const std::vector<bool>& active) {
  const std::size_t n = in.stake.size();
  std::vector<std::vector<Cell>> cols(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!active[i]) continue;
    std::uint64_t sum = 0;
    for (const auto& e : in.weights[i]) {
      if (e.uid < n && e.uid != i) sum += e.weight;
    }
    MT_ASSERT(sum > 0, "active validator with an empty row");
    for (const auto& e : in.weights[i]) {
      if (e.uid >= n || e.uid == i || e.weight == 0) continue;
      const auto w = static_cast<std::uint64_t>(UInt128{e.weight} * kYumaOne / sum);
      if (w > 0) cols[e.uid].push_back({static_cast<std::uint32_t>(i), w});
    }
  }
  return cols;
}

// The largest w with stake(w_ij >= w) >= threshold; 0 if the column never reaches it.
std::uint64_t weighted_quantile(std::vector<Cell> col, const std::vector<std::uint64_t>& s, UInt128 threshold) {
  std::sort(col.begin(), col.end(), [](const Cell& a, const Cell& b) {
    return a.w != b.w ? a.w > b.w : a.validator < b.validator;
  });
  UInt128 acc = 0;
  for (const auto& c : col) {
    acc += s[c.validator];
    if (acc >= threshold && threshold > 0) return c.w;
  }
  return 0;
}

std::vector<std::uint64_t> normalise(const std::vector<UInt128>& v) {
  UInt128 sum = 0;
  for (auto x : v) sum += x;
  std::vector<std::uint64_t> out(v.size(), 0);
  if (sum == 0) return out;
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = static_cast<std::uint64_t>(v[i] * kYumaOne / sum);
  return out;
}

}  // namespace

YumaOutput yuma_epoch(const YumaInput& in) {
  const std::size_t n = in.stake.size();
  MT_ASSERT(in.permit.size() == n && in.weights.size() == n, "yuma input vectors differ in length");
  MT_ASSERT(in.kappa_bp > 0 && in.kappa_bp <= kBasisPoints, "kappa out of range");
  YumaOutput out;
  std::vector<bool> active(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    bool has_weight = false;
    for (const auto& e : in.weights[i]) has_weight |= e.uid < n && e.uid != i && e.weight > 0;
    active[i] = in.permit[i] && in.stake[i] > 0 && has_weight;
    if (active[i]) ++out.active_validators;
  }
  out.stake_share = stake_shares(in, active);
  const auto& s = out.stake_share;
  const auto cols = normalised_columns(in, active);
  UInt128 total_share = 0;
  for (auto x : s) total_share += x;
  // Ceiling, so "at least kappa" is exact: acc >= total * kappa / 10000.
  const UInt128 threshold = (total_share * in.kappa_bp + kBasisPoints - 1) / kBasisPoints;

  out.consensus.assign(n, 0);
  out.rank.assign(n, 0);
  out.trust.assign(n, 0);
  std::vector<UInt128> rank_num(n, 0);  // sum_i s_i * w'_ij, kept unfloored for the bonds
  std::vector<UInt128> ranks(n, 0);
  for (std::size_t j = 0; j < n; ++j) {
    if (cols[j].empty()) continue;
    const std::uint64_t c = weighted_quantile(cols[j], s, threshold);
    out.consensus[j] = c;
    UInt128 pre = 0;
    for (const auto& cell : cols[j]) {
      pre += UInt128{s[cell.validator]} * cell.w;
      rank_num[j] += UInt128{s[cell.validator]} * std::min(cell.w, c);
    }
    out.rank[j] = static_cast<std::uint64_t>(rank_num[j] / kYumaOne);
    ranks[j] = out.rank[j];
    const UInt128 p = pre / kYumaOne;
    out.trust[j] = p == 0 ? 0 : static_cast<std::uint64_t>(UInt128{out.rank[j]} * kYumaOne / p);
  }
  out.incentive = normalise(ranks);

  std::vector<UInt128> div(n, 0);
  for (std::size_t j = 0; j < n; ++j) {
    if (rank_num[j] == 0 || out.incentive[j] == 0) continue;
    const std::uint64_t c = out.consensus[j];
    for (const auto& cell : cols[j]) {
      const UInt128 bond = UInt128{s[cell.validator]} * std::min(cell.w, c);  // <= 10^18
      div[cell.validator] += bond * out.incentive[j] / rank_num[j];            // <= 10^27 before dividing
    }
  }
  out.dividends = normalise(div);
  return out;
}

}  // namespace mt::state
