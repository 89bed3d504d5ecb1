// The SQLite store: reads return what was written, write_block is all-or-nothing, a crash loses
// exactly what was not committed, and a corrupted row is an error value, not a crash.
#include <doctest/doctest.h>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/storage/store.hpp"

using namespace mt;
using mt::storage::Store;

namespace {

Hash32 hash_of(std::uint8_t b) {
  Hash32 h;
  h.data.fill(b);
  return h;
}
Bytes bytes_of(std::size_t n, std::uint8_t b) { return Bytes(n, b); }

std::unique_ptr<Store> open_ok(const std::string& path) {
  auto s = Store::open(path);
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return std::move(s).value();
}

// A fresh directory under the system temp dir, removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mtsim-store-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  [[nodiscard]] std::string file(const std::string& name) const { return (path / name).string(); }
};

void exec_raw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err != nullptr ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, msg);
}

}  // namespace

TEST_CASE("store: blocks, commits, snapshots, the consensus record and metadata read back as written") {
  auto s = open_ok(std::string(storage::kInMemory));
  CHECK(s->latest_height().value() == 0);
  CHECK_FALSE(s->block_at(1).value().has_value());
  REQUIRE(s->write_block(1, hash_of(1), bytes_of(100, 1), bytes_of(10, 11), bytes_of(50, 21)).ok());
  REQUIRE(s->write_block(2, hash_of(2), bytes_of(200, 2), bytes_of(20, 12)).ok());
  REQUIRE(s->write_block(3, hash_of(3), bytes_of(300, 3), {}, bytes_of(70, 23)).ok());
  CHECK(s->latest_height().value() == 3);

  auto b2 = s->block_at(2).value();
  REQUIRE(b2.has_value());
  CHECK(b2->hash == hash_of(2));
  CHECK(b2->bytes == bytes_of(200, 2));
  auto by_hash = s->block_by_hash(hash_of(3)).value();
  REQUIRE(by_hash.has_value());
  CHECK(by_hash->height == 3);
  CHECK_FALSE(s->block_by_hash(hash_of(9)).value().has_value());

  CHECK(s->commit_at(2).value() == std::optional<Bytes>(bytes_of(20, 12)));
  CHECK(s->commit_at(3).value() == std::optional<Bytes>(Bytes{}));  // empty blobs stay empty, not NULL
  REQUIRE(s->write_commit(2, bytes_of(25, 13)).ok());
  CHECK(s->commit_at(2).value() == std::optional<Bytes>(bytes_of(25, 13)));

  CHECK(s->latest_snapshot(2).value()->height == 1);
  CHECK(s->latest_snapshot(100).value()->height == 3);
  CHECK(s->latest_snapshot(100).value()->bytes == bytes_of(70, 23));
  CHECK_FALSE(s->latest_snapshot(0).value().has_value());

  CHECK_FALSE(s->consensus_record().value().has_value());
  REQUIRE(s->write_consensus_record(bytes_of(8, 1), {}, nullptr).ok());
  const std::vector<Bytes> parts{bytes_of(40, 3), bytes_of(0, 4)};
  REQUIRE(s->write_consensus_record(bytes_of(8, 2), {hash_of(3), hash_of(4)}, [&](std::size_t i) { return parts[i]; }).ok());
  auto rec = s->consensus_record().value();
  REQUIRE(rec.has_value());
  CHECK(rec->head == bytes_of(8, 2));
  CHECK(rec->blocks == parts);
  REQUIRE(s->write_meta("chain_id", as_bytes("test")).ok());
  CHECK(s->meta("chain_id").value() == std::optional<Bytes>(Bytes{'t', 'e', 's', 't'}));
  CHECK_FALSE(s->meta("other").value().has_value());
}

