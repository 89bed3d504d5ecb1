// The transition cache is invisible: with it on or off, valid and invalid blocks give the same
// roots and the same errors, and a block applied by many nodes is computed once.
#include <doctest/doctest.h>

#include "core/state/transition_cache.hpp"
#include "tests/core/state/chain_fixture.hpp"

using namespace mt;
using namespace mt::state;
using mt::state::testing::ChainFixture;

TEST_CASE("the transition cache gives the same results on and off, invalid blocks included") {
  ChainFixture c(3, 2);
  TransitionCache on(16, true);
  TransitionCache off(16, false);
  for (int h = 0; h < 6; ++h) {
    auto built = c.build({c.next_tx(c.user(0), Transfer{c.user_addr(1), 7})});
    REQUIRE(built.ok());
    Block bad_root = *built.value().block;
    bad_root.header.state_root.data[3] ^= 1;
    Block bad_body = *built.value().block;
    bad_body.txs.clear();
    for (int node = 0; node < 5; ++node) {  // five nodes apply the same blocks
      for (const Block* b : std::vector<const Block*>{built.value().block.get(), &bad_root, &bad_body}) {
        auto x = on.apply(c.state, *b, c.verifier);
        auto y = off.apply(c.state, *b, c.verifier);
        auto z = apply_block(c.state, *b, c.verifier);
        REQUIRE(x.ok() == y.ok());
        REQUIRE(x.ok() == z.ok());
        if (x.ok()) {
          CHECK(x.value()->root() == z.value()->root());
          CHECK(y.value()->root() == z.value()->root());
          CHECK(x.value()->last_block_hash() == z.value()->last_block_hash());
        } else {
          CHECK(x.error().message == z.error().message);
          CHECK(y.error().message == z.error().message);
        }
      }
    }
    c.advance({c.next_tx(c.user(0), Transfer{c.user_addr(1), 7})});
  }
  CHECK(off.hits() == 0);
  CHECK(off.size() == 0);
  // Per height: the good and bad-root blocks miss once and then hit 4 times each; the bad body
  // is rejected before the cache (it cannot be keyed by its header).
  CHECK(on.misses() == 6 * 2);
  CHECK(on.hits() == 6 * 2 * 4);
  CHECK(on.size() <= 16);
}

TEST_CASE("the transition cache stays within its capacity") {
  ChainFixture c(2, 1);
  TransitionCache cache(3, true);
  for (int h = 0; h < 8; ++h) {
    auto built = c.build({});
    REQUIRE(built.ok());
    CHECK(cache.apply(c.state, *built.value().block, c.verifier).ok());
    c.advance();
  }
  CHECK(cache.size() == 3);
  CHECK(cache.misses() == 8);
}
