// A wipe removes the chain data but keeps the signing state: after it, node.sqlite holds no block
// and the same signing-state bytes, so the restarted validator cannot sign what it signed before.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "core/storage/store.hpp"
#include "testnet/node_wipe.hpp"

namespace mt::testnet {
namespace {

namespace fs = std::filesystem;

TEST_CASE("wipe keeps the signing state and drops the blocks") {
  const fs::path dir = fs::temp_directory_path() / ("mtsim-wipe-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const Bytes state{1, 2, 3, 4, 5};
  {
    auto s = storage::Store::open((dir / "node.sqlite").string());
    REQUIRE(s.ok());
    REQUIRE(s.value()->write_signing_state(state).ok());
    REQUIRE(s.value()->write_meta("k", Bytes{9}).ok());
  }
  REQUIRE(wipe_keeping_signing_state(dir.string()).ok());
  auto s = storage::Store::open((dir / "node.sqlite").string());
  REQUIRE(s.ok());
  auto kept = s.value()->signing_state();
  REQUIRE(kept.ok());
  REQUIRE(kept.value().has_value());
  CHECK(*kept.value() == state);
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
