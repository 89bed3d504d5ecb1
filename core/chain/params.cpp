#include "core/chain/params.hpp"

namespace mt {

Status Params::validate() const {
  if (chain_id.empty() || chain_id.size() > codec::kMaxStringLen) return make_error("chain_id must be 1..256 bytes");
  if (block_time_ms == 0) return make_error("block_time must be positive");
  if (max_block_time_drift_ms == 0 || max_block_time_drift_ms > kMaxBlockTimeDriftMs)
    return make_error("max_block_time_drift must be positive and at most a day");
  for (std::uint64_t t : {block_time_ms, timeout_propose_ms, timeout_propose_delta_ms, timeout_prevote_ms,
                          timeout_prevote_delta_ms, timeout_precommit_ms, timeout_precommit_delta_ms}) {
    if (t > kMaxDurationMs) return make_error("block_time and consensus timeouts must be at most a day");
  }
  if (max_block_txs == 0) return make_error("max_block_txs must be positive");
  if (max_block_bytes < max_tx_bytes) return make_error("max_block_bytes must be at least max_tx_bytes");
  if (epoch_blocks == 0) return make_error("epoch_blocks must be positive");
  // Stake leaving must stay slashable for as long as evidence against it is accepted, and for an
  // epoch, during which it still carries the voting power it had.
  if (unbonding_blocks < evidence_max_age_blocks)
    return make_error("unbonding_blocks must be at least evidence_max_age_blocks");
  if (unbonding_blocks < epoch_blocks) return make_error("unbonding_blocks must be at least epoch_blocks");
  if (max_validators == 0) return make_error("max_validators must be positive");
  if (power_reduction == 0) return make_error("power_reduction must be positive");
  if (quorum_den == 0 || quorum_num == 0 || quorum_num >= quorum_den)
    return make_error("quorum must be a fraction strictly between 0 and 1");
  if (slash_double_sign_bp > 10000 || slash_downtime_bp > 10000 || downtime_min_signed_bp > 10000 ||
      fee_burn_bp > 10000)
    return make_error("basis-point parameters must be at most 10000");
  if (downtime_window_blocks == 0) return make_error("downtime_window_blocks must be positive");
  const std::uint64_t shares = std::uint64_t{emission_miners_bp} + emission_validators_bp +
                               emission_infrastructure_bp + emission_stakers_bp + emission_subnet_owner_bp +
                               emission_burn_bp + emission_treasury_bp;
  if (shares != 10000) return make_error("emission shares must sum to exactly 10000 basis points");
  if (yuma_kappa_bp == 0 || yuma_kappa_bp > 10000 || slash_unrevealed_bp > 10000)
    return make_error("yuma_kappa_bp must be in 1..10000 and slash_unrevealed_bp at most 10000");
  if (max_neurons_per_subnet == 0 || max_neurons_per_subnet > 4096)
    return make_error("max_neurons_per_subnet must be 1..4096");
  if (reveal_window_blocks == 0) return make_error("reveal_window_blocks must be positive");
  return {};
}

bool Params::quorum_below_bft() const {
  return std::uint64_t{quorum_num} * 3 < std::uint64_t{quorum_den} * 2;
}

void Params::encode(codec::Writer& w) const {
  w.str(chain_id);
  w.u64(block_time_ms);
  w.u32(max_block_txs);
  w.u32(max_block_bytes);
  w.u32(max_tx_bytes);
  w.u64(epoch_blocks);
  w.u32(max_validators);
  w.amount(min_validator_stake);
  w.u64(unbonding_blocks);
  w.u64(power_reduction);
  w.u32(quorum_num);
  w.u32(quorum_den);
  w.u32(slash_double_sign_bp);
  w.u32(slash_downtime_bp);
  w.u64(jail_blocks);
  w.u64(downtime_window_blocks);
  w.u32(downtime_min_signed_bp);
  w.u64(evidence_max_age_blocks);
  w.amount(block_reward);
  w.amount(min_fee);
  w.u32(fee_burn_bp);
  w.u64(timeout_propose_ms);
  w.u64(timeout_propose_delta_ms);
  w.u64(timeout_prevote_ms);
  w.u64(timeout_prevote_delta_ms);
  w.u64(timeout_precommit_ms);
  w.u64(timeout_precommit_delta_ms);
  w.amount(subnet_emission_per_block);
  w.u32(emission_miners_bp);
  w.u32(emission_validators_bp);
  w.u32(emission_infrastructure_bp);
  w.u32(emission_stakers_bp);
  w.u32(emission_subnet_owner_bp);
  w.u32(emission_burn_bp);
  w.u32(emission_treasury_bp);
  w.u32(yuma_kappa_bp);
  w.u32(max_subnets);
  w.u32(max_neurons_per_subnet);
  w.u64(neuron_immunity_blocks);
  w.u64(reveal_window_blocks);
  w.u32(slash_unrevealed_bp);
  w.u64(max_block_time_drift_ms);
}

Params Params::decode(codec::Reader& r) {
  Params p;
  p.chain_id = r.str();
  p.block_time_ms = r.u64();
  p.max_block_txs = r.u32();
  p.max_block_bytes = r.u32();
  p.max_tx_bytes = r.u32();
  p.epoch_blocks = r.u64();
  p.max_validators = r.u32();
  p.min_validator_stake = r.amount();
  p.unbonding_blocks = r.u64();
  p.power_reduction = r.u64();
  p.quorum_num = r.u32();
  p.quorum_den = r.u32();
  p.slash_double_sign_bp = r.u32();
  p.slash_downtime_bp = r.u32();
  p.jail_blocks = r.u64();
  p.downtime_window_blocks = r.u64();
  p.downtime_min_signed_bp = r.u32();
  p.evidence_max_age_blocks = r.u64();
  p.block_reward = r.amount();
  p.min_fee = r.amount();
  p.fee_burn_bp = r.u32();
  p.timeout_propose_ms = r.u64();
  p.timeout_propose_delta_ms = r.u64();
  p.timeout_prevote_ms = r.u64();
  p.timeout_prevote_delta_ms = r.u64();
  p.timeout_precommit_ms = r.u64();
  p.timeout_precommit_delta_ms = r.u64();
  p.subnet_emission_per_block = r.amount();
  p.emission_miners_bp = r.u32();
  p.emission_validators_bp = r.u32();
  p.emission_infrastructure_bp = r.u32();
  p.emission_stakers_bp = r.u32();
  p.emission_subnet_owner_bp = r.u32();
  p.emission_burn_bp = r.u32();
  p.emission_treasury_bp = r.u32();
  p.yuma_kappa_bp = r.u32();
  p.max_subnets = r.u32();
  p.max_neurons_per_subnet = r.u32();
  p.neuron_immunity_blocks = r.u64();
  p.reveal_window_blocks = r.u64();
  p.slash_unrevealed_bp = r.u32();
  p.max_block_time_drift_ms = r.u64();
  return p;
}

}  // namespace mt
