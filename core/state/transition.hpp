// The state transition: a pure, total function (parent state, block) -> state or error.
// Producer (build_block) and importer (apply_block) run the same code (BlockExecutor).
//
// RULES, in the order they are applied for a block at height h = parent.height() + 1:
//  1. Header: version, chain id, height h, parent_hash == parent.last_block_hash(), timestamp
//     strictly above parent.last_block_time_ms(), proposer in parent.validator_set().
//     Body: Block::check_body (tx/evidence roots, last-commit hash, size limits).
//  2. Last commit: h == 1 carries none; otherwise verify_commit against
//     parent.last_validator_set() for (h - 1, parent.last_block_hash()).
//     Downtime: each member of parent.last_validator_set() absent from the commit gets
//     missed_blocks + 1. Windows are fixed: when (h - 1) % downtime_window_blocks == 0, every
//     non-jailed validator with missed_blocks > window * (10000 - downtime_min_signed_bp) / 10000
//     is slashed slash_downtime_bp and jailed for jail_blocks; then every missed counter resets.
//  3. Evidence, in order: DuplicateVoteEvidence::validate; evidence height < h and
//     h - evidence height <= evidence_max_age_blocks; the validator is registered and not yet
//     tombstoned. Effect: slash slash_double_sign_bp, jail (jailed_until = h + jail_blocks), tombstone;
//     every unbonding entry of the validator's stake (its own or delegated) that began at or after
//     the evidence height is cut by slash_double_sign_bp too (the stake was bonded at the offence).
//  4. Transactions, in order; any invalid one makes the block invalid. Each needs: chain id,
//     signature, nonce == account nonce, fee >= min_fee, balance >= fee + amount moved, and its
//     payload rule (below). Effect: nonce + 1, fee taken, payload applied.
//       transfer           balance moves to `to` (created if absent)
//       register_validator not yet a validator, stake >= min_validator_stake; stake bonded
//       bond               sender is a non-tombstoned validator, amount > 0
//       unbond             0 < amount <= self_stake; released after unbonding_blocks
//       delegate           validator registered and not tombstoned, amount > 0, buys >= 1 share
//       undelegate         0 < amount <= the shares' value; released after unbonding_blocks
//       unjail             sender jailed, not tombstoned, h >= jailed_until
//       create_subnet, register_neuron, set_weights, commit_weights, reveal_weights: the AI
//                          layer's rules, subnet_txs.hpp
//     Delegations are shares of the validator's `delegated` pool, so slashing the pool slashes
//     every delegator pro rata; unbonding entries only by evidence (rule 3), not by downtime.
//  5. Fees: floor(total_fees * fee_burn_bp / 10000) burned, the rest to the proposer's balance;
//     block_reward minted to the proposer's balance.
//  6. Unbonding entries released at h are paid to their owners. Then every subnet whose tempo
//     has elapsed runs its Yuma epoch step and emission (subnet_epoch.hpp), in netuid order.
//  7. Epoch step when h % epoch_blocks == 0: the active set is the top max_validators non-jailed
//     validators with bonded >= min_validator_stake, by bonded stake (ties: lower address);
//     power = bonded / power_reduction (capped so the total stays below 2^60; zero drops out).
//     Stake changes between epochs do not move voting power (activation delay).
//  8. Next validator set: validators jailed in this block leave immediately (power 0); with the
//     epoch's powers, next = parent.validator_set().with_powers(changes), or advanced() when
//     nothing changes. A change that would empty the set is not applied (the chain keeps a set).
//  9. Height, time; last_validator_set = parent.validator_set(). The root must equal
//     header.state_root.
// Amounts are checked 128-bit integers; overflow makes the block invalid. No floating point.
#pragma once

#include <string>
#include <vector>

#include "core/chain/block.hpp"
#include "core/crypto/verifier.hpp"
#include "core/state/state.hpp"

namespace mt::state {

// Applies `block` on `parent`: the new state (its last_block_hash() is block.hash()), or why
// the block is invalid.
Result<StatePtr> apply_block(const StatePtr& parent, const Block& block, crypto::Verifier& verifier);

struct RejectedTx {
  TxPtr tx;
  std::string reason;
};

struct RejectedEvidence {
  Evidence evidence;
  std::string reason;
};

struct BuiltBlock {
  BlockPtr block;
  StatePtr state;  // == apply_block(parent, *block)
  std::vector<RejectedTx> rejected_txs;             // failed to apply; not included
  std::vector<RejectedEvidence> rejected_evidence;  // invalid; not included
};

// The producer path: includes candidates in order while they apply (skipping failures and any
// that would exceed max_block_txs / max_block_bytes), valid evidence, and `last_commit`; fills
// tx_root, evidence_root, last_commit_hash and state_root. The template supplies version,
// chain_id, height, parent_hash, timestamp_ms and proposer. Errors if the header or
// last_commit is invalid.
Result<BuiltBlock> build_block(const StatePtr& parent, BlockHeader header_template,
                               const std::vector<TxPtr>& candidates, std::vector<Evidence> evidence,
                               Commit last_commit, crypto::Verifier& verifier);

// Mempool admission: size, chain id, nonce >= account nonce, fee >= min_fee, balance covers the
// fee, signature. (Whether it can apply also depends on the txs before it.)
Status check_tx(const State& state, const SignedTx& tx, crypto::Verifier& verifier);

}  // namespace mt::state
