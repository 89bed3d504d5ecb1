// What a validator makes durable about the height it is deciding, in one synced write before any
// vote or proposal of it leaves the node (Tendermint's "lock survives a crash"): the signing state,
// the lock and the valid value with the polka that justifies it, and its own signed messages of
// the rounds that matter. A restarted validator restores it and resumes at the round it had
// reached, locked where it was locked, with its own votes back in its vote sets, and sends them
// again; so a crash neither forks the chain (a forgotten lock) nor halts it (votes lost with the
// process that signed them).
//
// Blocks appear once in the encoding, however many places refer to them (the locked value, the
// valid value and our own proposal are usually one block).
#pragma once

#include <cstdint>
#include <vector>

#include "core/chain/block.hpp"
#include "core/chain/vote.hpp"
#include "core/codec/codec.hpp"
#include "core/consensus/proposal.hpp"
#include "core/consensus/signing_state.hpp"
#include "core/util/result.hpp"

namespace mt {

struct ConsensusRecord {
  // Bounds on what a record holds (Consensus writes far less: own messages of at most four
  // rounds, one polka); decoding refuses more.
  static constexpr std::uint32_t kMaxBlocks = 8;
  static constexpr std::uint32_t kMaxVotes = 1u << 16;

  SigningState signing;          // the last signed statement; its height and round are the record's
  std::int32_t locked_round = -1;
  BlockPtr locked_value;         // null iff locked_round == -1
  std::int32_t valid_round = -1;
  BlockPtr valid_value;          // null iff valid_round == -1
  std::vector<Vote> polka;       // prevotes for valid_value in valid_round (a quorum when valid_round >= 0)
  std::vector<Vote> own_votes;   // our signed votes of this height worth sending again
  std::vector<Proposal> own_proposals;

  [[nodiscard]] std::uint64_t height() const { return signing.height; }

  // For storage: `head` holds everything but the blocks, which it names by position in
  // `blocks` (distinct, in first-reference order), so a store may keep each block apart (and an
  // in-memory store may share identical ones). encode() is head followed by the blocks.
  struct Split {
    Bytes head;
    std::vector<BlockPtr> blocks;
  };
  [[nodiscard]] Split encode_split() const;
  void encode(codec::Writer& w) const;
  [[nodiscard]] Bytes encode() const;
  // Strict: block references in range, rounds well-formed, lock and value present together.
  // decode(r, nullptr) reads the blocks after the head; with `blocks` they are given.
  static ConsensusRecord decode(codec::Reader& r, const std::vector<BlockPtr>* blocks);
  static Result<ConsensusRecord> decode(ByteView bytes);
  static Result<ConsensusRecord> decode_split(ByteView head, const std::vector<BlockPtr>& blocks);
};

}  // namespace mt
