#include "core/state/transition.hpp"

#include <algorithm>
#include <span>
#include <fmt/format.h>

#include "core/state/block_executor.hpp"

namespace mt::state {

namespace {
// Block::decode accepts at most this many evidence items; the producer stays within it.
constexpr std::size_t kMaxBlockEvidence = 1024;
// Transactions whose accounts are prefetched together: their paths stay in the core's cache
// until applied, and their keys fit the builder's key memo with few collisions.
constexpr std::size_t kPrefetchTxs = 16;

Error prefixed(const std::string& what, const Error& e) { return make_error(what + ": " + e.message); }
}  // namespace

Result<StatePtr> apply_block(const StatePtr& parent, const Block& block, crypto::Verifier& verifier) {
  MT_ASSERT(parent != nullptr, "apply_block needs a parent state");
  BlockExecutor ex(parent, block.header, verifier);
  if (auto st = ex.check_header(); !st.ok()) return st.error();
  if (auto st = block.check_body(parent->params()); !st.ok()) return st.error();
  if (auto st = ex.apply_last_commit(block.last_commit); !st.ok()) return st.error();
  for (std::size_t i = 0; i < block.evidence.size(); ++i) {
    if (auto st = ex.apply_evidence(block.evidence[i]); !st.ok()) {
      return prefixed(fmt::format("evidence {}", i), st.error());
    }
  }
  const std::span<const TxPtr> txs(block.txs);
  for (std::size_t i = 0; i < txs.size(); ++i) {
    if (i % kPrefetchTxs == 0) ex.prefetch(txs.subspan(i, std::min(kPrefetchTxs, txs.size() - i)));
    if (auto st = ex.apply_tx(*block.txs[i]); !st.ok()) {
      return prefixed(fmt::format("tx {} ({})", i, block.txs[i]->hash().short_hex()), st.error());
    }
  }
  auto s = ex.finish();
  if (!s.ok()) return s.error();
  if (s.value()->root() != block.header.state_root) {
    return make_error("state root mismatch: computed " + s.value()->root().short_hex() + ", header says " +
                      block.header.state_root.short_hex());
  }
  StateBuilder::seal(*s.value(), block.hash());
  return StatePtr(std::move(s).value());
}

Result<BuiltBlock> build_block(const StatePtr& parent, BlockHeader header_template,
                               const std::vector<TxPtr>& candidates, std::vector<Evidence> evidence,
                               Commit last_commit, crypto::Verifier& verifier) {
  MT_ASSERT(parent != nullptr, "build_block needs a parent state");
  const Params& params = parent->params();
  BlockExecutor ex(parent, header_template, verifier);
  if (auto st = ex.check_header(); !st.ok()) return st.error();
  if (auto st = ex.apply_last_commit(last_commit); !st.ok()) return st.error();

  BuiltBlock out;
  auto block = std::make_shared<Block>();
  block->header = std::move(header_template);
  block->last_commit = std::move(last_commit);
  for (auto& e : evidence) {
    if (block->evidence.size() >= kMaxBlockEvidence) {
      out.rejected_evidence.push_back({std::move(e), "block evidence limit reached"});
    } else if (auto st = ex.apply_evidence(e); st.ok()) {
      block->evidence.push_back(std::move(e));
    } else {
      out.rejected_evidence.push_back({std::move(e), st.error().message});
    }
  }
  std::size_t bytes = 0;
  for (const auto& tx : candidates) {
    if (block->txs.size() >= params.max_block_txs) break;
    if (tx->size_bytes() > params.max_block_bytes - bytes) {
      out.rejected_txs.push_back({tx, "does not fit in max_block_bytes"});
      continue;
    }
    if (auto st = ex.apply_tx(*tx); !st.ok()) {
      out.rejected_txs.push_back({tx, st.error().message});
      continue;
    }
    bytes += tx->size_bytes();
    block->txs.push_back(tx);
  }
  auto s = ex.finish();
  if (!s.ok()) return s.error();
  block->header.tx_root = block->compute_tx_root();
  block->header.evidence_root = block->compute_evidence_root();
  block->header.last_commit_hash = block->last_commit.hash();
  block->header.state_root = s.value()->root();
  auto body = block->check_body(params);
  MT_ASSERT(body.ok(), "built block fails its own body check: " + (body.ok() ? std::string() : body.error().message));
  StateBuilder::seal(*s.value(), block->hash());
  out.state = std::move(s).value();
  out.block = std::move(block);
  return out;
}

Status check_tx(const State& state, const SignedTx& stx, crypto::Verifier& verifier) {
  const Transaction& tx = stx.tx();
  const Params& params = state.params();
  if (stx.size_bytes() > params.max_tx_bytes) {
    return make_error(fmt::format("transaction too large: {} bytes, above max_tx_bytes {}", stx.size_bytes(),
                                  params.max_tx_bytes));
  }
  if (tx.chain_id != params.chain_id) return make_error("transaction for chain '" + tx.chain_id + "'");
  const Account sender = state.account(tx.sender);
  if (tx.nonce < sender.nonce) {
    return make_error(fmt::format("nonce {} already used (account nonce {})", tx.nonce, sender.nonce));
  }
  if (tx.fee < params.min_fee) return make_error("fee below min_fee");
  if (sender.balance < tx.fee) return make_error("balance does not cover the fee");
  if (!stx.signature_valid(verifier)) return make_error("invalid signature");
  return {};
}

}  // namespace mt::state
