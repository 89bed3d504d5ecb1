#include "testnet/node_wipe.hpp"

#include <filesystem>
#include <optional>

#include "core/storage/store.hpp"
#include "core/util/bytes.hpp"

namespace mt::testnet {

Status wipe_keeping_signing_state(const std::string& data_dir) {
  namespace fs = std::filesystem;
  const fs::path db = fs::path(data_dir) / "node.sqlite";
  std::optional<Bytes> signing;
  std::error_code ec;
  if (fs::exists(db, ec)) {
    auto old = storage::Store::open(db.string());
    if (!old.ok()) return make_error("wipe: " + old.error().message);
    auto st = old.value()->signing_state();
    if (!st.ok()) return make_error("wipe: reading the signing state: " + st.error().message);
    signing = st.value();
  }  // the old store closes here, checkpointing its WAL
  for (const char* f : {"node.sqlite", "node.sqlite-wal", "node.sqlite-shm"}) fs::remove(fs::path(data_dir) / f, ec);
  if (!signing) return {};
  auto fresh = storage::Store::open(db.string());
  if (!fresh.ok()) return make_error("wipe: " + fresh.error().message);
  return fresh.value()->write_signing_state(*signing);
}

}  // namespace mt::testnet
