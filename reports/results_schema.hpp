// The results database schema (docs/reports.md has the table-by-table description). Bump
// kResultsSchemaVersion on any change; readers refuse other versions rather than guess.
#pragma once

namespace mt::reports {

inline constexpr int kResultsSchemaVersion = 1;         // PRAGMA user_version
inline constexpr int kResultsApplicationId = 0x6d74736d;  // PRAGMA application_id, "mtsm"

// CREATE TABLE/INDEX/VIEW IF NOT EXISTS statements, run inside the creating transaction.
const char* results_schema_sql();

}  // namespace mt::reports
