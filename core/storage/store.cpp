#include "core/storage/store.hpp"

#include "core/storage/sql_values.hpp"

#include <sqlite3.h>
#include <xxhash.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <vector>
#include <fmt/format.h>

namespace mt::storage {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS blocks(
  height INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, bytes BLOB NOT NULL, sum INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS commits(height INTEGER PRIMARY KEY, bytes BLOB NOT NULL, sum INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots(height INTEGER PRIMARY KEY, bytes BLOB NOT NULL, sum INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS consensus_record(
  id INTEGER PRIMARY KEY CHECK (id = 0), bytes BLOB NOT NULL, sum INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, bytes BLOB NOT NULL, sum INTEGER NOT NULL);
)sql";

// Indexed by Store::Query.
constexpr const char* kQueries[] = {
    "BEGIN IMMEDIATE",
    "COMMIT",
    "ROLLBACK",
    "INSERT INTO blocks(height, hash, bytes, sum) VALUES(?1, ?2, ?3, ?4)",
    "INSERT OR REPLACE INTO commits(height, bytes, sum) VALUES(?1, ?2, ?3)",
    "INSERT INTO snapshots(height, bytes, sum) VALUES(?1, ?2, ?3)",
    "INSERT OR REPLACE INTO consensus_record(id, bytes, sum) VALUES(0, ?1, ?2)",
    "INSERT OR REPLACE INTO meta(key, bytes, sum) VALUES(?1, ?2, ?3)",
    "SELECT height, hash, bytes, sum FROM blocks WHERE height = ?1",
    "SELECT height, hash, bytes, sum FROM blocks WHERE hash = ?1",
    "SELECT COALESCE(MAX(height), 0) FROM blocks",
    "SELECT height, bytes, sum FROM commits WHERE height = ?1",
    "SELECT height, bytes, sum FROM snapshots WHERE height <= ?1 ORDER BY height DESC LIMIT 1",
    "SELECT 0, bytes, sum FROM consensus_record WHERE id = 0",
    "SELECT 0, bytes, sum FROM meta WHERE key = ?1",
    "DELETE FROM blocks WHERE height < ?1",
    "DELETE FROM commits WHERE height < ?1",
    "DELETE FROM snapshots WHERE height < ?1",
    "DELETE FROM commits WHERE height = ?1",
    "PRAGMA synchronous = FULL",
    "PRAGMA synchronous = NORMAL",
};
static_assert(std::size(kQueries) == static_cast<std::size_t>(Store::Query::count_));

// The checksum is seeded with the row's height, so a row copied to another height fails too.
sqlite3_int64 checksum(ByteView bytes, std::uint64_t seed) {
  return static_cast<sqlite3_int64>(XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed));
}

// Resets and clears a cached statement when a call is done with it, whatever path it leaves by.
class Use {
 public:
  explicit Use(sqlite3_stmt* s) : s_(s) {}
  ~Use() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;

  void bind(int i, std::uint64_t v) { sqlite3_bind_int64(s_, i, to_sql(v)); }
  void bind_sum(int i, sqlite3_int64 v) { sqlite3_bind_int64(s_, i, v); }
  void bind(int i, ByteView b) { bind_bytes(s_, i, b); }
  void bind(int i, std::string_view text) {
    sqlite3_bind_text64(s_, i, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
  }
  int step() { return sqlite3_step(s_); }
  [[nodiscard]] sqlite3_stmt* get() const { return s_; }

 private:
  sqlite3_stmt* s_;
};

// Reads blob column `col` of the current row, checking its type (a corrupted row may hold any).
bool read_blob(sqlite3_stmt* s, int col, Bytes& out) {
  if (sqlite3_column_type(s, col) != SQLITE_BLOB) return false;
  const void* p = sqlite3_column_blob(s, col);
  auto n = sqlite3_column_bytes(s, col);
  if (n < 0 || (n > 0 && p == nullptr)) return false;
  const auto* b = static_cast<const std::uint8_t*>(p);
  out.assign(b, b + n);
  return true;
}

// Reads (height, bytes, sum) at columns (0, bytes_col, bytes_col + 1) and checks the checksum.
Result<StoredSnapshot> read_checked(sqlite3_stmt* s, int bytes_col, std::string_view what) {
  StoredSnapshot row;
  if (sqlite3_column_type(s, 0) != SQLITE_INTEGER || sqlite3_column_type(s, bytes_col + 1) != SQLITE_INTEGER) {
    return make_error(std::string(what) + ": corrupted row (column types)");
  }
  auto height = sqlite3_column_int64(s, 0);
  if (height < 0) return make_error(std::string(what) + ": corrupted row (negative height)");
  row.height = static_cast<std::uint64_t>(height);
  if (!read_blob(s, bytes_col, row.bytes)) return make_error(std::string(what) + ": corrupted row (bytes)");
  if (checksum(row.bytes, row.height) != sqlite3_column_int64(s, bytes_col + 1)) {
    return make_error(std::string(what) + ": corrupted row (checksum mismatch)");
  }
  return row;
}

// A list of byte strings in one blob: u32 count, then u32 length + bytes each (little endian).
Bytes frame_parts(const std::vector<ByteView>& parts) {
  std::size_t n = 4;
  for (ByteView p : parts) n += 4 + p.size();
  Bytes out;
  out.reserve(n);
  auto u32 = [&](std::size_t v) {
    MT_ASSERT(v <= 0xFFFFFFFFu, "record part too large");
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  u32(parts.size());
  for (ByteView p : parts) {
    u32(p.size());
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

std::optional<std::vector<Bytes>> unframe_parts(const Bytes& blob) {
  std::size_t at = 0;
  auto u32 = [&](std::size_t& v) {
    if (blob.size() - at < 4) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) v |= std::size_t{blob[at + static_cast<std::size_t>(i)]} << (8 * i);
    at += 4;
    return true;
  };
  std::size_t count = 0;
  if (!u32(count) || count > blob.size()) return std::nullopt;
  std::vector<Bytes> parts;
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t len = 0;
    if (!u32(len) || blob.size() - at < len) return std::nullopt;
    const auto from = blob.begin() + static_cast<std::ptrdiff_t>(at);
    parts.emplace_back(from, from + static_cast<std::ptrdiff_t>(len));
    at += len;
  }
  if (at != blob.size()) return std::nullopt;
  return parts;
}

}  // namespace

Store::Store(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

Store::~Store() {
  for (auto* s : stmts_) sqlite3_finalize(s);
  sqlite3_close_v2(db_);
}

Result<std::unique_ptr<Store>> Store::open(const std::string& path) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return make_error("storage: cannot open '" + path + "': " + msg);
  }
  std::unique_ptr<Store> store(new Store(db, path));
  if (auto st = store->init(); !st.ok()) return st.error();
  return store;
}

Result<std::unique_ptr<Store>> Store::open_in_memory(std::shared_ptr<BlobPool> pool) {
  auto store = open(std::string(kInMemory));
  if (store.ok()) store.value()->pool_ = std::move(pool);
  return store;
}

Status Store::init() {
  sqlite3_extended_result_codes(db_, 1);
  std::string pragmas = in_memory() ? "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF;"
                                    : "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
  for (const std::string& sql : {pragmas, std::string(kSchema)}) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err != nullptr ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      return make_error("storage: cannot initialise '" + path_ + "': " + msg);
    }
  }
  for (std::size_t i = 0; i < stmts_.size(); ++i) {
    if (sqlite3_prepare_v3(db_, kQueries[i], -1, SQLITE_PREPARE_PERSISTENT, &stmts_[i], nullptr) != SQLITE_OK) {
      return sql_error(std::string("prepare ") + kQueries[i]);
    }
  }
  return {};
}

