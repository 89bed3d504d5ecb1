// Store: the storage faults and the start-up scan that notices them (store.hpp, "Storage
// faults"). A power loss rolls back the synchronous=NORMAL transactions since the last FULL one
// from an undo log of row images; a torn write keeps half a row's bytes under its old checksum.
// Nothing here runs unless a fault or a restart asks, so a run without storage faults writes the
// same rows as before.
#include "core/storage/store.hpp"

#include "core/storage/sql_values.hpp"

#include <sqlite3.h>
#include <xxhash.h>

#include <cstddef>
#include <limits>
#include <string>
#include <fmt/format.h>

namespace mt::storage {

namespace {

constexpr const char* kTableNames[] = {"blocks", "commits", "snapshots", "consensus_record"};

const char* name_of(Store::Table t) { return kTableNames[static_cast<std::size_t>(t)]; }

// A statement prepared for one call (fault paths are rare; the hot paths use the cached ones).
class Once {
 public:
  Once(sqlite3* db, const std::string& sql) { ok_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &s_, nullptr) == SQLITE_OK; }
  ~Once() { sqlite3_finalize(s_); }
  Once(const Once&) = delete;
  Once& operator=(const Once&) = delete;
  [[nodiscard]] bool ok() const { return ok_; }
  void bind(int i, std::uint64_t v) { sqlite3_bind_int64(s_, i, to_sql(v)); }
  void bind_raw(int i, std::int64_t v) { sqlite3_bind_int64(s_, i, v); }
  void bind(int i, const Bytes& b) { bind_bytes(s_, i, b); }
  int step() { return sqlite3_step(s_); }
  [[nodiscard]] sqlite3_stmt* get() const { return s_; }

 private:
  sqlite3_stmt* s_ = nullptr;
  bool ok_ = false;
};

Bytes column_bytes(sqlite3_stmt* s, int col) {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s, col));
  const int n = sqlite3_column_bytes(s, col);
  return p == nullptr || n <= 0 ? Bytes{} : Bytes(p, p + n);
}

// "height, hash, bytes, sum" of a table (the hash an empty blob outside blocks).
std::string select_rows(Store::Table t, std::string_view where) {
  return fmt::format("SELECT height, {}, bytes, sum, typeof(bytes), typeof(sum) FROM {} {} ORDER BY height",
                     t == Store::Table::blocks ? "hash" : "zeroblob(0)", name_of(t), where);
}

}  // namespace

void Store::keep_unsynced_log(std::size_t max_transactions) {
  unsynced_max_ = max_transactions;
  if (unsynced_.size() > unsynced_max_) {
    unsynced_.erase(unsynced_.begin(), unsynced_.end() - static_cast<std::ptrdiff_t>(unsynced_max_));
  }
}

Result<std::optional<Store::UndoEntry>> Store::capture(const std::vector<Range>& ranges) {
  if (unsynced_max_ == 0 || !in_memory()) return std::optional<UndoEntry>{};
  UndoEntry entry;
  for (const Range& r : ranges) {
    Once q(db_, select_rows(r.table, "WHERE height BETWEEN ?1 AND ?2"));
    if (!q.ok()) return sql_error("undo log capture");
    q.bind(1, r.lo);
    q.bind(2, r.hi);
    RangeImage image{r, {}, {}};
    int rc = SQLITE_ROW;
    while ((rc = q.step()) == SQLITE_ROW) {
      const auto height = static_cast<std::uint64_t>(sqlite3_column_int64(q.get(), 0));
      image.rows.push_back(RowImage{height, column_bytes(q.get(), 1), column_bytes(q.get(), 2),
                                    sqlite3_column_int64(q.get(), 3)});
    }
    if (rc != SQLITE_DONE) return sql_error("undo log capture");
    if (r.table == Table::blocks) image.pooled.insert(pooled_.lower_bound(r.lo), pooled_.upper_bound(r.hi));
    entry.push_back(std::move(image));
  }
  return std::optional<UndoEntry>(std::move(entry));
}

void Store::log_undo(std::optional<UndoEntry> entry) {
  if (!entry.has_value() || unsynced_max_ == 0) return;
  unsynced_.push_back(std::move(*entry));
  if (unsynced_.size() > unsynced_max_) unsynced_.erase(unsynced_.begin());  // written back by the OS
}

Status Store::undo(const UndoEntry& entry) {
  for (auto it = entry.rbegin(); it != entry.rend(); ++it) {
    const Range& r = it->range;
    Once del(db_, fmt::format("DELETE FROM {} WHERE height BETWEEN ?1 AND ?2", name_of(r.table)));
    if (!del.ok()) return sql_error("undo");
    del.bind(1, r.lo);
    del.bind(2, r.hi);
    if (del.step() != SQLITE_DONE) return sql_error("undo");
    const std::string insert = r.table == Table::blocks
                                   ? "INSERT INTO blocks(height, hash, bytes, sum) VALUES(?1, ?2, ?3, ?4)"
                                   : fmt::format("INSERT INTO {}(height, bytes, sum) VALUES(?1, ?3, ?4)", name_of(r.table));
    for (const RowImage& row : it->rows) {
      Once ins(db_, insert);
      if (!ins.ok()) return sql_error("undo");
      ins.bind(1, row.height);
      if (r.table == Table::blocks) ins.bind(2, row.hash);
      ins.bind(3, row.bytes);
      ins.bind_raw(4, row.sum);
      if (ins.step() != SQLITE_DONE) return sql_error("undo");
    }
    if (r.table == Table::blocks) {
      pooled_.erase(pooled_.lower_bound(r.lo), pooled_.upper_bound(r.hi));
      pooled_.insert(it->pooled.begin(), it->pooled.end());
    }
  }
  return {};
}

