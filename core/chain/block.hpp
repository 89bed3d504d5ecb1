// Blocks. The header commits to everything: the state root after executing this block, the
// transactions, the evidence and the previous height's commit. The block hash is the hash of the
// header alone, so votes (which sign a block hash) commit to the whole block.
#pragma once

#include <memory>
#include <vector>

#include "core/chain/transaction.hpp"
#include "core/chain/vote.hpp"
#include "core/codec/codec.hpp"

namespace mt {

inline constexpr std::uint32_t kBlockVersion = 1;

struct BlockHeader {
  std::uint32_t version = kBlockVersion;
  std::string chain_id;
  std::uint64_t height = 0;
  Hash32 parent_hash;
  std::uint64_t timestamp_ms = 0;  // proposer's clock; strictly above the parent's
  Address proposer;
  Hash32 state_root;               // after executing this block
  Hash32 tx_root;
  Hash32 evidence_root;
  Hash32 last_commit_hash;

  [[nodiscard]] Hash32 hash() const;
  void encode(codec::Writer& w) const;
  static BlockHeader decode(codec::Reader& r);
  bool operator==(const BlockHeader&) const = default;
};

struct Block {
  BlockHeader header;
  std::vector<TxPtr> txs;
  std::vector<Evidence> evidence;
  Commit last_commit;  // precommits for height - 1 (empty at height 1)

  [[nodiscard]] Hash32 hash() const { return header.hash(); }
  [[nodiscard]] Hash32 compute_tx_root() const;
  [[nodiscard]] Hash32 compute_evidence_root() const;
  // tx_root, evidence_root and last_commit_hash match the body; sizes within params.
  [[nodiscard]] Status check_body(const Params& params) const;

  void encode(codec::Writer& w) const;
  static Block decode(codec::Reader& r);
  [[nodiscard]] Bytes encode() const;
  static Result<Block> decode(ByteView bytes);
};

using BlockPtr = std::shared_ptr<const Block>;

}  // namespace mt
