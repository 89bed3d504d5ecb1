// Executes one block's steps on a StateBuilder; the single implementation behind apply_block
// and build_block (transition.hpp documents the rules). Each step either succeeds and writes,
// or fails and writes nothing, so the producer can skip a failing transaction and go on.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "core/chain/block.hpp"
#include "core/crypto/verifier.hpp"
#include "core/state/state_builder.hpp"

namespace mt::state {

// The epoch rule: top max_validators non-jailed validators with bonded >= min_validator_stake,
// by bonded stake desc then address asc; power = bonded / power_reduction, capped so the total
// stays below 2^60; zero-power entries dropped. Sorted by address.
std::vector<std::pair<Address, std::uint64_t>> select_validators(std::vector<ValidatorInfo> candidates,
                                                                 const Params& params);

class SubnetTxs;

class BlockExecutor {
 public:
  BlockExecutor(StatePtr parent, const BlockHeader& header, crypto::Verifier& verifier);

  [[nodiscard]] Status check_header() const;
  Status apply_last_commit(const Commit& commit);
  Status apply_evidence(const Evidence& evidence);
  Status apply_tx(const SignedTx& tx);
  // Prefetches the accounts these transactions will read (senders, transfer recipients): a
  // performance hint for the transactions about to be applied; changes no result.
  void prefetch(std::span<const TxPtr> txs) const;
  // Fees, reward, unbonding release, epoch step, next validator set, height and time.
  Result<std::shared_ptr<State>> finish();

 private:
  Status apply_payload(const Transaction& tx, Account& sender);
  Status transfer(const Transaction& tx, const Transfer& p, Account& sender);
  Status register_validator(const Transaction& tx, const RegisterValidator& p, Account& sender);
  Status bond(const Transaction& tx, const Bond& p, Account& sender);
  Status unbond(const Transaction& tx, const Unbond& p);
  Status delegate(const Transaction& tx, const Delegate& p, Account& sender);
  Status undelegate(const Transaction& tx, const Undelegate& p);
  Status unjail(const Transaction& tx);
  SubnetTxs ai();  // the AI-layer payload rules (subnet_txs.hpp) on this block's builder
  Status add_unbonding(const Address& owner, const Address& validator, Amount amount);
  // Slashes slash_bp of every unbonding entry of `validator`'s stake that began at or after
  // `infraction_height` (it was bonded when the offence happened), burning the cut.
  Status slash_unbonding(const Address& validator, std::uint64_t infraction_height, std::uint32_t slash_bp);
  Status evaluate_downtime();
  Status slash_and_jail(ValidatorInfo& v, std::uint32_t slash_bp);
  Status add_burned(Amount a);
  ValidatorSet next_validator_set() const;

  StatePtr parent_;
  BlockHeader header_;
  std::uint64_t height_;
  crypto::Verifier& verifier_;
  StateBuilder builder_;
  Amount fees_ = 0;
  std::vector<Address> jailed_now_;
};

}  // namespace mt::state
