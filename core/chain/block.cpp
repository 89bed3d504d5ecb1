#include "core/chain/block.hpp"

#include <fmt/format.h>

#include "core/crypto/hash.hpp"

namespace mt {

Hash32 BlockHeader::hash() const {
  codec::Writer w(256);
  encode(w);
  return crypto::tagged_hash("mt/block", w.data());
}

void BlockHeader::encode(codec::Writer& w) const {
  w.u32(version);
  w.str(chain_id);
  w.u64(height);
  w.fixed(parent_hash);
  w.u64(timestamp_ms);
  w.fixed(proposer);
  w.fixed(state_root);
  w.fixed(tx_root);
  w.fixed(evidence_root);
  w.fixed(last_commit_hash);
}

BlockHeader BlockHeader::decode(codec::Reader& r) {
  BlockHeader h;
  h.version = r.u32();
  if (r.ok() && h.version != kBlockVersion) r.fail(fmt::format("unsupported block version {}", h.version));
  h.chain_id = r.str();
  h.height = r.u64();
  h.parent_hash = r.fixed<32>();
  h.timestamp_ms = r.u64();
  h.proposer = r.fixed<32>();
  h.state_root = r.fixed<32>();
  h.tx_root = r.fixed<32>();
  h.evidence_root = r.fixed<32>();
  h.last_commit_hash = r.fixed<32>();
  return h;
}

Hash32 Block::compute_tx_root() const {
  std::vector<Hash32> leaves;
  leaves.reserve(txs.size());
  for (const auto& t : txs) leaves.push_back(t->hash());
  return crypto::merkle_root(leaves);
}

Hash32 Block::compute_evidence_root() const {
  std::vector<Hash32> leaves;
  leaves.reserve(evidence.size());
  for (const auto& e : evidence) leaves.push_back(e.hash());
  return crypto::merkle_root(leaves);
}

Status Block::check_body(const Params& params) const {
  if (header.chain_id != params.chain_id) return make_error("block for chain '" + header.chain_id + "'");
  if (txs.size() > params.max_block_txs) return make_error("block has too many transactions");
  std::size_t bytes = 0;
  for (const auto& t : txs) bytes += t->size_bytes();
  if (bytes > params.max_block_bytes) return make_error("block transactions exceed max_block_bytes");
  if (compute_tx_root() != header.tx_root) return make_error("tx_root does not match the transactions");
  if (compute_evidence_root() != header.evidence_root) return make_error("evidence_root does not match");
  if (last_commit.hash() != header.last_commit_hash) return make_error("last_commit_hash does not match");
  if (header.height == 1 && !last_commit.empty()) return make_error("height 1 carries a last commit");
  if (header.height > 1 && last_commit.height + 1 != header.height) return make_error("last commit height mismatch");
  return {};
}

void Block::encode(codec::Writer& w) const {
  header.encode(w);
  w.list_len(txs.size());
  for (const auto& t : txs) w.bytes(t->encoded());
  w.list_len(evidence.size());
  for (const auto& e : evidence) e.encode(w);
  last_commit.encode(w);
}

Block Block::decode(codec::Reader& r) {
  Block b;
  b.header = BlockHeader::decode(r);
  auto ntx = r.list_len(codec::kMaxListLen, 4);
  b.txs.reserve(ntx);
  for (std::uint32_t i = 0; i < ntx && r.ok(); ++i) {
    auto bytes = r.bytes_view();
    if (!r.ok()) break;
    auto tx = SignedTx::decode(bytes);
    if (!tx.ok()) {
      r.fail(fmt::format("transaction {}: {}", i, tx.error().message));
      break;
    }
    b.txs.push_back(std::move(tx).value());
  }
  auto nev = r.list_len(1024, 2 * 141);
  for (std::uint32_t i = 0; i < nev && r.ok(); ++i) b.evidence.push_back(Evidence::decode(r));
  b.last_commit = Commit::decode(r);
  return b;
}

Bytes Block::encode() const {
  codec::Writer w(1024);
  encode(w);
  return w.take();
}

Result<Block> Block::decode(ByteView bytes) {
  return codec::decode_all<Block>(bytes, static_cast<Block (*)(codec::Reader&)>(&Block::decode), "block");
}

}  // namespace mt
