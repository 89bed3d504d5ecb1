// Node: restart from durable storage. The state is rebuilt from the latest snapshot (or
// genesis) by replaying the stored blocks above it through the state transition, so a restarted
// node holds exactly what it had made durable. The consensus record (signing state, lock, own
// votes) is read here and handed to Consensus by on_start.
#include <memory>
#include <utility>
#include <vector>

#include "core/node/cpu_costs.hpp"
#include "core/node/node.hpp"
#include "core/state/transition.hpp"
#include "core/storage/store.hpp"

namespace mt {

namespace {
template <class T>
T require_read(Result<T> r, std::string_view what) {
  // Our own checksummed rows fail to read: the store is unusable, and guessing could fork us.
  MT_ASSERT(r.ok(), std::string("Node: cannot read ") + std::string(what) + ": " + (r.ok() ? "" : r.error().message));
  return std::move(r).value();
}
}  // namespace

void Node::restore_from_storage() {
  const std::uint64_t top = require_read(store().latest_height(), "latest height");
  if (top == 0) return;  // a fresh node: genesis
  state::StatePtr s = genesis_;
  const auto snap = require_read(store().latest_snapshot(top), "snapshot");
  if (snap.has_value()) {
    auto decoded = state::State::decode_snapshot(snap->bytes);
    MT_ASSERT(decoded.ok(), "Node: stored snapshot does not decode");
    s = std::move(decoded).value();
    MT_ASSERT(s->height() == snap->height, "snapshot height differs from its row");
  }
  for (std::uint64_t h = s->height() + 1; h <= top; ++h) {
    const auto stored = require_read(store().block_at(h), "block");
    MT_ASSERT(stored.has_value(), "Node: a stored block is missing above the latest snapshot");
    auto block = Block::decode(stored->bytes);
    MT_ASSERT(block.ok(), "Node: stored block does not decode");
    ctx_.charge_cpu(config_.costs.block_overhead_us +
                    config_.costs.execute_tx_us * static_cast<TimeUs>(block.value().txs.size()));
    auto next = config_.transitions != nullptr ? config_.transitions->apply(s, block.value(), ctx_.verifier())
                                               : state::apply_block(s, block.value(), ctx_.verifier());
    MT_ASSERT(next.ok(), "Node: a stored block no longer applies: " + (next.ok() ? std::string() : next.error().message));
    s = std::move(next).value();
    ++stats_.blocks_replayed;
  }
  state_ = std::move(s);
  const auto commit_bytes = require_read(store().commit_at(top), "commit");
  MT_ASSERT(commit_bytes.has_value(), "Node: the commit of the latest block is missing");
  auto commit = codec::decode_all<Commit>(*commit_bytes, [](codec::Reader& r) { return Commit::decode(r); }, "commit");
  MT_ASSERT(commit.ok(), "Node: stored commit does not decode");
  last_commit_ = std::move(commit).value();
  mempool_->update(account_lookup());
}

std::optional<ConsensusRecord> Node::read_consensus_record() {
  auto stored = store().consensus_record();
  if (!stored.ok()) return std::nullopt;           // the row fails its checksum or its framing
  if (!stored.value().has_value()) return ConsensusRecord{};  // never signed anything
  std::vector<BlockPtr> blocks;
  for (const Bytes& bytes : stored.value()->blocks) {
    auto block = Block::decode(bytes);
    if (!block.ok()) return std::nullopt;
    blocks.push_back(std::make_shared<const Block>(std::move(block).value()));
  }
  auto decoded = ConsensusRecord::decode_split(stored.value()->head, blocks);
  if (!decoded.ok()) return std::nullopt;
  return std::move(decoded).value();
}

}  // namespace mt
