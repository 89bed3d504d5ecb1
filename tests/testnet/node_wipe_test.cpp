// A wipe removes the chain data but keeps the consensus record (signing state, lock, own votes):
// after it, node.sqlite holds no block and the same record, head and blocks, so the restarted
// validator cannot sign what it signed before nor forget its lock.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "core/chain/block.hpp"
#include "core/storage/store.hpp"
#include "testnet/node_wipe.hpp"

namespace mt::testnet {
namespace {

namespace fs = std::filesystem;

TEST_CASE("wipe keeps the consensus record and drops the data") {
  const fs::path dir = fs::temp_directory_path() / ("mtsim-wipe-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const Bytes head{1, 2, 3, 4, 5};
  Block locked;
  locked.header.height = 7;
  locked.header.timestamp_ms = 123;
  const Bytes locked_bytes = locked.encode();
  {
    auto s = storage::Store::open((dir / "node.sqlite").string());
    REQUIRE(s.ok());
    REQUIRE(s.value()->write_consensus_record(head, {locked.hash()}, [&](std::size_t) { return locked_bytes; }).ok());
    REQUIRE(s.value()->write_meta("k", Bytes{9}).ok());
  }
  REQUIRE(wipe_keeping_signing_state(dir.string()).ok());
  auto s = storage::Store::open((dir / "node.sqlite").string());
  REQUIRE(s.ok());
  auto kept = s.value()->consensus_record();
  REQUIRE(kept.ok());
  REQUIRE(kept.value().has_value());
  CHECK(kept.value()->head == head);
  REQUIRE(kept.value()->blocks.size() == 1);
  CHECK(kept.value()->blocks[0] == locked_bytes);
  auto meta = s.value()->meta("k");
  REQUIRE(meta.ok());
  CHECK_FALSE(meta.value().has_value());  // the data went
  s = make_error("closed");
  fs::remove_all(dir);
  // A folder with no store stays without one.
  fs::create_directories(dir);
  REQUIRE(wipe_keeping_signing_state(dir.string()).ok());
  CHECK_FALSE(fs::exists(dir / "node.sqlite"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mt::testnet
