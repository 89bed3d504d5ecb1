// A thin RAII layer over the SQLite C API for the results database: a connection, prepared
// statements with typed binds, and errors as values carrying sqlite3_errmsg. Unsigned 64-bit
// values are stored as INTEGER by two's complement (SQLite integers are signed) and read back the
// same way, so seeds and byte counts above 2^63 round-trip exactly.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "core/util/result.hpp"

namespace mt::reports {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  SqliteStatement(SqliteStatement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  ~SqliteStatement() { sqlite3_finalize(stmt_); }

  // Binds values to ?1, ?2, ... in order, then runs the statement to completion.
  template <class... Values>
  Status run(const Values&... values) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    int index = 1;
    (bind(index++, values), ...);
    int rc = sqlite3_step(stmt_);
    while (rc == SQLITE_ROW) rc = sqlite3_step(stmt_);
    if (rc != SQLITE_DONE) return make_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    return {};
  }

  // For queries: bind, then call step() until it returns false; check ok() afterwards.
  template <class... Values>
  void start(const Values&... values) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    failed_ = false;
    int index = 1;
    (bind(index++, values), ...);
  }
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    failed_ = rc != SQLITE_DONE;
    return false;
  }
  [[nodiscard]] Status status() const {
    if (failed_) return make_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    return {};
  }

  [[nodiscard]] int columns() const { return sqlite3_column_count(stmt_); }
  [[nodiscard]] std::int64_t i64(int col) const { return sqlite3_column_int64(stmt_, col); }
  [[nodiscard]] std::uint64_t u64(int col) const { return static_cast<std::uint64_t>(i64(col)); }
  // NULL (how SQLite stores a NaN) reads back as NaN.
  [[nodiscard]] double f64(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::numeric_limits<double>::quiet_NaN();
    return sqlite3_column_double(stmt_, col);
  }
  [[nodiscard]] std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    int n = sqlite3_column_bytes(stmt_, col);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
  }
  [[nodiscard]] std::string column_name(int col) const { return sqlite3_column_name(stmt_, col); }
  [[nodiscard]] int column_type(int col) const { return sqlite3_column_type(stmt_, col); }

 private:
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void bind(int i, std::uint64_t v) { sqlite3_bind_int64(stmt_, i, static_cast<std::int64_t>(v)); }
  void bind(int i, int v) { sqlite3_bind_int64(stmt_, i, v); }
  void bind(int i, std::uint32_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void bind(int i, bool v) { sqlite3_bind_int64(stmt_, i, v ? 1 : 0); }
  void bind(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
  void bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind(int i, const std::string& v) { bind(i, std::string_view(v)); }
  void bind(int i, const char* v) { bind(i, std::string_view(v)); }

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool failed_ = false;
};

class SqliteConnection {
 public:
  // Opens (creating when `create`) with a busy timeout, so parallel sweep processes writing one
  // database wait for each other instead of failing.
  static Result<SqliteConnection> open(const std::string& path, bool create);

  SqliteConnection(SqliteConnection&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  SqliteConnection& operator=(SqliteConnection&&) = delete;
  ~SqliteConnection() { sqlite3_close_v2(db_); }

  Status exec(const std::string& sql);
  Result<SqliteStatement> prepare(const std::string& sql);
  Result<std::int64_t> query_int(const std::string& sql);  // first column of the first row
  [[nodiscard]] std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace mt::reports
