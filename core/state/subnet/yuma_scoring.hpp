// The Yuma-style epoch step of one subnet, integers only: a pure function from (stake, weights)
// to (rank, trust, consensus, incentive, dividends). Fixed point: kYumaOne == 1.0.
//
// With n neurons (uids 0..n-1), validators V = neurons with a permit and a non-empty row:
//  1. Stake share  s_i = floor(S_i * ONE / sum_V S)          (0 outside V)
//  2. Row-normalise w_ij = floor(W_ij * ONE / sum_j W_ij)   (self-weights and uids >= n dropped first)
//  3. Consensus    c_j = the largest w such that validators with w_ij >= w hold at least
//                  kappa (bp) of the total stake share: the stake-weighted median for kappa 50%.
//  4. Clip         w'_ij = min(w_ij, c_j)
//  5. Rank         r_j = floor(sum_i s_i * w'_ij / ONE);  pre-clip p_j likewise with w_ij
//                  Trust t_j = floor(r_j * ONE / p_j)  (0 when p_j == 0)
//  6. Incentive    i_j = floor(r_j * ONE / sum r)        (all 0 when sum r == 0)
//  7. Dividends    d_i = sum_j floor(s_i * w'_ij * i_j / sum_k s_k * w'_kj)  (each validator's
//                  share of the rank it helped form, times that miner's incentive), then
//                  normalised: floor(d_i * ONE / sum d).
// Every floor rounds toward zero, so normalised vectors sum to at most ONE; the emission split
// (subnet_emission.hpp) divides by the actual sums, so no share is lost to this rounding.
// Stakes above 2^63 in total are shifted right together first (ratios kept to 63 bits).
#pragma once

#include <cstdint>
#include <vector>

#include "core/chain/transaction.hpp"
#include "core/util/amount.hpp"

namespace mt::state {

inline constexpr std::uint64_t kYumaOne = 1'000'000'000;

struct YumaInput {
  std::vector<Amount> stake;                      // per uid
  std::vector<bool> permit;                       // per uid: may validate (stake >= subnet min_stake)
  std::vector<std::vector<WeightEntry>> weights;  // per uid: its row (uids ascending), masked by the caller
  std::uint32_t kappa_bp = 5000;
};

struct YumaOutput {
  std::vector<std::uint64_t> stake_share;  // s_i
  std::vector<std::uint64_t> rank, trust, consensus, incentive, dividends;
  std::uint64_t active_validators = 0;
};

YumaOutput yuma_epoch(const YumaInput& in);

}  // namespace mt::state
