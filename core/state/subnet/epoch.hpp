// The per-block AI-layer step: every subnet whose tempo has elapsed runs its epoch, in netuid
// order, at the end of the block (after fees, rewards and unbonding release):
//  1. Commitments older than reveal_window_blocks are dropped and their neuron's stake is
//     slashed slash_unrevealed_bp (burned): a validator that commits and never reveals pays.
//  2. Yuma scores (yuma_scoring.hpp) from stakes, permits (stake > 0 and >= min_stake) and
//     weight rows; an entry set before its target uid's current neuron registered is dropped.
//  3. Emission subnet_emission_per_block * (height - last_epoch_height) is minted and split
//     (subnet_emission.hpp); neuron payouts go to each neuron's owner balance.
//  4. Every neuron's scores and emission, and the subnet's cumulative counters, are written.
#pragma once

#include "core/state/state_builder.hpp"

namespace mt::state {

// Runs the due epoch steps for block `height` proposed by `proposer`.
Status run_subnet_epochs(StateBuilder& b, const Params& params, std::uint64_t height, const Address& proposer);

}  // namespace mt::state
