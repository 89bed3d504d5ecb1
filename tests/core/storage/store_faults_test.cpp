// The store's storage faults: a power loss rolls back exactly the unsynced (NORMAL) transactions
// since the last consensus-record write, newest first and bounded; a torn last write leaves a row
// that fails its checksum, in each table; the start-up scan drops such rows and truncate_above
// drops heights; with or without a blob pool.
#include <doctest/doctest.h>

#include <memory>

#include "core/storage/store.hpp"

using namespace mt;
using mt::storage::BlobPool;
using mt::storage::Store;
using Table = Store::Table;

namespace {

Hash32 hash_of(std::uint8_t b) {
  Hash32 h;
  h.data.fill(b);
  return h;
}
Bytes bytes_of(std::size_t n, std::uint8_t b) { return Bytes(n, b); }

std::unique_ptr<Store> open_mem(bool pooled) {
  auto s = Store::open_in_memory(pooled ? std::make_shared<BlobPool>() : nullptr);
  REQUIRE(s.ok());
  return std::move(s).value();
}

// Blocks 1..n, each superseding the previous commit, snapshots at `snaps`.
void write_chain(Store& s, std::uint64_t from, std::uint64_t to, std::uint64_t snap_every) {
  for (std::uint64_t h = from; h <= to; ++h) {
    const auto b = static_cast<std::uint8_t>(h);
    std::optional<Bytes> snap;
    if (h % snap_every == 0) snap = bytes_of(30, b);
    std::optional<ByteView> view;
    if (snap) view = ByteView(*snap);
    const std::optional<std::uint64_t> superseded = h > 1 ? std::optional<std::uint64_t>(h - 1) : std::nullopt;
    REQUIRE(s.write_block(h, hash_of(b), bytes_of(100, b), bytes_of(10, b), view, superseded).ok());
  }
}

void write_record(Store& s, std::uint8_t b) { REQUIRE(s.write_consensus_record(bytes_of(8, b), {}, nullptr).ok()); }

}  // namespace

TEST_CASE("store faults: a power loss rolls back the block writes since the last record write") {
  for (bool pooled : {false, true}) {
    CAPTURE(pooled);
    auto s = open_mem(pooled);
    s->keep_unsynced_log(64);
    write_chain(*s, 1, 3, 2);
    write_record(*s, 1);  // synced: blocks 1..3 are durable now
    CHECK(s->unsynced_transactions() == 0);
    write_chain(*s, 4, 6, 2);
    CHECK(s->unsynced_transactions() == 3);
    REQUIRE(s->lose_unsynced().value() == 3);
    CHECK(s->latest_height().value() == 3);
    CHECK_FALSE(s->block_at(4).value().has_value());
    CHECK(s->block_at(3).value()->bytes == bytes_of(100, 3));
    // Block 4 had superseded commit 3's row: the rollback brings it back.
    CHECK(s->commit_at(3).value() == std::optional<Bytes>(bytes_of(10, 3)));
    CHECK(s->latest_snapshot(100).value()->height == 2);
    CHECK(s->consensus_record().value()->head == bytes_of(8, 1));
    // The chain goes on from there as if blocks 4..6 were never written.
    write_chain(*s, 4, 5, 2);
    CHECK(s->latest_height().value() == 5);
    CHECK(s->block_at(5).value()->bytes == bytes_of(100, 5));
  }
}

TEST_CASE("store faults: without the log nothing is rolled back; the log keeps only the newest transactions") {
  auto off = open_mem(false);
  write_chain(*off, 1, 3, 10);
  CHECK(off->lose_unsynced().value() == 0);
  CHECK(off->latest_height().value() == 3);

  auto s = open_mem(false);
  s->keep_unsynced_log(2);  // the OS wrote the older ones back
  write_chain(*s, 1, 5, 10);
  CHECK(s->lose_unsynced().value() == 2);
  CHECK(s->latest_height().value() == 3);
}

TEST_CASE("store faults: a lost prune brings the pruned rows back") {
  for (bool pooled : {false, true}) {
    CAPTURE(pooled);
    auto s = open_mem(pooled);
    write_chain(*s, 1, 4, 2);
    write_record(*s, 1);
    s->keep_unsynced_log(64);
    REQUIRE(s->prune_below(4).ok());
    CHECK_FALSE(s->block_at(1).value().has_value());
    REQUIRE(s->lose_unsynced().value() == 1);
    CHECK(s->block_at(1).value()->bytes == bytes_of(100, 1));
    CHECK(s->latest_snapshot(3).value()->height == 2);
  }
}

TEST_CASE("store faults: a torn last write fails its checksum in each table, and the start-up scan drops it") {
  for (bool pooled : {false, true}) {
    CAPTURE(pooled);
    auto s = open_mem(pooled);
    write_chain(*s, 1, 4, 2);
    auto torn = s->tear_last_write().value();  // write_block ends with the block row
    REQUIRE(torn.has_value());
    CHECK(*torn == Store::RowId{Table::blocks, 4});
    CHECK_FALSE(s->block_at(4).ok());
    CHECK_FALSE(s->tear_last_write().value().has_value());  // torn once

    REQUIRE(s->write_commit(3, bytes_of(12, 3)).ok());
    CHECK(s->tear_last_write().value() == std::optional<Store::RowId>(Store::RowId{Table::commits, 3}));
    CHECK_FALSE(s->commit_at(3).ok());

    REQUIRE(s->write_snapshot(3, bytes_of(40, 3)).ok());
    CHECK(s->tear_last_write().value() == std::optional<Store::RowId>(Store::RowId{Table::snapshots, 3}));
    CHECK_FALSE(s->latest_snapshot(3).ok());

    const auto dropped = s->drop_damaged_rows().value();
    const std::vector<Store::RowId> want{{Table::blocks, 4}, {Table::commits, 3}, {Table::snapshots, 3}};
    CHECK(dropped == want);
    CHECK(s->latest_height().value() == 3);
    CHECK(s->latest_snapshot(3).value()->height == 2);
    CHECK_FALSE(s->commit_at(3).value().has_value());
    CHECK(s->drop_damaged_rows().value().empty());

    write_record(*s, 7);
    CHECK(s->tear_last_write().value() == std::optional<Store::RowId>(Store::RowId{Table::consensus_record, 0}));
    CHECK_FALSE(s->consensus_record().ok());  // the node then never signs (node_storage_fault_test)
  }
}

TEST_CASE("store faults: damage_newest hits the newest row of a table; truncate_above drops heights") {
  auto s = open_mem(false);
  CHECK_FALSE(s->damage_newest(Table::blocks).value().has_value());  // empty: nothing to damage
  write_chain(*s, 1, 5, 2);
  CHECK(s->damage_newest(Table::snapshots).value() == std::optional<Store::RowId>(Store::RowId{Table::snapshots, 4}));
  CHECK(s->damage_newest(Table::commits).value() == std::optional<Store::RowId>(Store::RowId{Table::commits, 5}));
  CHECK(s->drop_damaged_rows().value().size() == 2);
  REQUIRE(s->truncate_above(2).ok());
  CHECK(s->latest_height().value() == 2);
  CHECK(s->latest_snapshot(100).value()->height == 2);
  CHECK(s->block_at(2).value()->bytes == bytes_of(100, 2));
}
