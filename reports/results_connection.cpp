#include "reports/results_connection.hpp"

#include <system_error>
#include <fmt/format.h>

#include "reports/results_schema.hpp"

namespace mt::reports {
namespace {

Status create_schema_if_empty(SqliteConnection& db) {
  MT_REPORTS_TRY(db.exec("BEGIN IMMEDIATE"));
  auto version = db.query_int("PRAGMA user_version");
  auto tables = db.query_int("SELECT count(*) FROM sqlite_master");
  Status status;
  if (!version.ok() || !tables.ok()) {
    status = make_error(!version.ok() ? version.error().message : tables.error().message);
  } else if (version.value() == 0 && tables.value() == 0) {
    status = db.exec(results_schema_sql());
    if (status.ok()) {
      status = db.exec(fmt::format("PRAGMA user_version = {}; PRAGMA application_id = {}", kResultsSchemaVersion,
                                   kResultsApplicationId));
    }
  }
  if (!status.ok()) {
    (void)db.exec("ROLLBACK");
    return status;
  }
  return db.exec("COMMIT");
}

Status check_identity(SqliteConnection& db, const std::string& path) {
  auto version = db.query_int("PRAGMA user_version");
  auto app = db.query_int("PRAGMA application_id");
  if (!version.ok()) return version.error();
  if (!app.ok()) return app.error();
  if (app.value() != kResultsApplicationId) return make_error(path + " is not an mtsim results database");
  if (version.value() != kResultsSchemaVersion) {
    return make_error(fmt::format("{} has results schema version {}; this mtsim reads version {}", path,
                                  version.value(), kResultsSchemaVersion));
  }
  return {};
}

}  // namespace

Result<SqliteConnection> open_results_database(const std::filesystem::path& path, bool create) {
  std::error_code ec;
  if (!create && !std::filesystem::exists(path, ec)) return make_error("no results database at " + path.string());
  auto db = SqliteConnection::open(path.string(), create);
  if (!db.ok()) return db.error();
  if (create) MT_REPORTS_TRY(create_schema_if_empty(db.value()));
  MT_REPORTS_TRY(check_identity(db.value(), path.string()));
  return db;
}

}  // namespace mt::reports
