// LoadGenerator: keys derived once by the world builder and handed to the generator give the
// very transactions the generator would sign with keys it derives itself.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "sim/load/load_generator.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
LoadGenerator transfers(std::uint32_t accounts, LoadKeys keys) {
  LoadSegment seg;
  seg.kind = LoadKind::poisson;
  seg.tx = LoadTx::transfer;
  seg.rate_milli_per_s = 50'000;
  seg.accounts = accounts;
  return LoadGenerator({seg}, "moderntensor-testnet", crypto::Backend::fast, 1, 11, {}, std::move(keys));
}
std::vector<Hash32> first_txs(LoadGenerator& gen, int n) {
  std::vector<Hash32> out;
  for (int i = 0; i < n; ++i) {
    REQUIRE(gen.next_arrival(1'000'000'000).has_value());
    out.push_back(gen.make_tx()->hash());
  }
  return out;
}
}  // namespace

TEST_CASE("a load generator given the derived keys signs exactly what it would sign deriving them itself") {
  LoadGenerator own = transfers(12, nullptr);
  const LoadKeys keys = own.derive_keys();
  REQUIRE(keys->size() == 12);
  std::vector<Address> from_keys;
  for (const auto& k : *keys) from_keys.push_back(k.public_key());
  CHECK(own.funded_accounts() == from_keys);

  LoadGenerator given = transfers(12, keys);
  CHECK(given.funded_accounts() == from_keys);
  const auto expected = first_txs(own, 60);
  CHECK(first_txs(given, 60) == expected);

  // Keys for only some accounts: the rest are derived, to the same keys.
  auto some = std::make_shared<std::vector<crypto::KeyPair>>(keys->begin(), keys->begin() + 5);
  LoadGenerator partial = transfers(12, some);
  CHECK(first_txs(partial, 60) == expected);

  // The given keys really are the ones used: other keys sign other transactions.
  auto shuffled = std::make_shared<std::vector<crypto::KeyPair>>(keys->rbegin(), keys->rend());
  LoadGenerator other = transfers(12, shuffled);
  CHECK(first_txs(other, 60) != expected);
}
