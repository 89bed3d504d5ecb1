// Protocol parameters. Defaults are the ModernTensor testnet profile; every field is settable from
// a scenario's `chain:` section. Params live in state (they are committed to by the state root).
#pragma once

#include <cstdint>
#include <string>

#include "core/codec/codec.hpp"
#include "core/util/amount.hpp"
#include "core/util/result.hpp"

namespace mt {

struct Params {
  std::string chain_id = "moderntensor-testnet";

  // Blocks.
  std::uint64_t block_time_ms = 3000;         // target interval between blocks
  std::uint32_t max_block_txs = 4000;
  std::uint32_t max_block_bytes = 4u << 20;   // encoded transactions per block
  std::uint32_t max_tx_bytes = 64u << 10;     // one encoded transaction
  // A validator prevotes a fresh proposal only if its block's timestamp is at most this far
  // ahead of its own clock (and, as every block, after its parent's). Deciding and block sync
  // never look at the local clock. At most kMaxBlockTimeDriftMs.
  std::uint64_t max_block_time_drift_ms = 5000;
  static constexpr std::uint64_t kMaxBlockTimeDriftMs = 24ull * 3600 * 1000;  // a day: keeps now + drift far from overflow
  // Block time and every timeout base or delta at most a day: base + delta * round (round below
  // 2^20) in microseconds then stays far below 2^63.
  static constexpr std::uint64_t kMaxDurationMs = 24ull * 3600 * 1000;

  // Validators and epochs.
  std::uint64_t epoch_blocks = 100;
  std::uint32_t max_validators = 1000;        // large, so every declared validator is active
  Amount min_validator_stake = 1;
  std::uint64_t unbonding_blocks = 1000;      // unbonded stake is released this many blocks later
  std::uint64_t power_reduction = 1;          // voting power = bonded stake / power_reduction

  // Finality: a block is final when strictly more than quorum_num/quorum_den of voting power
  // precommits it. Anything weaker than 2/3 loses BFT safety (allowed to reproduce that bug class).
  std::uint32_t quorum_num = 2;
  std::uint32_t quorum_den = 3;

  // Accountability (basis points of bonded stake).
  std::uint32_t slash_double_sign_bp = 1000;  // 10% + jail
  std::uint32_t slash_downtime_bp = 100;      // 1% + jail
  std::uint64_t jail_blocks = 7200;
  std::uint64_t downtime_window_blocks = 100; // look-back window for downtime
  std::uint32_t downtime_min_signed_bp = 5000;// must sign at least this share of the window
  std::uint64_t evidence_max_age_blocks = 1000;

  // Economics.
  Amount block_reward = 1000;                 // minted per block, to the proposer's stake holders
  Amount min_fee = 1;
  std::uint32_t fee_burn_bp = 5000;           // share of each fee burned; the rest goes to the proposer

  // Consensus timeouts (Tendermint): base + delta * round.
  std::uint64_t timeout_propose_ms = 3000;
  std::uint64_t timeout_propose_delta_ms = 500;
  std::uint64_t timeout_prevote_ms = 1000;
  std::uint64_t timeout_prevote_delta_ms = 500;
  std::uint64_t timeout_precommit_ms = 1000;
  std::uint64_t timeout_precommit_delta_ms = 500;

  // The AI layer (docs/ai-layer.md). Each subnet's epoch step mints
  // subnet_emission_per_block * (blocks since its last step) and splits it by these shares
  // (basis points, summing to exactly 10000; ModernTensor's 35/28/2/12/8/5/10):
  Amount subnet_emission_per_block = 1000;
  std::uint32_t emission_miners_bp = 3500;          // miners, by incentive
  std::uint32_t emission_validators_bp = 2800;      // validators, by dividends
  std::uint32_t emission_infrastructure_bp = 200;   // the proposer of the block running the step
  std::uint32_t emission_stakers_bp = 1200;         // validators, by stake (the delegators' share)
  std::uint32_t emission_subnet_owner_bp = 800;     // the subnet's owner
  std::uint32_t emission_burn_bp = 500;             // burned
  std::uint32_t emission_treasury_bp = 1000;        // the DAO treasury account (also gets rounding dust)
  std::uint32_t yuma_kappa_bp = 5000;               // consensus clip: stake share that must agree
  std::uint32_t max_subnets = 64;
  std::uint32_t max_neurons_per_subnet = 4096;      // at most kMaxWeightsPerTx
  std::uint64_t neuron_immunity_blocks = 100;       // a new neuron cannot be replaced this long
  std::uint64_t reveal_window_blocks = 20;          // reveal within (commit, commit + window]
  std::uint32_t slash_unrevealed_bp = 100;          // stake slashed from a commit never revealed

  // Checks ranges and relations (quorum_den > 0, quorum <= 1, etc.).
  [[nodiscard]] Status validate() const;
  // True when quorum_num/quorum_den is below 2/3: the chain is not BFT-safe.
  [[nodiscard]] bool quorum_below_bft() const;

  void encode(codec::Writer& w) const;
  static Params decode(codec::Reader& r);
};

}  // namespace mt
