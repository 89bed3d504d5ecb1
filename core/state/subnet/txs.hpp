// The AI layer's transaction rules, applied on a StateBuilder (the block executor calls these
// for the five AI payloads; genesis uses them to pre-register subnets). Each call validates
// everything first and writes only on success, so a failing transaction leaves no trace.
//
//   create_subnet    name 1..64 bytes, 1 <= max_neurons <= max_neurons_per_subnet, tempo >= 1,
//                    fewer than max_subnets exist. Next netuid; its first epoch step runs at
//                    height + tempo.
//   register_neuron  subnet exists, hotkey not registered in it, balance >= stake; the stake is
//                    locked in the neuron. A full subnet replaces the neuron with the lowest
//                    max(incentive, dividends) among those past neuron_immunity_blocks (ties:
//                    earliest registration, then lower uid); its stake returns to its owner and
//                    its weights and commitment are dropped. No candidate: rejected.
//   set_weights      the sender is a neuron hotkey of the subnet with a validator permit
//                    (stake > 0 and >= min_stake); 1..max_neurons entries, uids strictly
//                    ascending and < neuron_count, at least one weight > 0. Replaces its row.
//   commit_weights   the same permit; stores (commitment, height), replacing a pending one.
//   reveal_weights   a pending commitment from height c with c < height <= c + reveal_window_blocks
//                    and weights_commitment(netuid, sender, weights, salt) equal to it; the
//                    weights pass set_weights' rules and become the row; the commitment is cleared.
#pragma once

#include "core/chain/transaction.hpp"
#include "core/state/subnet/store.hpp"

namespace mt::state {

class SubnetTxs {
 public:
  SubnetTxs(StateBuilder& builder, const Params& params, std::uint64_t height)
      : b_(builder), params_(params), height_(height) {}

  Status create_subnet(const Address& sender, const CreateSubnet& p);
  // `sender_account` is the sender's account as the executor holds it (written by the caller).
  Status register_neuron(const Address& sender, const RegisterNeuron& p, Account& sender_account);
  Status set_weights(const Address& sender, const SetWeights& p);
  Status commit_weights(const Address& sender, const CommitWeights& p);
  Status reveal_weights(const Address& sender, const RevealWeights& p);

 private:
  // The sender's uid in a subnet where it holds a validator permit, or why not.
  Result<std::uint16_t> permitted_uid(const Address& sender, const SubnetInfo& subnet) const;
  Status check_weights(const SubnetInfo& subnet, const std::vector<WeightEntry>& weights) const;
  Result<SubnetInfo> existing_subnet(std::uint32_t netuid) const;
  // The uid a full subnet gives up, or an error when every neuron is immune.
  Result<std::uint16_t> replacement_uid(const SubnetInfo& subnet) const;

  StateBuilder& b_;
  const Params& params_;
  std::uint64_t height_;
};

}  // namespace mt::state