TEST_CASE("store: a conflicting block at a stored height is an error and write_block writes all or nothing") {
  auto s = open_ok(std::string(storage::kInMemory));
  REQUIRE(s->write_block(1, hash_of(1), bytes_of(10, 1), bytes_of(5, 1)).ok());
  auto again = s->write_block(1, hash_of(7), bytes_of(10, 7), bytes_of(5, 7));
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().message.find("write block 1") != std::string::npos);
  CHECK(s->block_at(1).value()->hash == hash_of(1));
  CHECK(s->commit_at(1).value() == std::optional<Bytes>(bytes_of(5, 1)));  // the commit was not replaced

  // The snapshot at height 2 exists already, so the last step of write_block(2) fails: the block
  // and the commit written before it in the same transaction must be gone too.
  REQUIRE(s->write_snapshot(2, bytes_of(4, 4)).ok());
  REQUIRE_FALSE(s->write_block(2, hash_of(2), bytes_of(10, 2), bytes_of(5, 2), bytes_of(4, 5)).ok());
  CHECK(s->latest_height().value() == 1);
  CHECK_FALSE(s->block_at(2).value().has_value());
  CHECK_FALSE(s->commit_at(2).value().has_value());
  CHECK(s->latest_snapshot(2).value()->bytes == bytes_of(4, 4));
  // The store is still usable after the rollback.
  CHECK(s->write_block(2, hash_of(2), bytes_of(10, 2), bytes_of(5, 2)).ok());
}

// The write counters (mtnode's /metrics) count what was written, by kind, and not what failed.
TEST_CASE("store: the write counters count successful writes and their bytes by kind") {
  using K = Store::WriteKind;
  auto s = open_ok(std::string(storage::kInMemory));
  REQUIRE(s->write_block(1, hash_of(1), bytes_of(10, 1), bytes_of(5, 1)).ok());
  REQUIRE_FALSE(s->write_block(1, hash_of(7), bytes_of(10, 7), bytes_of(5, 7)).ok());
  REQUIRE(s->write_snapshot(1, bytes_of(4, 4)).ok());
  REQUIRE(s->write_meta("k", bytes_of(3, 3)).ok());
  CHECK(s->writes(K::block).writes == 1);
  CHECK(s->writes(K::block).bytes == 15);
  CHECK(s->writes(K::snapshot).writes == 1);
  CHECK(s->writes(K::snapshot).bytes == 4);
  CHECK(s->writes(K::meta).bytes == 3);
  CHECK(s->writes(K::commit).writes == 0);
}

TEST_CASE("store: after a crash a file database keeps committed writes and loses the unfinished one") {
  TempDir dir;
  const std::string path = dir.file("node.sqlite");
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The crashing node: commits block 1 and its consensus record, then dies with block 2's
    // transaction open (a raw connection, as SQLite sees a write that never reached COMMIT).
    auto s = Store::open(path);
    if (!s.ok()) _exit(2);
    auto& store = *s.value();
    if (!store.write_block(1, hash_of(1), bytes_of(64, 1), bytes_of(8, 1), bytes_of(16, 1)).ok()) _exit(3);
    if (!store.write_consensus_record(bytes_of(4, 9), {}, nullptr).ok()) _exit(4);
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) _exit(5);
    const char* sql =
        "BEGIN IMMEDIATE; INSERT INTO blocks(height, hash, bytes, sum) VALUES(2, zeroblob(32), x'02', 0);"
        "INSERT INTO commits(height, bytes, sum) VALUES(2, x'02', 0);";
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) _exit(6);
    _exit(0);  // no COMMIT, no close, no destructors: a crash
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);

  auto s = open_ok(path);
  CHECK(s->latest_height().value() == 1);
  CHECK(s->block_at(1).value()->bytes == bytes_of(64, 1));
  CHECK_FALSE(s->block_at(2).value().has_value());
  CHECK_FALSE(s->commit_at(2).value().has_value());
  CHECK(s->latest_snapshot(5).value()->height == 1);
  CHECK(s->consensus_record().value()->head == bytes_of(4, 9));
  // And the restarted node writes on from there.
  CHECK(s->write_block(2, hash_of(2), bytes_of(64, 2), bytes_of(8, 2)).ok());
}

