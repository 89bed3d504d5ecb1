#include "core/state/subnet/emission.hpp"

#include "core/util/assert.hpp"

namespace mt::state {

namespace {

constexpr std::uint64_t kBasisPoints = 10000;

// Pays `pool` by the weights `v` into `to_uid`; returns what it paid. Unpaid when sum v == 0.
Amount pay_pool(Amount pool, const std::vector<std::uint64_t>& v, std::vector<Amount>& to_uid) {
  std::uint64_t sum = 0;
  for (auto x : v) sum += x;  // each <= kYumaOne and n <= 4096: no overflow
  if (sum == 0) return 0;
  Amount paid = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == 0) continue;
    const Amount a = mul_frac_floor(pool, v[i], sum);
    to_uid[i] += a;
    paid += a;
  }
  MT_ASSERT(paid <= pool, "emission pool overpaid");
  return paid;
}

}  // namespace

EmissionSplit split_emission(Amount total, const Params& p, const YumaOutput& scores) {
  const std::size_t n = scores.incentive.size();
  EmissionSplit out;
  out.to_uid.assign(n, 0);
  auto share = [&](std::uint32_t bp) { return mul_frac_floor(total, bp, kBasisPoints); };
  const Amount miners = share(p.emission_miners_bp);
  const Amount validators = share(p.emission_validators_bp);
  const Amount stakers = share(p.emission_stakers_bp);
  out.to_infrastructure = share(p.emission_infrastructure_bp);
  out.to_owner = share(p.emission_subnet_owner_bp);
  out.burned = share(p.emission_burn_bp);
  MT_ASSERT(miners + validators + stakers + out.to_infrastructure + out.to_owner + out.burned <= total,
            "emission shares exceed the total");

  struct Pool {
    Amount amount;
    const std::vector<std::uint64_t>* by;
  };
  for (const Pool& pool : {Pool{miners, &scores.incentive}, Pool{validators, &scores.dividends},
                           Pool{stakers, &scores.stake_share}}) {
    const Amount paid = pay_pool(pool.amount, *pool.by, out.to_uid);
    out.to_neurons += paid;
    if (paid == 0) out.burned += pool.amount;  // nobody to pay; a paid pool's dust reaches the treasury below
  }
  out.to_treasury = total - out.to_neurons - out.to_owner - out.to_infrastructure - out.burned;
  return out;
}

}  // namespace mt::state
