// The votes of one (height, round, type): one entry per validator, tallied by block hash (the zero
// hash is nil) with the validators' voting power.
//
// The first vote of a validator is the one that counts for power_any() (and the f+1 round skip). A
// second vote with another block hash is equivocation: the first time it happens the set returns
// the evidence. It is also counted for its own block if that block is backed by some validator's
// first vote (VoteAddResult::conflicting_counted): Algorithm 1 counts 2f+1 signed messages for
// id(v), and an equivocator's vote for v is one. Without it a polka that includes an equivocator's
// vote for v can never be seen by a node that got the equivocator's other vote first, and nodes
// locked on v wait forever for those that are not (issue #18, explore seed 6). Each validator
// counts at most once per block hash, so a quorum for v still holds more than 2/3 of the power in
// distinct signers; the backing rule bounds the extra votes by (backed hashes) x (validators).
// Signatures are checked by the caller before add (the set is pure bookkeeping).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "core/chain/validator_set.hpp"
#include "core/chain/vote.hpp"
#include "core/util/assert.hpp"

namespace mt {

enum class VoteAddResult : std::uint8_t {
  added,          // first vote of this validator here: counted
  duplicate,      // the same vote again: ignored
  conflicting,    // another block hash from a validator that already voted, for an unbacked block: not counted
  conflicting_counted,  // the same, for a block some validator's first vote backs: counted for that block
  not_validator,  // signer not in the validator set
  wrong_slot,     // height, round or type differ from this set's
};

struct VoteAddOutcome {
  VoteAddResult result = VoteAddResult::added;
  std::optional<DuplicateVoteEvidence> evidence;  // set once per equivocating validator
};

class VoteSet {
 public:
  // The quorum is strictly more than quorum_num/quorum_den of the set's total power.
  VoteSet(std::uint64_t height, std::uint32_t round, VoteType type,
          std::shared_ptr<const ValidatorSet> validators, std::uint32_t quorum_num, std::uint32_t quorum_den);

  // A counted vote is kept by shared pointer: a node keeps the very vote object it received
  // (in the simulator, one object for every receiver), not a copy of its 150 bytes.
  VoteAddOutcome add(const Vote& vote);  // keeps a copy
  // add() for a caller that already looked up the voter: `index` is
  // validators().index_of(vote->validator) (-1: not a validator).
  VoteAddOutcome add(std::shared_ptr<const Vote> vote, std::ptrdiff_t index);

  [[nodiscard]] std::uint64_t height() const { return height_; }
  [[nodiscard]] std::uint32_t round() const { return round_; }
  [[nodiscard]] VoteType type() const { return type_; }
  [[nodiscard]] std::size_t size() const { return count_; }

  // Power of the counted votes for block_hash (zero hash: nil).
  [[nodiscard]] std::uint64_t power_for(const Hash32& block_hash) const;
  // Power of every counted vote, whatever it is for.
  [[nodiscard]] std::uint64_t power_any() const { return power_any_; }
  [[nodiscard]] bool has_quorum_for(const Hash32& block_hash) const;
  [[nodiscard]] bool has_quorum_any() const;
  // The hash (possibly nil) that has a quorum; the lowest one if a weak quorum lets several.
  [[nodiscard]] std::optional<Hash32> quorum_hash() const;
  // Strictly more than 1/3 of the power has voted here (the paper's f+1).
  [[nodiscard]] bool exceeds_one_third() const;
  // The counted vote of `validator`, or null. Pointers stay valid while the set lives.
  [[nodiscard]] const Vote* vote_of(const Address& validator) const;
  // The vote of the validator at `index` for block_hash: its first vote or a counted conflicting
  // one; null if it has none for that block.
  [[nodiscard]] const Vote* vote_for(std::size_t index, const Hash32& block_hash) const;
  // The first (counted) vote of the validator at `index` in validators(), or null.
  [[nodiscard]] const Vote* vote_at(std::size_t index) const {
    MT_ASSERT(index < by_index_.size(), "validator index out of range");
    return by_index_[index].get();
  }
  [[nodiscard]] const ValidatorSet& validators() const { return *validators_; }
  // Every vote held: the first votes in validator order, then the counted conflicting ones.
  [[nodiscard]] std::vector<const Vote*> all_votes() const;

  // The precommit signatures for block_hash (first or counted conflicting votes), sorted by
  // validator. Precondition: a precommit set.
  [[nodiscard]] Commit make_commit(const Hash32& block_hash) const;

 private:
  std::uint64_t height_;
  std::uint32_t round_;
  VoteType type_;
  std::shared_ptr<const ValidatorSet> validators_;
  std::uint64_t quorum_power_;
  // Counted (first) vote per validator, by validator index (the validator set's order, which is
  // address order); null where none came.
  std::vector<std::shared_ptr<const Vote>> by_index_;
  std::size_t count_ = 0;
  // Counted conflicting votes (conflicting_counted), in arrival order; their validator's index.
  std::vector<std::pair<std::size_t, std::shared_ptr<const Vote>>> extra_;
  std::map<Hash32, std::uint64_t> power_by_hash_;  // first and counted conflicting votes
  std::uint64_t power_any_ = 0;
  std::set<Address> equivocators_;             // evidence already reported

  [[nodiscard]] bool backed_by_first_vote(const Hash32& block_hash) const;
  VoteAddOutcome add_conflicting(std::shared_ptr<const Vote> vote, std::size_t index, const ValidatorEntry& entry);
};

}  // namespace mt
