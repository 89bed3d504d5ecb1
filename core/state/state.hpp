// The chain state: one authenticated store (params, chain counters, accounts, validators,
// delegations, the unbonding queue, the validator set for the next height and the one for the
// current height) with one Merkle root that commits to all of it. A State value is immutable
// once built; states of consecutive heights share structure (MerkleMap nodes), so holding many
// of them (one per node, one per height) is cheap.
//
// Contract:
//  - root() commits to every byte of state, validator sets and supply counters included. The one
//    field outside it is last_block_hash(): the hash of the block whose header carries root()
//    (it cannot be inside without a cycle); block headers chain it instead.
//  - Absent records read as zero values: account() of an unknown address is {0, 0}.
//  - Every write goes through the state transition (transition.hpp) or genesis (genesis.hpp).
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "core/chain/params.hpp"
#include "core/chain/validator_set.hpp"
#include "core/state/merkle_map.hpp"
#include "core/util/amount.hpp"
#include "core/util/bytes.hpp"
#include "core/util/result.hpp"

namespace mt::state {

struct Account {
  Amount balance = 0;
  std::uint64_t nonce = 0;  // the nonce the account's next transaction must carry
  bool operator==(const Account&) const = default;
};

struct ValidatorInfo {
  Address address;
  Amount self_stake = 0;           // bonded by the operator
  Amount delegated = 0;            // tokens bonded by delegators (slashed with self_stake)
  Amount delegator_shares = 0;     // claims on `delegated`, held in delegation records
  bool jailed = false;
  std::uint64_t jailed_until = 0;  // first height at which unjail is allowed
  std::uint64_t missed_blocks = 0; // within the current downtime window
  bool tombstoned = false;         // slashed for double signing: jailed for good
  [[nodiscard]] Amount bonded() const { return self_stake + delegated; }
  bool operator==(const ValidatorInfo&) const = default;
};

// Stake released to `owner`'s balance at a given height (unbond / undelegate). `validator` is
// whose stake it was: evidence of a double sign committed before the unbonding began slashes it
// too (transition.hpp rule 3).
struct UnbondingEntry {
  Address owner;
  Address validator;
  Amount amount = 0;
  bool operator==(const UnbondingEntry&) const = default;
};

// Height, time and supply counters: one record under the root.
struct ChainMeta {
  std::uint64_t height = 0;               // of the last applied block (0 = genesis)
  std::uint64_t last_block_time_ms = 0;   // its timestamp (genesis time at height 0)
  Amount genesis_supply = 0;
  Amount minted = 0;
  Amount burned = 0;
  bool operator==(const ChainMeta&) const = default;
};

class State;
using StatePtr = std::shared_ptr<const State>;

class State {
 public:
  [[nodiscard]] const Params& params() const { return params_; }
  [[nodiscard]] Account account(const Address& a) const;
  [[nodiscard]] std::optional<ValidatorInfo> validator(const Address& a) const;
  // Shares `delegator` holds in `validator`'s delegation pool (0 if none).
  [[nodiscard]] Amount delegation_shares(const Address& delegator, const Address& validator) const;
  // Token value of those shares (floor).
  [[nodiscard]] Amount delegation(const Address& delegator, const Address& validator) const;
  // Stake released at `height` (empty if none).
  [[nodiscard]] std::vector<UnbondingEntry> unbonding_at(std::uint64_t height) const;
  // Every registered validator, sorted by address.
  [[nodiscard]] const std::vector<Address>& validator_addresses() const { return validator_index_; }

  // Who votes at height() + 1, with proposer priorities (proposer() is round 0's proposer).
  [[nodiscard]] const ValidatorSet& validator_set() const { return *validator_set_; }
  // The same set, shared: every node at this state hands consensus one object, not a copy each.
  [[nodiscard]] const std::shared_ptr<const ValidatorSet>& validator_set_ptr() const { return validator_set_; }
  // Who voted at height(): verifies the next block's last_commit. Empty at genesis.
  [[nodiscard]] const ValidatorSet& last_validator_set() const { return *last_validator_set_; }

  [[nodiscard]] std::uint64_t height() const { return meta_.height; }
  [[nodiscard]] const Hash32& last_block_hash() const { return last_block_hash_; }
  [[nodiscard]] std::uint64_t last_block_time_ms() const { return meta_.last_block_time_ms; }
  [[nodiscard]] const ChainMeta& meta() const { return meta_; }
  [[nodiscard]] Amount genesis_supply() const { return meta_.genesis_supply; }
  [[nodiscard]] Amount minted() const { return meta_.minted; }
  [[nodiscard]] Amount burned() const { return meta_.burned; }

  [[nodiscard]] Hash32 root() const { return map_.root(); }
  [[nodiscard]] const MerkleMap& map() const { return map_; }
  // Inclusion (or absence) proof of an account's record; check with verify_account_proof.
  [[nodiscard]] MerkleProof prove_account(const Address& a) const;

  // The whole state as bytes (storage snapshots) and back. Decoding is strict: every record is
  // parsed and checked against its key; the singletons must be present.
  [[nodiscard]] Bytes encode_snapshot() const;
  static Result<StatePtr> decode_snapshot(ByteView bytes);

  // Builds a State from a map holding every singleton record (used by the builder and snapshots).
  static Result<State> from_map(MerkleMap map, const Hash32& last_block_hash);

 private:
  friend class StateBuilder;
  friend class BlockExecutor;
  State() = default;

  MerkleMap map_;
  Params params_;
  ChainMeta meta_;
  // Account reads memoised on this immutable state: in a simulation every node that shares the
  // state asks for the same senders (mempool admission), so one trie walk answers them all.
  // Direct-mapped by address prefix, filled on a miss, compared on the whole address: a pure
  // cache, it cannot change an answer. A copy of the state starts with an empty memo. Like the
  // trie's node pool, a state is used by one thread at a time.
  class AccountMemo {
   public:
    AccountMemo() = default;
    AccountMemo(const AccountMemo&) {}
    AccountMemo& operator=(const AccountMemo&) {
      entries_.reset();
      return *this;
    }
    AccountMemo(AccountMemo&&) noexcept = default;
    AccountMemo& operator=(AccountMemo&&) noexcept = default;
    ~AccountMemo() = default;
    [[nodiscard]] const Account* find(const Address& a) const;
    void put(const Address& a, const Account& account);

   private:
    static constexpr std::size_t kEntries = 1024;
    struct Entry {
      Address address;
      Account account;
      bool filled = false;
    };
    std::unique_ptr<std::array<Entry, kEntries>> entries_;
  };
  mutable AccountMemo account_memo_;
  // Never null (every construction path sets them); immutable once the state is built.
  std::shared_ptr<const ValidatorSet> validator_set_;
  std::shared_ptr<const ValidatorSet> last_validator_set_;
  std::vector<Address> validator_index_;
  Hash32 last_block_hash_;
};

// Checks an account proof from State::prove_account against a root: the account (zero if the
// proof shows it absent), or an error if the proof is invalid or is not about `a`.
Result<Account> verify_account_proof(const Hash32& root, const Address& a, const MerkleProof& proof);

// genesis + minted - burned == sum(balances) + sum(bonded) + sum(unbonding) + sum(neuron stake).
// O(n): walks every record. (The treasury is an ordinary account; see subnet_store.hpp.)
Status check_supply(const State& s);

}  // namespace mt::state