TEST_CASE("store: a corrupted row reads back as an error, not a crash or wrong bytes") {
  TempDir dir;
  const std::string path = dir.file("node.sqlite");
  {
    auto s = open_ok(path);
    REQUIRE(s->write_block(1, hash_of(1), bytes_of(64, 1), bytes_of(8, 1), bytes_of(16, 1)).ok());
    REQUIRE(s->write_block(2, hash_of(2), bytes_of(64, 2), bytes_of(8, 2)).ok());
    REQUIRE(s->write_consensus_record(bytes_of(4, 9), {}, nullptr).ok());
  }
  exec_raw(path,
           "UPDATE blocks SET bytes = x'0102' WHERE height = 1;"
           "UPDATE blocks SET hash = x'01' WHERE height = 2;"
           "UPDATE commits SET bytes = 'text' WHERE height = 1;"
           "UPDATE snapshots SET height = 3 WHERE height = 1;"
           "UPDATE consensus_record SET sum = sum + 1;");
  auto s = open_ok(path);
  auto b1 = s->block_at(1);
  REQUIRE_FALSE(b1.ok());
  CHECK(b1.error().message.find("corrupted") != std::string::npos);
  CHECK_FALSE(s->block_at(2).ok());
  CHECK_FALSE(s->commit_at(1).ok());
  CHECK_FALSE(s->latest_snapshot(10).ok());  // moved to another height: the seeded checksum fails
  CHECK_FALSE(s->consensus_record().ok());
  CHECK(s->commit_at(2).ok());  // untouched rows still read
}

TEST_CASE("store: opening a path that cannot be a database is an error value") {
  TempDir dir;
  auto r = Store::open(dir.file("missing-dir/node.sqlite"));
  CHECK_FALSE(r.ok());
  std::filesystem::create_directory(dir.path / "a-dir");
  CHECK_FALSE(Store::open(dir.file("a-dir")).ok());
}

TEST_CASE("store: pruning keeps the latest snapshot at or below the height and every block after it") {
  auto s = open_ok(std::string(storage::kInMemory));
  for (std::uint64_t h = 1; h <= 10; ++h) {
    std::optional<ByteView> snap;
    Bytes state = bytes_of(8, static_cast<std::uint8_t>(h));
    if (h % 4 == 0) snap = ByteView(state);
    REQUIRE(s->write_block(h, hash_of(static_cast<std::uint8_t>(h)), bytes_of(16, 1), bytes_of(4, 1), snap).ok());
  }
  REQUIRE(s->prune_below(7).ok());  // latest snapshot <= 7 is at 4
  CHECK_FALSE(s->block_at(3).value().has_value());
  CHECK_FALSE(s->commit_at(3).value().has_value());
  CHECK(s->block_at(4).value().has_value());
  CHECK(s->latest_snapshot(7).value()->height == 4);
  CHECK(s->latest_height().value() == 10);
}

TEST_CASE("store: a block can supersede an older commit row in the same transaction") {
  auto s = open_ok(std::string(storage::kInMemory));
  REQUIRE(s->write_block(1, hash_of(1), bytes_of(16, 1), bytes_of(4, 1)).ok());
  REQUIRE(s->write_block(2, hash_of(2), bytes_of(16, 2), bytes_of(4, 2), std::nullopt, 1).ok());
  CHECK_FALSE(s->commit_at(1).value().has_value());
  CHECK(s->commit_at(2).value() == bytes_of(4, 2));
  CHECK(s->block_at(1).value()->bytes == bytes_of(16, 1));  // the block itself stays
  // A block that fails to store deletes nothing.
  CHECK_FALSE(s->write_block(2, hash_of(9), bytes_of(16, 9), bytes_of(4, 9), std::nullopt, 1).ok());
  CHECK(s->commit_at(2).value() == bytes_of(4, 2));
}