sqlite3_stmt* Store::stmt(Query q) const {
  auto* s = stmts_[static_cast<std::size_t>(q)];
  MT_ASSERT(s != nullptr, "storage statement not prepared");
  return s;
}

Error Store::sql_error(std::string_view what) const {
  return make_error("storage: " + std::string(what) + ": " + sqlite3_errmsg(db_));
}

Status Store::run(Query q, std::string_view what) {
  Use u(stmt(q));
  if (u.step() != SQLITE_DONE) return sql_error(what);
  return {};
}

template <class F>
Status Store::transaction(std::string_view what, F&& body) {
  if (auto st = run(Query::begin, what); !st.ok()) return st;
  Status st = body();
  if (st.ok()) st = run(Query::commit_tx, what);
  if (!st.ok()) {
    // The error is already in hand; a failed rollback leaves nothing more to report (SQLite
    // rolls back on its own when COMMIT fails or the connection closes).
    (void)run(Query::rollback, what);
  }
  return st;
}

Status Store::write_block(std::uint64_t height, const Hash32& hash, ByteView block, ByteView commit,
                          std::optional<ByteView> snapshot, std::optional<std::uint64_t> superseded_commit) {
  MT_ASSERT(!superseded_commit || *superseded_commit < height, "only an older commit can be superseded");
  MT_ASSERT(height > 0, "block heights start at 1");
  const std::string what = fmt::format("write block {}", height);
  const ByteView row_bytes = pool_ != nullptr ? ByteView{} : block;  // pooled: the row holds none
  std::vector<Range> touched{{Table::blocks, height, height}, {Table::commits, height, height},
                             {Table::snapshots, height, height}};
  if (superseded_commit) touched.push_back({Table::commits, *superseded_commit, *superseded_commit});
  auto undo_entry = capture(touched);
  if (!undo_entry.ok()) return undo_entry.error();
  const Status st = transaction(what, [&]() -> Status {
    {
      Use u(stmt(Query::insert_block));
      u.bind(1, height);
      u.bind(2, hash.view());
      u.bind(3, row_bytes);
      u.bind_sum(4, checksum(row_bytes, height));
      if (u.step() != SQLITE_DONE) return sql_error(what);
    }
    {
      Use u(stmt(Query::upsert_commit));
      u.bind(1, height);
      u.bind(2, commit);
      u.bind_sum(3, checksum(commit, height));
      if (u.step() != SQLITE_DONE) return sql_error(what + " (commit)");
    }
    if (snapshot) {
      Use u(stmt(Query::insert_snapshot));
      u.bind(1, height);
      u.bind(2, *snapshot);
      u.bind_sum(3, checksum(*snapshot, height));
      if (u.step() != SQLITE_DONE) return sql_error(what + " (snapshot)");
    }
    if (superseded_commit) {
      Use u(stmt(Query::delete_commit));
      u.bind(1, *superseded_commit);
      if (u.step() != SQLITE_DONE) return sql_error(what + " (superseded commit)");
    }
    return {};
  });
  if (st.ok() && pool_ != nullptr) pooled_[height] = pool_->intern(block);
  if (st.ok()) {
    count_write(WriteKind::block, block.size() + commit.size() + (snapshot ? snapshot->size() : 0));
    log_undo(std::move(undo_entry).value());
    last_write_ = RowId{Table::blocks, height};
  }
  return st;
}

