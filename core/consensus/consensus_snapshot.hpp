// A read-only copy of one Consensus instance's state at an instant, for inspection (mtsim inspect,
// tests): height, round and step, the lock and the valid value with their rounds, the proposal of
// each round held, and every vote set with who voted what and with how much power. Taking a
// snapshot reads accessors only and changes nothing; the copy holds no pointers into the instance.
#pragma once

#include <cstdint>
#include <vector>

#include "core/chain/vote.hpp"
#include "core/consensus/consensus.hpp"

namespace mt {

struct VoteSnapshot {
  Address validator;
  std::uint64_t power = 0;
  Hash32 block_hash;  // zero: nil
  bool counted_conflict = false;  // an equivocator's second vote, counted for its block
};

// The votes of one (round, type), first votes in validator order, then counted conflicting ones.
struct VoteSetSnapshot {
  std::uint32_t round = 0;
  VoteType type = VoteType::prevote;
  std::uint64_t total_power = 0;   // of the validator set
  std::uint64_t voted_power = 0;   // power_any(): every counted first vote
  std::vector<VoteSnapshot> votes;
};

struct ProposalSnapshot {
  std::uint32_t round = 0;
  std::int32_t pol_round = -1;
  Address proposer;
  Hash32 block_hash;
  std::uint64_t block_height = 0;
  std::uint64_t timestamp_ms = 0;
  std::size_t txs = 0;
};

struct ConsensusSnapshot {
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  ConsensusStep step = ConsensusStep::commit;
  bool round_started = false;  // false during the commit wait before round 0
  bool decided = false;
  bool signing_blocked = false;
  std::int32_t locked_round = -1;
  Hash32 locked_hash;          // zero when not locked
  std::int32_t valid_round = -1;
  Hash32 valid_hash;           // zero without a valid value
  std::vector<ValidatorEntry> validators;   // the set of this height (address order), with power
  std::vector<ProposalSnapshot> proposals;  // by round, ascending
  std::vector<VoteSetSnapshot> vote_sets;   // by round, prevotes before precommits
};

ConsensusSnapshot snapshot_consensus(const Consensus& consensus);

}  // namespace mt
