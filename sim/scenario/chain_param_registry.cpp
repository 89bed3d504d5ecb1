#include "sim/scenario/chain_param_registry.hpp"

#include <fmt/format.h>

#include "sim/scenario/registry_lookup.hpp"
#include "sim/scenario/scenario_writer.hpp"
#include "sim/scenario/units.hpp"

namespace mt::sim {

namespace {

using K = ChainParamKind;

// Data, not code: in the order the writer writes and the docs list.
const std::vector<ChainParamSpec> kRegistry = {
    {"chain_id", K::text, &Params::chain_id, "signed into every transaction"},
    {"block_time", K::duration_ms, &Params::block_time_ms, "target interval between blocks; above 0, at most a day"},
    {"max_block_time_drift", K::duration_ms, &Params::max_block_time_drift_ms,
     "a validator prevotes a fresh proposal only if its block is stamped at most this far ahead of its own clock "
     "(and after its parent); deciding and block sync never read the local clock. 1 ms to 1 day"},
    {"max_block_txs", K::count, &Params::max_block_txs, "transactions per block"},
    {"max_block_bytes", K::size, &Params::max_block_bytes, "encoded transactions per block"},
    {"max_tx_bytes", K::size, &Params::max_tx_bytes, "one encoded transaction"},
    {"epoch_blocks", K::count, &Params::epoch_blocks, "validator-set rotation period"},
    {"max_validators", K::count, &Params::max_validators, "active set size", "every declared validator"},
    {"min_validator_stake", K::stake, &Params::min_validator_stake, "smallest bonded stake of an active validator"},
    {"unbonding_blocks", K::count, &Params::unbonding_blocks,
     "stake leaving is released this many blocks later; it stays slashable by double-sign evidence meanwhile, so "
     "it must be at least `evidence_max_age_blocks` and `epoch_blocks`"},
    {"power_reduction", K::count, &Params::power_reduction, "voting power = bonded stake / this"},
    {"quorum", K::ratio, std::monostate{},
     "a block is final when **strictly more** than this share of voting power precommits. A value below `2/3` is "
     "accepted with a warning (the chain is no longer BFT-safe) so that such a bug can be reproduced"},
    {"slash_double_sign", K::fraction_bp, &Params::slash_double_sign_bp, "share of bonded stake slashed, plus jail"},
    {"slash_downtime", K::fraction_bp, &Params::slash_downtime_bp, "share of bonded stake slashed, plus jail"},
    {"jail_blocks", K::count, &Params::jail_blocks, "blocks a slashed validator stays jailed"},
    {"downtime_window_blocks", K::count, &Params::downtime_window_blocks, "look-back window for downtime"},
    {"downtime_min_signed", K::fraction_bp, &Params::downtime_min_signed_bp,
     "share of the window a validator must sign"},
    {"evidence_max_age_blocks", K::count, &Params::evidence_max_age_blocks,
     "double-sign evidence older than this is refused"},
    {"block_reward", K::stake, &Params::block_reward, "minted per block"},
    {"min_fee", K::stake, &Params::min_fee, "smallest fee a transaction may pay"},
    {"fee_burn", K::fraction_bp, &Params::fee_burn_bp, "share of each fee burned; the rest goes to the proposer"},
    {"timeouts.propose", K::duration_ms, &Params::timeout_propose_ms,
     "Tendermint propose timeout: round r waits base + r x delta"},
    {"timeouts.propose_delta", K::duration_ms, &Params::timeout_propose_delta_ms, "added per round"},
    {"timeouts.prevote", K::duration_ms, &Params::timeout_prevote_ms, "wait after +2/3 prevotes for anything"},
    {"timeouts.prevote_delta", K::duration_ms, &Params::timeout_prevote_delta_ms, "added per round"},
    {"timeouts.precommit", K::duration_ms, &Params::timeout_precommit_ms, "wait after +2/3 precommits for anything"},
    {"timeouts.precommit_delta", K::duration_ms, &Params::timeout_precommit_delta_ms, "added per round"},
    {"emission_per_block", K::stake, &Params::subnet_emission_per_block,
     "AI layer: minted per block for each subnet, paid at its epoch step ([ai-layer.md](ai-layer.md))"},
    {"emission.miners", K::fraction_bp, &Params::emission_miners_bp,
     "epoch emission to miners, by incentive; the seven `emission` shares sum to exactly 100%"},
    {"emission.validators", K::fraction_bp, &Params::emission_validators_bp, "to validators, by dividends"},
    {"emission.infrastructure", K::fraction_bp, &Params::emission_infrastructure_bp,
     "to the proposer of the block running the step"},
    {"emission.stakers", K::fraction_bp, &Params::emission_stakers_bp, "to validators by stake (the delegators' share)"},
    {"emission.subnet_owner", K::fraction_bp, &Params::emission_subnet_owner_bp, "to the subnet's owner"},
    {"emission.burn", K::fraction_bp, &Params::emission_burn_bp, "burned"},
    {"emission.treasury", K::fraction_bp, &Params::emission_treasury_bp,
     "to the DAO treasury account (which also gets rounding dust)"},
    {"yuma_kappa", K::fraction_bp, &Params::yuma_kappa_bp,
     "stake share that must agree for the consensus clip (50%: stake-weighted median)"},
    {"slash_unrevealed", K::fraction_bp, &Params::slash_unrevealed_bp,
     "neuron stake slashed for a weight commitment never revealed"},
    {"max_subnets", K::count, &Params::max_subnets, "subnets the chain registers at most"},
    {"max_neurons_per_subnet", K::count, &Params::max_neurons_per_subnet, "at most 4096"},
    {"neuron_immunity_blocks", K::count, &Params::neuron_immunity_blocks, "a new neuron cannot be replaced this long"},
    {"reveal_window_blocks", K::count, &Params::reveal_window_blocks,
     "a commitment must be revealed within this many blocks"},
};

}  // namespace

const std::vector<ChainParamSpec>& chain_param_registry() { return kRegistry; }

const ChainParamSpec* find_chain_param(std::string_view key) {
  return find_named(chain_param_registry(), &ChainParamSpec::key, key);
}

std::string_view kind_doc(ChainParamKind kind) {
  switch (kind) {
    case K::text: return "text";
    case K::count: return "count";
    case K::duration_ms: return "duration (whole ms)";
    case K::size: return "size";
    case K::stake: return "stake";
    case K::fraction_bp: return "fraction (whole basis points)";
    case K::ratio: return "ratio";
  }
  return "";
}

namespace {

std::uint64_t integer_of(const ChainParamField& field, const Params& p) {
  if (const auto* f = std::get_if<std::uint64_t Params::*>(&field)) return p.**f;
  if (const auto* f = std::get_if<std::uint32_t Params::*>(&field)) return p.**f;
  return 0;
}

}  // namespace

std::string format_chain_param(const ChainParamSpec& spec, const Params& p) {
  switch (spec.kind) {
    case K::text: return yaml_scalar(p.*std::get<std::string Params::*>(spec.field));
    case K::stake: return amount_to_string(p.*std::get<Amount Params::*>(spec.field));
    case K::ratio: return fmt::format("{}/{}", p.quorum_num, p.quorum_den);
    case K::count: return fmt::format("{}", integer_of(spec.field, p));
    case K::size: return format_size(integer_of(spec.field, p));
    case K::fraction_bp: return format_fraction(static_cast<Ppm>(integer_of(spec.field, p) * 100));
    case K::duration_ms: return format_duration(static_cast<TimeUs>(integer_of(spec.field, p)) * kUsPerMs);
  }
  return "";
}

}  // namespace mt::sim
