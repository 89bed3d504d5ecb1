// A proposal: the proposer of (height, round) offers a full block, with the round of the proof of
// lock it re-proposes (pol_round, the paper's validRound; -1 when it is a fresh block).
//
// The proposer signs BLAKE2b-256("mt/proposal", chain_id, height, round, pol_round, block hash).
// The block hash is the header hash, which commits to the whole block, so the signature covers it.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/chain/block.hpp"
#include "core/codec/codec.hpp"
#include "core/crypto/keys.hpp"
#include "core/crypto/verifier.hpp"
#include "core/util/result.hpp"

namespace mt {

// Encoding of pol_round = -1 on the wire (a u32).
inline constexpr std::uint32_t kNoPolRoundWire = 0xFFFFFFFFu;

struct Proposal {
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  std::int32_t pol_round = -1;  // -1: none; else strictly below round
  BlockPtr block;               // never null in a well-formed proposal
  Address proposer;
  Signature signature;

  [[nodiscard]] Hash32 block_hash() const;
  [[nodiscard]] Hash32 signing_hash(std::string_view chain_id) const;
  void sign(const crypto::KeyPair& key, std::string_view chain_id, crypto::Backend backend);
  [[nodiscard]] bool signature_valid(std::string_view chain_id, crypto::Verifier& v) const;

  void encode(codec::Writer& w) const;
  // Strict: pol_round must be none or below round; a decoded proposal always has a block.
  static Proposal decode(codec::Reader& r);
  [[nodiscard]] Bytes encode() const;
  static Result<Proposal> decode(ByteView bytes);

  // Same fields and the same block (compared by hash).
  bool operator==(const Proposal& o) const;
};

}  // namespace mt