Result<std::size_t> Store::lose_unsynced() {
  const std::size_t lost = unsynced_.size();
  if (auto st = run(Query::begin, "lose unsynced"); !st.ok()) return st.error();
  for (auto it = unsynced_.rbegin(); it != unsynced_.rend(); ++it) {
    if (auto st = undo(*it); !st.ok()) {
      (void)run(Query::rollback, "lose unsynced");
      return st.error();
    }
  }
  if (auto st = run(Query::commit_tx, "lose unsynced"); !st.ok()) return st.error();
  unsynced_.clear();
  last_write_.reset();  // what is left was synced whole
  return lost;
}

Status Store::damage(const RowId& row) {
  // Half the bytes, and the checksum's lowest bit flipped (so an empty blob fails too).
  const std::string where = row.table == Table::consensus_record ? "id = 0" : "height = ?1";
  // (substr of fewer than two bytes would be NULL, which the schema refuses: keep none then.)
  Once q(db_, fmt::format("UPDATE {} SET bytes = CASE WHEN length(bytes) >= 2 THEN substr(bytes, 1, length(bytes) / 2) "
                          "ELSE zeroblob(0) END, sum = (sum | 1) - (sum & 1) WHERE {}",
                          name_of(row.table), where));
  if (!q.ok()) return sql_error("damage a row");
  if (row.table != Table::consensus_record) q.bind(1, row.height);
  if (q.step() != SQLITE_DONE) return sql_error("damage a row");
  return {};
}

Result<std::optional<Store::RowId>> Store::tear_last_write() {
  if (!last_write_.has_value()) return std::optional<RowId>{};
  const RowId row = *last_write_;
  if (auto st = damage(row); !st.ok()) return st.error();
  if (sqlite3_changes(db_) == 0) return std::optional<RowId>{};  // pruned or rolled back since
  last_write_.reset();
  return std::optional<RowId>(row);
}

Result<std::optional<Store::RowId>> Store::damage_newest(Table table) {
  RowId row{table, 0};
  if (table != Table::consensus_record) {  // the statement is done before the update below
    Once q(db_, fmt::format("SELECT MAX(height) FROM {}", name_of(table)));
    if (!q.ok() || q.step() != SQLITE_ROW) return sql_error("damage the newest row");
    if (sqlite3_column_type(q.get(), 0) != SQLITE_INTEGER) return std::optional<RowId>{};  // empty
    row.height = static_cast<std::uint64_t>(sqlite3_column_int64(q.get(), 0));
  }
  if (auto st = damage(row); !st.ok()) return st.error();
  if (sqlite3_changes(db_) == 0) return std::optional<RowId>{};
  return std::optional<RowId>(row);
}

Result<std::vector<Store::RowId>> Store::drop_damaged_rows() {
  std::vector<RowId> bad;
  for (Table t : {Table::blocks, Table::commits, Table::snapshots}) {
    Once q(db_, select_rows(t, ""));
    if (!q.ok()) return sql_error("scan for damaged rows");
    int rc = SQLITE_ROW;
    while ((rc = q.step()) == SQLITE_ROW) {
      const auto height = static_cast<std::uint64_t>(sqlite3_column_int64(q.get(), 0));
      const Bytes hash = column_bytes(q.get(), 1);
      const Bytes bytes = column_bytes(q.get(), 2);
      const bool typed = std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 4))) == "blob" &&
                         std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 5))) == "integer";
      const auto sum = static_cast<std::int64_t>(XXH3_64bits_withSeed(bytes.data(), bytes.size(), height));
      bool good = typed && sum == sqlite3_column_int64(q.get(), 3);
      if (t == Table::blocks) {
        good = good && hash.size() == Hash32::size_bytes && (pool_ == nullptr || pooled_.contains(height));
      }
      if (!good) bad.push_back(RowId{t, height});
    }
    if (rc != SQLITE_DONE) return sql_error("scan for damaged rows");
  }
  for (const RowId& row : bad) {
    if (auto st = delete_range(row.table, row.height, row.height); !st.ok()) return st.error();
  }
  return bad;
}

Status Store::delete_range(Table table, std::uint64_t lo, std::uint64_t hi) {
  auto undo_entry = capture({Range{table, lo, hi}});
  if (!undo_entry.ok()) return undo_entry.error();
  Once q(db_, fmt::format("DELETE FROM {} WHERE height BETWEEN ?1 AND ?2", name_of(table)));
  if (!q.ok()) return sql_error("delete rows");
  q.bind(1, lo);
  q.bind(2, hi);
  if (q.step() != SQLITE_DONE) return sql_error("delete rows");
  if (table == Table::blocks) pooled_.erase(pooled_.lower_bound(lo), pooled_.upper_bound(hi));
  log_undo(std::move(undo_entry).value());
  return {};
}

Status Store::truncate_above(std::uint64_t height) {
  if (height == std::numeric_limits<std::uint64_t>::max()) return {};
  for (Table t : {Table::blocks, Table::commits, Table::snapshots}) {
    if (auto st = delete_range(t, height + 1, std::numeric_limits<std::uint64_t>::max()); !st.ok()) return st;
  }
  return {};
}

}  // namespace mt::storage