TEST_CASE("store: in-memory stores sharing a blob pool hold one copy and read back what each wrote") {
  auto pool = std::make_shared<storage::BlobPool>();
  auto a = Store::open_in_memory(pool);
  auto b = Store::open_in_memory(pool);
  auto alone = Store::open_in_memory();
  REQUIRE((a.ok() && b.ok() && alone.ok()));
  for (std::uint64_t h = 1; h <= 6; ++h) {
    const Bytes block = bytes_of(1000, static_cast<std::uint8_t>(h));
    std::optional<ByteView> snap;
    Bytes state = bytes_of(8, static_cast<std::uint8_t>(h));
    if (h == 4) snap = ByteView(state);
    for (auto* s : {a.value().get(), b.value().get(), alone.value().get()}) {
      REQUIRE(s->write_block(h, hash_of(static_cast<std::uint8_t>(h)), block, bytes_of(4, 1), snap).ok());
    }
  }
  CHECK(pool->live_blobs() == 6);   // one per distinct block, not one per store
  CHECK(pool->shared_hits() == 6);  // b's writes found a's copies
  for (std::uint64_t h = 1; h <= 6; ++h) {
    const auto x = a.value()->block_at(h).value();
    const auto y = alone.value()->block_by_hash(hash_of(static_cast<std::uint8_t>(h))).value();
    const auto z = b.value()->block_by_hash(hash_of(static_cast<std::uint8_t>(h))).value();
    REQUIRE((x && y && z));
    CHECK(x->bytes == bytes_of(1000, static_cast<std::uint8_t>(h)));
    CHECK(y->bytes == x->bytes);
    CHECK(z->bytes == x->bytes);
  }
  // A block that conflicts with a stored one takes no reference.
  CHECK_FALSE(a.value()->write_block(3, hash_of(77), bytes_of(1000, 77), bytes_of(4, 1)).ok());
  CHECK(pool->live_blobs() == 6);
  // Pruning releases the store's references; a blob lives while any store still holds it.
  REQUIRE(a.value()->prune_below(6).ok());  // keeps from the snapshot at 4
  CHECK_FALSE(a.value()->block_at(2).value().has_value());
  CHECK(a.value()->block_at(4).value()->bytes == bytes_of(1000, 4));
  CHECK(pool->live_blobs() == 6);  // b still holds 1..3
  REQUIRE(b.value()->prune_below(6).ok());
  CHECK(pool->live_blobs() == 3);
  a.value().reset();
  b.value().reset();
  CHECK(pool->live_blobs() == 0);
}

TEST_CASE("store: pooled in-memory stores share the consensus record's blocks and ask only for new ones") {
  auto pool = std::make_shared<storage::BlobPool>();
  auto a = Store::open_in_memory(pool);
  auto b = Store::open_in_memory(pool);
  REQUIRE((a.ok() && b.ok()));
  const Bytes block = bytes_of(5000, 7);
  int asked = 0;
  auto give = [&](std::size_t) {
    ++asked;
    return block;
  };
  REQUIRE(a.value()->write_consensus_record(bytes_of(16, 1), {hash_of(7)}, give).ok());
  REQUIRE(b.value()->write_consensus_record(bytes_of(16, 2), {hash_of(7)}, give).ok());
  REQUIRE(a.value()->write_consensus_record(bytes_of(16, 5), {hash_of(7)}, give).ok());  // held: not asked
  CHECK(asked == 2);
  CHECK(pool->live_blobs() == 1);
  auto ra = a.value()->consensus_record().value();
  auto rb = b.value()->consensus_record().value();
  REQUIRE((ra.has_value() && rb.has_value()));
  CHECK(ra->head == bytes_of(16, 5));
  CHECK(rb->head == bytes_of(16, 2));
  CHECK(ra->blocks == std::vector<Bytes>{block});
  CHECK(rb->blocks == std::vector<Bytes>{block});
  // A later record without blocks drops the store's reference.
  REQUIRE(a.value()->write_consensus_record(bytes_of(16, 3), {}, give).ok());
  CHECK(a.value()->consensus_record().value()->blocks.empty());
  REQUIRE(b.value()->write_consensus_record(bytes_of(16, 4), {}, give).ok());
  CHECK(pool->live_blobs() == 0);
}