Status Store::write_commit(std::uint64_t height, ByteView commit) {
  auto undo_entry = capture({{Table::commits, height, height}});
  if (!undo_entry.ok()) return undo_entry.error();
  Use u(stmt(Query::upsert_commit));
  u.bind(1, height);
  u.bind(2, commit);
  u.bind_sum(3, checksum(commit, height));
  if (u.step() != SQLITE_DONE) return sql_error(fmt::format("write commit {}", height));
  count_write(WriteKind::commit, commit.size());
  log_undo(std::move(undo_entry).value());
  last_write_ = RowId{Table::commits, height};
  return {};
}

Status Store::write_snapshot(std::uint64_t height, ByteView state) {
  auto undo_entry = capture({{Table::snapshots, height, height}});
  if (!undo_entry.ok()) return undo_entry.error();
  Use u(stmt(Query::insert_snapshot));
  u.bind(1, height);
  u.bind(2, state);
  u.bind_sum(3, checksum(state, height));
  if (u.step() != SQLITE_DONE) return sql_error(fmt::format("write snapshot {}", height));
  count_write(WriteKind::snapshot, state.size());
  log_undo(std::move(undo_entry).value());
  last_write_ = RowId{Table::snapshots, height};
  return {};
}

Status Store::write_consensus_record(ByteView head, const std::vector<Hash32>& block_hashes,
                                     const std::function<Bytes(std::size_t)>& block_bytes) {
  // Pooled: the row frames the head alone; else the head and every block.
  std::vector<Bytes> owned;
  std::vector<BlobPtr> pooled;
  std::vector<ByteView> parts{head};
  for (std::size_t i = 0; i < block_hashes.size(); ++i) {
    if (pool_ == nullptr) {
      owned.push_back(block_bytes(i));
      continue;
    }
    const auto held = std::find(pooled_record_hashes_.begin(), pooled_record_hashes_.end(), block_hashes[i]);
    if (held != pooled_record_hashes_.end()) {
      pooled.push_back(pooled_record_blocks_[static_cast<std::size_t>(held - pooled_record_hashes_.begin())]);
    } else {
      const Bytes bytes = block_bytes(i);
      pooled.push_back(pool_->intern(bytes));
    }
  }
  for (const Bytes& b : owned) parts.emplace_back(b);
  const Bytes row = frame_parts(parts);
  // Before a vote leaves, its record must survive even an OS crash: fsync this one.
  if (!in_memory()) {
    if (auto st = run(Query::sync_full, "consensus record"); !st.ok()) return st;
  }
  Status st;
  {
    Use u(stmt(Query::upsert_record));
    u.bind(1, ByteView(row));
    u.bind_sum(2, checksum(row, 0));
    if (u.step() != SQLITE_DONE) st = sql_error("write consensus record");
  }
  if (!in_memory()) {
    if (auto back = run(Query::sync_normal, "consensus record"); !back.ok() && st.ok()) st = back;
  }
  if (st.ok() && pool_ != nullptr) {
    pooled_record_blocks_ = std::move(pooled);
    pooled_record_hashes_ = block_hashes;
  }
  if (st.ok()) {
    count_write(WriteKind::consensus_record, row.size());
    unsynced_.clear();  // a FULL sync makes every earlier transaction durable too (one WAL)
    last_write_ = RowId{Table::consensus_record, 0};
  }
  return st;
}

