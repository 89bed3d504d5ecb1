// A node's durable storage: one SQLite database holding finalized blocks, their commits, state
// snapshots, the validator's consensus record (its signing state, lock and own votes of the open
// height) and a little metadata. The store keeps bytes only
// (encodings owned by the chain, consensus and state code), so it depends on none of them.
//
// Durability contract: a write method returns ok only after its SQLite transaction committed;
// everything one call writes is in one transaction (write_block stores block, commit and
// snapshot together or not at all). A crash loses exactly what was not committed:
//  - a file database uses WAL with synchronous=NORMAL, which survives a process crash (an OS
//    crash may lose the last transactions, except consensus-record writes, which run with
//    synchronous=FULL because a lost record could make a validator sign twice or forget a lock);
//  - an in-memory database (":memory:", what the simulator uses) has the same transactional
//    semantics; the simulator models a crash by dropping the node and keeping its Store.
//    An in-memory store may intern its block bytes in a BlobPool shared by the process's stores
//    (blob_pool.hpp): the row then holds no bytes and the store keeps a reference to the pool's
//    copy, with the same transactional rules (the reference is taken only once the row committed).
//
// Errors are values: a SQLite failure or a row that fails its checksum comes back as an Error,
// never an exception or a crash. Every blob is stored with an XXH3-64 checksum, so a corrupted or
// truncated row is reported rather than handed to a decoder.
#pragma once

#include <array>
#include <map>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/storage/blob_pool.hpp"
#include "core/util/bytes.hpp"
#include "core/util/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace mt::storage {

inline constexpr std::string_view kInMemory = ":memory:";

struct StoredBlock {
  std::uint64_t height = 0;
  Hash32 hash;
  Bytes bytes;  // the block's canonical encoding
};

// The consensus record as its owner split it: a head and the blocks it names by position.
struct StoredRecord {
  Bytes head;
  std::vector<Bytes> blocks;
};

struct StoredSnapshot {
  std::uint64_t height = 0;
  Bytes bytes;  // opaque state encoding
};

class Store {
 public:
  // Opens (creating if needed) the database at `path`; kInMemory gives a private in-memory one.
  static Result<std::unique_ptr<Store>> open(const std::string& path);
  static Result<std::unique_ptr<Store>> open_in_memory(std::shared_ptr<BlobPool> pool = nullptr);

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Stores a finalized block, its commit and optionally the state after it, atomically.
  // A second block at a stored height (or with a stored hash) is an error and writes nothing.
  // `superseded_commit`: a height whose commit row this block makes redundant (the chain's block
  // h carries a commit for h-1), deleted in the same transaction; only the newest height's
  // commit then has a row of its own.
  Status write_block(std::uint64_t height, const Hash32& hash, ByteView block, ByteView commit,
                     std::optional<ByteView> snapshot = std::nullopt,
                     std::optional<std::uint64_t> superseded_commit = std::nullopt);
  // Replaces the commit stored for a height (a later commit may carry more signatures).
  Status write_commit(std::uint64_t height, ByteView commit);
  // A snapshot is written once per height; a second one for the same height is an error.
  Status write_snapshot(std::uint64_t height, ByteView state);
  // The one consensus record (the last written replaces it), synced before it returns: `head`
  // and blocks named by hash, whose bytes `block_bytes(i)` gives. An in-memory store with a pool
  // keeps the head in the row and interns the blocks in the pool, asking only for blocks the
  // previous record did not already hold (a height's records mostly repeat one block).
  Status write_consensus_record(ByteView head, const std::vector<Hash32>& block_hashes,
                                const std::function<Bytes(std::size_t)>& block_bytes);
  Status write_meta(std::string_view key, ByteView value);
  // With S the latest snapshot at or below `height` (no-op when there is none): deletes blocks,
  // commits and snapshots below S. A restart replays from S, so it loses nothing it needs; peers
  // can no longer sync those blocks from this node. Bounds memory in long simulations.
  Status prune_below(std::uint64_t height);

  [[nodiscard]] Result<std::optional<StoredBlock>> block_at(std::uint64_t height) const;
  [[nodiscard]] Result<std::optional<StoredBlock>> block_by_hash(const Hash32& hash) const;
  // The highest stored block height; 0 when no block is stored (heights start at 1).
  [[nodiscard]] Result<std::uint64_t> latest_height() const;
  [[nodiscard]] Result<std::optional<Bytes>> commit_at(std::uint64_t height) const;
  // The snapshot with the highest height <= `height`.
  [[nodiscard]] Result<std::optional<StoredSnapshot>> latest_snapshot(std::uint64_t height) const;
  [[nodiscard]] Result<std::optional<StoredRecord>> consensus_record() const;
  [[nodiscard]] Result<std::optional<Bytes>> meta(std::string_view key) const;

