// End-of-run AI-layer metrics read from a chain state and the run's subnet plan. Everything is
// computed in integers (fixed point or exact numerator / denominator) and turned into double
// only here, at the reporting edge:
//   subnet.<name>.rank_correlation   Spearman rank correlation between the miners' hidden true
//                                    quality and their incentive (ties broken by uid)
//   subnet.<name>.gini               Gini coefficient of the neurons' total emission
//   subnet.<name>.top_incentive_share        largest incentive share of one neuron
//   subnet.<name>.favoured_incentive_share   incentive share of the colluders' miner (0 if none)
//   subnet.<name>.epochs, subnet.<name>.emitted
// and run-level aggregates under the same names without <name> (the worst subnet: min rank
// correlation and epochs, max Gini and shares, total emitted), which `expect:` can name.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/state/state.hpp"
#include "sim/load/subnet_plan.hpp"

namespace mt::sim {

std::map<std::string, double> subnet_metrics(const state::State& s, const SubnetPlan& plan);

// The pieces, exposed for tests. Spearman's rho as (numerator, denominator) of
// 1 - 6 sum d^2 / (n (n^2 - 1)), i.e. (n(n^2-1) - 6 sum d^2, n(n^2-1)); {0, 1} for n < 2.
std::pair<Int128, Int128> spearman(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b);
// Gini as (numerator, denominator) of (2 sum_i i*x_(i) - (n+1) sum x) / (n sum x), x sorted
// ascending, i from 1; {0, 1} when everything is zero.
std::pair<Int128, Int128> gini(std::vector<Amount> x);

}  // namespace mt::sim
