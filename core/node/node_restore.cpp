// Node: restart from durable storage. The state is rebuilt from the latest snapshot (or
// genesis) by replaying the stored blocks above it through the state transition, so a restarted
// node holds exactly what it had made durable. The consensus record (signing state, lock, own
// votes) is read here and handed to Consensus by on_start.
//
// What a crash may leave behind is input, not an invariant: rows that fail their checksum (a torn
// last write, a damaged row) are dropped first, and the replay stops at the first block it cannot
// read or apply. The node then restarts at the last good height, deletes the rows above it and
// syncs the rest from its peers. A height whose commit is lost (only the newest height has a
// commit row; older ones ride in the next block) goes too: the node falls back to the height
// before, whose commit the block it gave up carries.
#include <memory>
#include <optional>
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
  // A failing SQLite read (not a bad row: those are dropped first) is a failed disk: stop.
  MT_ASSERT(r.ok(), std::string("Node: cannot read ") + std::string(what) + ": " + (r.ok() ? "" : r.error().message));
  return std::move(r).value();
}

// The state to replay from: the latest stored snapshot at or below `top` that decodes, else genesis.
state::StatePtr start_state(const storage::Store& store, std::uint64_t top, state::StatePtr genesis) {
  const auto snap = require_read(store.latest_snapshot(top), "snapshot");
  if (!snap.has_value()) return genesis;
  auto decoded = state::State::decode_snapshot(snap->bytes);
  if (!decoded.ok() || decoded.value()->height() != snap->height) return genesis;
  return std::move(decoded).value();
}

std::optional<Commit> stored_commit(const storage::Store& store, std::uint64_t height) {
  auto bytes = store.commit_at(height);
  if (!bytes.ok() || !bytes.value().has_value()) return std::nullopt;
  auto commit = codec::decode_all<Commit>(*bytes.value(), [](codec::Reader& r) { return Commit::decode(r); }, "commit");
  if (!commit.ok() || commit.value().height != height) return std::nullopt;  // a row copied elsewhere
  return std::move(commit).value();
}
}  // namespace

void Node::restore_from_storage() {
  const std::uint64_t stored_top = require_read(store().latest_height(), "latest height");
  stats_.rows_dropped += require_read(store().drop_damaged_rows(), "damaged rows").size();
  const std::uint64_t top = require_read(store().latest_height(), "latest height");
  stats_.heights_dropped += stored_top - top;  // damaged top blocks
  if (top == 0) return;  // a fresh node: genesis
  state::StatePtr s = start_state(store(), top, genesis_);
  state::StatePtr before_last;    // the state before the last block replayed
  std::optional<Commit> carried;  // the commit the last block replayed carries (of the height before)
  for (std::uint64_t h = s->height() + 1; h <= top; ++h) {
    const auto stored = store().block_at(h);
    if (!stored.ok() || !stored.value().has_value()) break;
    auto block = Block::decode(stored.value()->bytes);
    if (!block.ok()) break;
    ctx_.charge_cpu(config_.costs.block_overhead_us +
                    config_.costs.execute_tx_us * static_cast<TimeUs>(block.value().txs.size()));
    auto next = config_.transitions != nullptr ? config_.transitions->apply(s, block.value(), ctx_.verifier())
                                               : state::apply_block(s, block.value(), ctx_.verifier());
    if (!next.ok()) break;
    before_last = std::exchange(s, std::move(next).value());
    carried = block.value().last_commit;
    ++stats_.blocks_replayed;
  }
  std::optional<Commit> commit = stored_commit(store(), s->height());
  if (!commit.has_value() && before_last != nullptr) {  // fall back to the height whose commit we hold
    s = before_last;
    commit = std::move(carried);
  }
  if (s->height() < top) {
    stats_.heights_dropped += top - s->height();
    const Status st = store().truncate_above(s->height());
    MT_ASSERT(st.ok(), "Node: storage failure (dropping heights): " + (st.ok() ? std::string() : st.error().message));
  }
  state_ = std::move(s);
  last_commit_ = commit.value_or(Commit{});  // none: we cannot propose until we sync the next block
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
