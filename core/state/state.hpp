// The chain state: one authenticated store (accounts, validators, delegations, unbonding queue,
// params, the validator set for the next height, and later subnets) with one Merkle root that
// commits to all of it. A State value is immutable once built; states of consecutive heights
// share structure, so holding many of them (one per node, one per height) is cheap.
//
// CONTRACT (implemented in state.cpp / merkle.hpp / transition.cpp by the state work):
//  - State::root() commits to every byte of state; two states with equal roots are equal.
//  - Updating k keys costs O(k log n) hashing.
//  - Reads never mutate; all writes go through StateBuilder (a copy-on-write view of a parent).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "core/chain/params.hpp"
#include "core/chain/validator_set.hpp"
#include "core/util/amount.hpp"
#include "core/util/bytes.hpp"

namespace mt::state {

struct Account {
  Amount balance = 0;
  std::uint64_t nonce = 0;
  bool operator==(const Account&) const = default;
};

struct ValidatorInfo {
  Address address;
  Amount self_stake = 0;        // bonded by the operator
  Amount delegated = 0;         // bonded by delegators
  bool jailed = false;
  std::uint64_t jailed_until = 0;  // height at which unjail becomes possible
  std::uint64_t missed_blocks = 0; // within the current downtime window
  bool tombstoned = false;         // slashed for double signing (cannot double-slash same evidence)
  [[nodiscard]] Amount bonded() const { return self_stake + delegated; }
  bool operator==(const ValidatorInfo&) const = default;
};

class State;
using StatePtr = std::shared_ptr<const State>;

}  // namespace mt::state