  // Storage faults (the simulator's; store_faults.cpp). The tables a fault can name:
  enum class Table : std::uint8_t { blocks, commits, snapshots, consensus_record };
  struct RowId {
    Table table = Table::blocks;
    std::uint64_t height = 0;  // 0 for the consensus record
    bool operator==(const RowId&) const = default;
  };
  // Keeps, from now on, an undo log of the synchronous=NORMAL transactions (block, commit,
  // snapshot, prune) since the last synchronous=FULL one (a consensus-record write clears it):
  // what an OS crash would lose. At most `max_transactions` are kept, the oldest forgotten first
  // (an OS writes dirty pages back on its own within seconds). 0 turns it off (the default).
  void keep_unsynced_log(std::size_t max_transactions);
  [[nodiscard]] std::size_t unsynced_transactions() const { return unsynced_.size(); }
  // A power loss: rolls back the logged transactions, newest first, and clears the log. Returns
  // how many it rolled back.
  Result<std::size_t> lose_unsynced();
  // A torn last transaction: the row the last write ended with (the block row of write_block)
  // keeps half its bytes and a checksum that no longer matches. nullopt: nothing to tear (no
  // write yet, or the last one was a prune, which leaves no row).
  Result<std::optional<RowId>> tear_last_write();
  // Damages the newest row of `table` the same way (`crash: {corrupt: TABLE}`); nullopt: empty.
  Result<std::optional<RowId>> damage_newest(Table table);
  // At start: deletes every block, commit and snapshot row that fails its checksum (or whose
  // pooled bytes are gone) and returns them, lowest table and height first.
  Result<std::vector<RowId>> drop_damaged_rows();
  // Deletes the blocks, commits and snapshots above `height` (a restart that fell back).
  Status truncate_above(std::uint64_t height);

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] bool in_memory() const { return path_ == kInMemory; }

  // Successful writes by kind, with the bytes they wrote (counters only: nothing reads them back
  // into state; mtnode exports them on /metrics).
  enum class WriteKind : std::uint8_t { block, commit, snapshot, consensus_record, meta, count_ };
  struct WriteCount {
    std::uint64_t writes = 0;
    std::uint64_t bytes = 0;
  };
  [[nodiscard]] const WriteCount& writes(WriteKind k) const { return writes_[static_cast<std::size_t>(k)]; }

  // The cached prepared statements (one per query, prepared at open).
  enum class Query : std::uint8_t {
    begin, commit_tx, rollback,
    insert_block, upsert_commit, insert_snapshot, upsert_record, upsert_meta,
    block_at, block_by_hash, latest_height, commit_at, latest_snapshot, consensus_record, meta,
    prune_blocks, prune_commits, prune_snapshots, delete_commit,
    sync_full, sync_normal,
    count_,
  };

 private:
  Store(sqlite3* db, std::string path);
  Status init();
  [[nodiscard]] sqlite3_stmt* stmt(Query q) const;
  [[nodiscard]] Error sql_error(std::string_view what) const;
  // Runs a statement that returns no rows (bound already); resets it.
  Status run(Query q, std::string_view what);
  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT; rolls back when it fails.
  template <class F>
  Status transaction(std::string_view what, F&& body);

  // One height range of one table as it was before a NORMAL transaction changed it.
  struct RowImage {
    std::uint64_t height = 0;
    Bytes hash;  // blocks only
    Bytes bytes;
    std::int64_t sum = 0;
  };
  struct Range {
    Table table = Table::blocks;
    std::uint64_t lo = 0, hi = 0;  // inclusive
  };
  struct RangeImage {
    Range range;
    std::vector<RowImage> rows;
    std::map<std::uint64_t, BlobPtr> pooled;  // blocks: the pooled bytes of the range
  };
  using UndoEntry = std::vector<RangeImage>;
  // The ranges as they are now, when the undo log is on (nullopt when it is off).
  Result<std::optional<UndoEntry>> capture(const std::vector<Range>& ranges);
  void log_undo(std::optional<UndoEntry> entry);
  Status undo(const UndoEntry& entry);
  Status delete_range(Table table, std::uint64_t lo, std::uint64_t hi);
  Status damage(const RowId& row);

  // Puts the pooled bytes of a block row read back (pooled rows store none).
  Result<std::optional<StoredBlock>> with_pooled(Result<std::optional<StoredBlock>> r) const;

  sqlite3* db_;
  std::string path_;
  std::shared_ptr<BlobPool> pool_;                 // null: block bytes live in their rows
  std::map<std::uint64_t, BlobPtr> pooled_;        // height -> the block's bytes, when pooled
  std::vector<BlobPtr> pooled_record_blocks_;      // the consensus record's blocks, when pooled
  std::vector<Hash32> pooled_record_hashes_;       // and their hashes
  std::array<sqlite3_stmt*, static_cast<std::size_t>(Query::count_)> stmts_{};
  std::array<WriteCount, static_cast<std::size_t>(WriteKind::count_)> writes_{};
  std::size_t unsynced_max_ = 0;                   // 0: no undo log
  std::vector<UndoEntry> unsynced_;                // oldest first
  std::optional<RowId> last_write_;                // what tear_last_write tears
  void count_write(WriteKind k, std::size_t bytes) {
    auto& w = writes_[static_cast<std::size_t>(k)];
    ++w.writes;
    w.bytes += bytes;
  }
};

}  // namespace mt::storage
