// client_view_consistent holds when every transaction is finalized once along the chain (other
// nodes re-reporting the same heights included), and fires on a transaction replayed in a later
// block or repeated within one, naming both heights.
#include <doctest/doctest.h>

#include "sim/checks/client_view_consistent.hpp"
#include "tests/sim/checks/check_events.hpp"

using namespace mt;
using namespace mt::sim;
using namespace mt::sim::test;

namespace {
Event block(std::uint64_t height, std::vector<std::string> txs) {
  auto e = commit(height, "b" + std::to_string(height));
  for (const auto& t : txs) std::get<BlockCommitted>(e).tx_hashes.push_back(h(t));
  return e;
}
}  // namespace

TEST_CASE("client_view_consistent holds when each transaction is finalized once") {
  auto view = make_view(3, 1);
  ClientViewConsistent check(view);
  for (std::size_t node = 0; node < 3; ++node) {
    check.on_event(node, 10, block(1, {"t1", "t2"}));
    check.on_event(node, 20, block(2, {"t3"}));
  }
  check.on_event(0, 30, block(3, {"t1"}));  // a byzantine node's report is not the chain
  CHECK_FALSE(check.failed());
  CHECK(check.measured() == "3 transactions finalized once each over 2 heights");
}

TEST_CASE("client_view_consistent fires on a transaction finalized again in a later block") {
  auto view = make_view(3);
  ClientViewConsistent check(view);
  check.on_event(1, 10, block(1, {"t1", "t2"}));
  check.on_event(2, 20, block(2, {"t2"}));
  REQUIRE(check.failed());
  CHECK(check.violation()->detail.find("finalized twice: at height 1 and again at height 2") != std::string::npos);
  CHECK(check.violation()->detail.find("v[2]") != std::string::npos);
}

TEST_CASE("client_view_consistent fires on a transaction repeated within one block") {
  auto view = make_view(2);
  ClientViewConsistent check(view);
  check.on_event(0, 10, block(1, {"t1", "t1"}));
  CHECK(check.failed());
}
