// A validator restarted over a damaged store: a torn block, commit or snapshot row is noticed at
// start (never an assertion), the node drops back to the last good height, syncs the rest from
// its peers and signs again; a torn consensus record leaves it following without signing; writes
// lost to a power loss only move it back a height.
#include <doctest/doctest.h>

#include "tests/core/node/node_harness.hpp"

using namespace mt;
using namespace mt::test;
using Table = storage::Store::Table;

namespace {

constexpr TimeUs kLongDeadline = sec(600);  // of simulated time, from the call

std::size_t votes_cast(NodeHarness& h, PeerId id) {
  std::size_t n = 0;
  for (const auto& e : h.ctx(id).events) n += std::holds_alternative<VoteCast>(e) ? 1u : 0u;
  return n;
}

// Runs until node 1 stands at a height with at least two blocks above the last snapshot (every
// 5 heights in the harness), crashes it and returns that height.
std::uint64_t crash_between_snapshots(NodeHarness& h) {
  REQUIRE(h.run_until([&] { return h.node(1).height() >= 7 && h.node(1).height() % 5 >= 2; }, kLongDeadline));
  const std::uint64_t top = h.node(1).height();
  h.crash(1);
  return top;
}

// After the restart: node 1 catches up, agrees with node 0 and votes again.
void check_rejoins(NodeHarness& h, std::uint64_t top) {
  const std::size_t cast = votes_cast(h, 1);
  REQUIRE(h.run_until([&] { return h.min_live_height() >= top + 3; }, kLongDeadline));
  CHECK_FALSE(h.node(1).signing_disabled());
  CHECK(votes_cast(h, 1) > cast);
  for (std::uint64_t x = 1; x <= top + 3; ++x) CHECK(h.committed(1).at(x) == h.committed(0).at(x));
}

}  // namespace

TEST_CASE("a torn block row: the node restarts two heights back, deletes the rows above, syncs and signs") {
  NodeHarness h({});
  h.start_all();
  const std::uint64_t top = crash_between_snapshots(h);
  REQUIRE(h.ctx(1).storage().damage_newest(Table::blocks).value().has_value());
  h.restart(1);  // before: MT_ASSERT in restore_from_storage
  // Commit top-1 rode in the torn block (only the newest commit has a row): top-1 goes too, and
  // the node restarts at top-2, whose commit block top-1 carries.
  CHECK(h.node(1).height() == top - 2);
  CHECK(h.node(1).stats().rows_dropped == 1);
  CHECK(h.node(1).stats().heights_dropped == 2);
  CHECK(h.ctx(1).storage().latest_height().value() == top - 2);
  check_rejoins(h, top);
}

TEST_CASE("a torn commit row: the node falls back to the height whose commit the top block carries") {
  NodeHarness h({});
  h.start_all();
  const std::uint64_t top = crash_between_snapshots(h);
  REQUIRE(h.ctx(1).storage().damage_newest(Table::commits).value() ==
          std::optional<storage::Store::RowId>(storage::Store::RowId{Table::commits, top}));
  h.restart(1);
  CHECK(h.node(1).height() == top - 1);
  CHECK(h.node(1).stats().heights_dropped == 1);
  check_rejoins(h, top);
}

TEST_CASE("a torn snapshot row: the node replays from the snapshot before (or genesis) and keeps its height") {
  NodeHarness h({});
  h.start_all();
  const std::uint64_t top = crash_between_snapshots(h);
  REQUIRE(h.ctx(1).storage().damage_newest(Table::snapshots).value().has_value());
  h.restart(1);
  CHECK(h.node(1).height() == top);
  CHECK(h.node(1).stats().rows_dropped == 1);
  CHECK(h.node(1).stats().heights_dropped == 0);
  CHECK(h.node(1).stats().blocks_replayed == top - (top / 5 - 1) * 5);  // from the snapshot before
  check_rejoins(h, top);
}

TEST_CASE("a torn consensus record: the node notices, follows the chain and never signs from it") {
  NodeHarness h({});
  h.start_all();
  REQUIRE(h.run_until([&] { return h.min_live_height() >= 3 && votes_cast(h, 2) > 0; }, kLongDeadline));
  h.crash(2);
  // A validator that voted last wrote its record last: that is the write torn.
  REQUIRE(h.ctx(2).storage().write_consensus_record(Bytes(16, 0x05), {}, nullptr).ok());
  CHECK(h.ctx(2).storage().tear_last_write().value() ==
        std::optional<storage::Store::RowId>(storage::Store::RowId{Table::consensus_record, 0}));
  const std::size_t cast = votes_cast(h, 2);
  h.restart(2);
  CHECK(h.node(2).signing_disabled());
  const std::uint64_t start = h.node(0).height();
  REQUIRE(h.run_until([&] { return h.min_live_height() >= start + 4; }, kLongDeadline));
  CHECK(votes_cast(h, 2) == cast);
}

TEST_CASE("a power loss after a block write: the block is lost, the node restarts a height back and catches up") {
  NodeHarness h({});
  h.ctx(1).storage().keep_unsynced_log(64);
  h.start_all();
  // Right after node 1 stored a block and before its next synced record write.
  REQUIRE(h.run_until([&] { return h.node(1).height() >= 4 && h.ctx(1).storage().unsynced_transactions() > 0; },
                      kLongDeadline));
  const std::uint64_t top = h.node(1).height();
  h.crash(1);
  CHECK(h.ctx(1).storage().lose_unsynced().value() >= 1);
  CHECK(h.ctx(1).storage().latest_height().value() < top);
  h.restart(1);
  CHECK(h.node(1).height() < top);
  CHECK(h.node(1).consensus()->stats().signing_refused == 0);
  check_rejoins(h, top);
}