Status Store::write_meta(std::string_view key, ByteView value) {
  Use u(stmt(Query::upsert_meta));
  u.bind(1, key);
  u.bind(2, value);
  u.bind_sum(3, checksum(value, 0));
  if (u.step() != SQLITE_DONE) return sql_error("write meta " + std::string(key));
  count_write(WriteKind::meta, value.size());
  return {};
}

Status Store::prune_below(std::uint64_t height) {
  auto snap = latest_snapshot(height);
  if (!snap.ok()) return snap.error();
  if (!snap.value()) return {};
  std::uint64_t keep_from = snap.value()->height;
  if (keep_from == 0) return {};
  auto undo_entry = capture({{Table::blocks, 0, keep_from - 1}, {Table::commits, 0, keep_from - 1},
                             {Table::snapshots, 0, keep_from - 1}});
  if (!undo_entry.ok()) return undo_entry.error();
  const Status st = transaction("prune", [&]() -> Status {
    for (Query q : {Query::prune_blocks, Query::prune_commits, Query::prune_snapshots}) {
      Use u(stmt(q));
      u.bind(1, keep_from);
      if (u.step() != SQLITE_DONE) return sql_error(fmt::format("prune below {}", keep_from));
    }
    return {};
  });
  if (st.ok()) {
    pooled_.erase(pooled_.begin(), pooled_.lower_bound(keep_from));
    log_undo(std::move(undo_entry).value());
  }
  return st;
}

namespace {

// Steps a single-row query: nullopt when there is no row, an error when stepping fails.
Result<std::optional<StoredBlock>> read_block_row(sqlite3* db, sqlite3_stmt* s, std::string_view what) {
  int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) return std::optional<StoredBlock>{};
  if (rc != SQLITE_ROW) return make_error("storage: " + std::string(what) + ": " + sqlite3_errmsg(db));
  auto row = read_checked(s, 2, what);
  if (!row.ok()) return make_error("storage: " + row.error().message);
  StoredBlock b;
  b.height = row.value().height;
  b.bytes = std::move(row.value().bytes);
  Bytes hash;
  if (!read_blob(s, 1, hash) || hash.size() != Hash32::size_bytes) {
    return make_error("storage: " + std::string(what) + ": corrupted row (hash)");
  }
  std::copy(hash.begin(), hash.end(), b.hash.data.begin());
  return std::optional<StoredBlock>(std::move(b));
}

