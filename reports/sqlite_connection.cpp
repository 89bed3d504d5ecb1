#include "reports/sqlite_connection.hpp"

namespace mt::reports {

namespace {
constexpr int kBusyTimeoutMs = 60'000;  // a sweep's writers hold the lock for one run's insert only
}

Result<SqliteConnection> SqliteConnection::open(const std::string& path, bool create) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return make_error("cannot open results database " + path + ": " + message);
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  SqliteConnection connection(db);
  auto status = connection.exec("PRAGMA foreign_keys = ON");
  if (!status.ok()) return status.error();
  return connection;
}

Status SqliteConnection::exec(const std::string& sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return make_error("sqlite: " + text);
  }
  return {};
}

Result<SqliteStatement> SqliteConnection::prepare(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return make_error(std::string("sqlite: ") + sqlite3_errmsg(db_) + " in: " + sql);
  return SqliteStatement(db_, stmt);
}

Result<std::int64_t> SqliteConnection::query_int(const std::string& sql) {
  auto stmt = prepare(sql);
  if (!stmt.ok()) return stmt.error();
  stmt.value().start();
  if (!stmt.value().step()) {
    auto status = stmt.value().status();
    if (!status.ok()) return status.error();
    return make_error("sqlite: no row from: " + sql);
  }
  return stmt.value().i64(0);
}

}  // namespace mt::reports
