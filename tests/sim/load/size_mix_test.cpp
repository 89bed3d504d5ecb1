// The load's size mix: draws follow the weights, each transaction is padded to exactly its drawn
// size when that is above its natural one, and a load without a mix sends memo-less transactions
// (that their bytes and digests did not change is checked scenario by scenario, docs/capacity.md).
#include <doctest/doctest.h>

#include <map>
#include <vector>

#include "sim/load/load_generator.hpp"
#include "sim/load/size_mix.hpp"

using namespace mt;
using namespace mt::sim;

namespace {

LoadGenerator transfers(SizeMix mix) {
  LoadSegment seg;
  seg.kind = LoadKind::poisson;
  seg.tx = LoadTx::mix;  // transfers and delegations: two payloads, their draws interleaved
  seg.rate_milli_per_s = 50'000;
  seg.accounts = 20;
  seg.size_mix = std::move(mix);
  std::vector<Address> validators{crypto::KeyPair::from_label("v0").public_key()};
  return LoadGenerator({seg}, "moderntensor-testnet", crypto::Backend::fast, 1, 11, validators);
}

std::vector<TxPtr> first_txs(LoadGenerator& gen, int n) {
  std::vector<TxPtr> out;
  for (int i = 0; i < n; ++i) {
    REQUIRE(gen.next_arrival(1'000'000'000).has_value());
    out.push_back(gen.make_tx());
  }
  return out;
}

}  // namespace

TEST_CASE("pick_size follows the cumulative weights and memo_bytes_for pads to the target") {
  const SizeMix mix{{250, 3}, {2000, 1}};
  CHECK(total_weight(mix) == 4);
  CHECK(pick_size(mix, 0) == 250);
  CHECK(pick_size(mix, 2) == 250);
  CHECK(pick_size(mix, 3) == 2000);
  CHECK(memo_bytes_for(190, 2000) == 2000 - 190 - memo_wire_bytes(0));
  CHECK(memo_bytes_for(190, 190) == 0);
  CHECK(memo_bytes_for(190, 194) == 0);  // the length bytes alone would overshoot
  CHECK(memo_bytes_for(190, 195) == 1);
  CHECK(memo_bytes_for(500, 250) == 0);  // a size is a floor target, never a truncation
}

TEST_CASE("a size mix pads transactions to sizes drawn by weight") {
  LoadGenerator gen = transfers({{1000, 3}, {4000, 1}});
  std::map<std::size_t, int> sizes;
  for (const auto& tx : first_txs(gen, 400)) {
    ++sizes[tx->size_bytes()];
    CHECK_FALSE(tx->tx().memo.empty());
  }
  REQUIRE(sizes.size() == 2);
  CHECK(sizes.begin()->first == 1000);
  CHECK(sizes.rbegin()->first == 4000);
  CHECK(sizes[1000] > 250);  // 3 in 4 of 400 expected (300)
  CHECK(sizes[1000] < 350);
}

TEST_CASE("without a mix transactions keep their natural sizes and carry no memo") {
  LoadGenerator plain = transfers({});
  const auto txs = first_txs(plain, 50);
  std::map<std::size_t, int> sizes;
  for (const auto& tx : txs) {
    CHECK(tx->tx().memo.empty());
    ++sizes[tx->size_bytes()];
  }
  REQUIRE(sizes.size() == 1);  // a transfer and a delegation (address + amount) are the same size
  CHECK(sizes.begin()->first < 250);
  // A mix below every natural size pads nothing, but draws: the draws shift, the sizes do not.
  LoadGenerator floor = transfers({{10, 1}});
  for (const auto& tx : first_txs(floor, 50)) CHECK(tx->tx().memo.empty());
}
