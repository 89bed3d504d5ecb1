// Splits one subnet epoch's emission, integers only, with every unit accounted for.
//
// total = subnet_emission_per_block * blocks since the subnet's last step (minted). Shares in
// basis points (Params, summing to 10000):
//   miners          floor(total * miners_bp / 10000), paid per uid by incentive
//   validators      likewise by dividends
//   stakers         likewise by stake share (the validators' stake, on behalf of their delegators)
//   infrastructure  to the proposer of the block that runs the step
//   subnet owner    to the subnet's owner
//   burn            burned
//   treasury        total minus everything above: its own share plus all rounding dust
// A pool is paid as floor(pool * v_i / sum v) per uid; its remainder (dust) goes to the treasury.
// A pool with nobody to pay (sum v == 0: no weights were set, no validator active) is burned.
// So: sum(to_uid) + to_owner + to_infrastructure + burned + to_treasury == total, exactly.
#pragma once

#include <vector>

#include "core/chain/params.hpp"
#include "core/state/subnet/yuma_scoring.hpp"

namespace mt::state {

struct EmissionSplit {
  std::vector<Amount> to_uid;  // per uid
  Amount to_neurons = 0;       // sum of to_uid
  Amount to_owner = 0;
  Amount to_infrastructure = 0;
  Amount burned = 0;
  Amount to_treasury = 0;
};

EmissionSplit split_emission(Amount total, const Params& params, const YumaOutput& scores);

}  // namespace mt::state
