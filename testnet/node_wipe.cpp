#include "testnet/node_wipe.hpp"

#include <filesystem>
#include <optional>

#include "core/chain/block.hpp"
#include "core/storage/store.hpp"
#include "core/util/bytes.hpp"

namespace mt::testnet {

Status wipe_keeping_signing_state(const std::string& data_dir) {
  namespace fs = std::filesystem;
  const fs::path db = fs::path(data_dir) / "node.sqlite";
  std::optional<storage::StoredRecord> record;  // the consensus record: signing state, lock, own votes
  std::error_code ec;
  if (fs::exists(db, ec)) {
    auto old = storage::Store::open(db.string());
    if (!old.ok()) return make_error("wipe: " + old.error().message);
    auto st = old.value()->consensus_record();
    if (!st.ok()) return make_error("wipe: reading the consensus record: " + st.error().message);
    record = std::move(st).value();
  }  // the old store closes here, checkpointing its WAL
  for (const char* f : {"node.sqlite", "node.sqlite-wal", "node.sqlite-shm"}) fs::remove(fs::path(data_dir) / f, ec);
  if (!record) return {};
  std::vector<Hash32> hashes;
  for (const Bytes& b : record->blocks) {
    auto block = Block::decode(b);
    if (!block.ok()) return make_error("wipe: a block of the consensus record does not decode: " + block.error().message);
    hashes.push_back(block.value().hash());
  }
  auto fresh = storage::Store::open(db.string());
  if (!fresh.ok()) return make_error("wipe: " + fresh.error().message);
  return fresh.value()->write_consensus_record(record->head, hashes,
                                               [&](std::size_t i) { return record->blocks.at(i); });
}

}  // namespace mt::testnet
