// How the store puts values into SQLite statements, shared by store.cpp (the cached statements)
// and store_faults.cpp (the statements the fault paths prepare once). Internal to core/storage.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <limits>

#include "core/util/bytes.hpp"

namespace mt::storage {

// Heights are stored as SQLite integers (signed 64-bit); a chain never gets near 2^63, but a
// lookup may come from a client: values beyond saturate (monotone, so range queries stay right,
// and no stored row has that height), never an assertion.
inline sqlite3_int64 to_sql(std::uint64_t v) {
  constexpr auto kMax = std::numeric_limits<sqlite3_int64>::max();
  return v > static_cast<std::uint64_t>(kMax) ? kMax : static_cast<sqlite3_int64>(v);
}

// Binds bytes as a blob. An empty view may have a null data pointer, which SQLite would store as
// NULL: it is bound as an empty blob instead.
inline void bind_bytes(sqlite3_stmt* s, int i, ByteView b) {
  if (b.empty()) {
    sqlite3_bind_zeroblob(s, i, 0);
  } else {
    sqlite3_bind_blob64(s, i, b.data(), b.size(), SQLITE_STATIC);
  }
}

}  // namespace mt::storage