Result<std::optional<StoredSnapshot>> read_bytes_row(sqlite3* db, sqlite3_stmt* s, std::string_view what) {
  int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) return std::optional<StoredSnapshot>{};
  if (rc != SQLITE_ROW) return make_error("storage: " + std::string(what) + ": " + sqlite3_errmsg(db));
  auto row = read_checked(s, 1, what);
  if (!row.ok()) return make_error("storage: " + row.error().message);
  return std::optional<StoredSnapshot>(std::move(row).value());
}

// Drops the height of a (height, bytes) row: commits, the consensus record and metadata.
Result<std::optional<Bytes>> bytes_only(Result<std::optional<StoredSnapshot>> r) {
  if (!r.ok()) return r.error();
  if (!r.value()) return std::optional<Bytes>{};
  return std::optional<Bytes>(std::move(r.value()->bytes));
}

}  // namespace

Result<std::optional<StoredBlock>> Store::block_at(std::uint64_t height) const {
  Use u(stmt(Query::block_at));
  u.bind(1, height);
  auto r = read_block_row(db_, u.get(), fmt::format("block at {}", height));
  if (r.ok() && r.value() && r.value()->height != height) return make_error("storage: block row height mismatch");
  return with_pooled(std::move(r));
}

Result<std::optional<StoredBlock>> Store::block_by_hash(const Hash32& hash) const {
  Use u(stmt(Query::block_by_hash));
  u.bind(1, hash.view());
  auto r = read_block_row(db_, u.get(), "block " + hash.short_hex());
  if (r.ok() && r.value() && r.value()->hash != hash) return make_error("storage: block row hash mismatch");
  return with_pooled(std::move(r));
}

Result<std::optional<StoredBlock>> Store::with_pooled(Result<std::optional<StoredBlock>> r) const {
  if (pool_ == nullptr || !r.ok() || !r.value().has_value()) return r;
  const auto it = pooled_.find(r.value()->height);
  if (it == pooled_.end() || !r.value()->bytes.empty()) {
    return make_error(fmt::format("storage: pooled block {} is missing", r.value()->height));
  }
  r.value()->bytes = *it->second;
  return r;
}

Result<std::uint64_t> Store::latest_height() const {
  Use u(stmt(Query::latest_height));
  if (u.step() != SQLITE_ROW) return sql_error("latest height");
  if (sqlite3_column_type(u.get(), 0) != SQLITE_INTEGER) return make_error("storage: corrupted block heights");
  auto h = sqlite3_column_int64(u.get(), 0);
  if (h < 0) return make_error("storage: corrupted block heights");
  return static_cast<std::uint64_t>(h);
}

Result<std::optional<Bytes>> Store::commit_at(std::uint64_t height) const {
  Use u(stmt(Query::commit_at));
  u.bind(1, height);
  return bytes_only(read_bytes_row(db_, u.get(), fmt::format("commit at {}", height)));
}

Result<std::optional<StoredSnapshot>> Store::latest_snapshot(std::uint64_t height) const {
  Use u(stmt(Query::latest_snapshot));
  u.bind(1, height);
  return read_bytes_row(db_, u.get(), fmt::format("snapshot at or below {}", height));
}

Result<std::optional<StoredRecord>> Store::consensus_record() const {
  Use u(stmt(Query::consensus_record));
  auto row = bytes_only(read_bytes_row(db_, u.get(), "consensus record"));
  if (!row.ok()) return row.error();
  if (!row.value().has_value()) return std::optional<StoredRecord>{};
  auto parts = unframe_parts(*row.value());
  if (!parts.has_value() || parts->empty()) return make_error("storage: consensus record: corrupted framing");
  StoredRecord rec;
  rec.head = std::move(parts->front());
  rec.blocks.assign(std::make_move_iterator(parts->begin() + 1), std::make_move_iterator(parts->end()));
  if (pool_ != nullptr) {
    if (!rec.blocks.empty()) return make_error("storage: pooled consensus record holds blocks");
    for (const BlobPtr& b : pooled_record_blocks_) rec.blocks.push_back(*b);
  }
  return std::optional<StoredRecord>(std::move(rec));
}

Result<std::optional<Bytes>> Store::meta(std::string_view key) const {
  Use u(stmt(Query::meta));
  u.bind(1, key);
  return bytes_only(read_bytes_row(db_, u.get(), "meta " + std::string(key)));
}

}  // namespace mt::storage
