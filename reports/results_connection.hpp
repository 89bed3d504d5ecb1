// Internal to reports/: opening the results database with its schema checked or created, and
// the one-transaction append on an open connection (merge reuses one connection for many runs).
#pragma once

#include <filesystem>

#include "reports/results_database.hpp"
#include "reports/sqlite_connection.hpp"

// Returns the error of a failed Status/Result expression from the enclosing function.
#define MT_REPORTS_TRY(expr)                    \
  do {                                          \
    auto status_ = (expr);                      \
    if (!status_.ok()) return status_.error();  \
  } while (false)

namespace mt::reports {

// With `create`, a missing or empty file gets the schema (in one transaction, safe against
// parallel creators). Any existing database must carry our application id and schema version.
Result<SqliteConnection> open_results_database(const std::filesystem::path& path, bool create);

Result<AppendOutcome> append_run_to(SqliteConnection& db, const sim::RunResult& run);

}  // namespace mt::reports
