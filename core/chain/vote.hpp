// Votes, commits and double-sign evidence: the signed statements BFT consensus is made of.
//
// A vote signs BLAKE2b-256("mt/vote", chain_id, type, height, round, block_hash). A nil vote has
// the all-zero block hash. A Commit is the set of precommit signatures (>quorum of voting power)
// for one block; it is stored with the block and carried in the next block's last_commit.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/chain/params.hpp"
#include "core/chain/validator_set.hpp"
#include "core/codec/codec.hpp"
#include "core/crypto/keys.hpp"
#include "core/crypto/verifier.hpp"

namespace mt {

enum class VoteType : std::uint8_t { prevote = 1, precommit = 2 };
std::string_view vote_type_name(VoteType t);

struct Vote {
  VoteType type = VoteType::prevote;
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  Hash32 block_hash;  // all zero: nil
  Address validator;
  Signature signature;

  [[nodiscard]] bool is_nil() const { return block_hash.is_zero(); }
  [[nodiscard]] Hash32 signing_hash(std::string_view chain_id) const;
  void sign(const crypto::KeyPair& key, std::string_view chain_id, crypto::Backend backend);
  [[nodiscard]] bool signature_valid(std::string_view chain_id, crypto::Verifier& v) const;
  // The same check given this vote's signing_hash(chain_id), computed once for many votes: the
  // hash covers (type, height, round, block hash), not the validator, so every vote of a commit
  // or of one step for one block signs the same hash.
  // `memo`, when given, is the verification memo of the shared message this vote came in.
  [[nodiscard]] bool signature_valid_for(const Hash32& signing_hash, crypto::Verifier& v,
                                         crypto::VerifyMemo* memo = nullptr) const {
    return memo != nullptr ? v.verify(validator, signing_hash.view(), signature, *memo)
                           : v.verify(validator, signing_hash.view(), signature);
  }

  void encode(codec::Writer& w) const;
  static Vote decode(codec::Reader& r);
  bool operator==(const Vote&) const = default;
};

struct CommitSig {
  Address validator;
  Signature signature;
  bool operator==(const CommitSig&) const = default;
};

struct Commit {
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  Hash32 block_hash;
  std::vector<CommitSig> sigs;  // sorted by validator address, no duplicates

  [[nodiscard]] bool empty() const { return sigs.empty(); }
  [[nodiscard]] Hash32 hash() const;
  // The precommit that sigs[i] signed.
  [[nodiscard]] Vote vote_at(std::size_t i) const;
  [[nodiscard]] bool signed_by(const Address& a) const;

  void encode(codec::Writer& w) const;
  static Commit decode(codec::Reader& r);
  bool operator==(const Commit&) const = default;
};

// Checks that `commit` finalizes (height, block_hash): sorted distinct signers, each a member of
// `validators` with a valid precommit signature, whose power is strictly above the quorum.
Status verify_commit(const Commit& commit, std::uint64_t height, const Hash32& block_hash,
                     const ValidatorSet& validators, const Params& params, crypto::Verifier& verifier);

// Two conflicting signed votes from one validator for the same (height, round, type).
struct DuplicateVoteEvidence {
  Vote a;
  Vote b;  // a.block_hash < b.block_hash (canonical order)

  [[nodiscard]] Hash32 hash() const;
  [[nodiscard]] const Address& validator() const { return a.validator; }
  [[nodiscard]] std::uint64_t height() const { return a.height; }
  // Builds canonical evidence from two conflicting votes; nullopt if they do not conflict.
  static std::optional<DuplicateVoteEvidence> from_votes(const Vote& x, const Vote& y);
  // Same validator, height, round and type; different block hashes; canonical order; both signed.
  [[nodiscard]] Status validate(std::string_view chain_id, crypto::Verifier& v) const;

  void encode(codec::Writer& w) const;
  static DuplicateVoteEvidence decode(codec::Reader& r);
  bool operator==(const DuplicateVoteEvidence&) const = default;
};

using Evidence = DuplicateVoteEvidence;

}  // namespace mt
