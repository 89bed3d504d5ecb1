// The faucet pays from the genesis faucet account into the mempool with consecutive nonces, refuses
// a second payout to one address and any payout past the overall limit until its window passes,
// rejects a malformed address, and says so clearly on a testnet without a faucet account.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/chain/transaction.hpp"
#include "sim/run/chain_setup.hpp"
#include "testnet/faucet.hpp"
#include "testnet/node_runtime.hpp"

namespace mt::testnet {
namespace {

namespace fs = std::filesystem;

constexpr const char* kWithFaucet = R"(version: 1
name: faucet
seed: 1
duration: 1min
validators:
  - { group: val, count: 2, stake: 1000000 }
genesis: { accounts: [ { name: faucet, balance: 100000000 } ] }
)";

constexpr const char* kWithoutFaucet = R"(version: 1
name: no-faucet
seed: 1
duration: 1min
validators:
  - { group: val, count: 2, stake: 1000000 }
)";

struct FaucetNode {
  fs::path dir;
  std::unique_ptr<NodeRuntime> rt;
  explicit FaucetNode(const char* scenario)
      : dir(fs::temp_directory_path() / ("mtsim-faucet-" + std::to_string(::getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "scenario.yaml") << scenario;
    NodeLaunch l;
    l.scenario_path = (dir / "scenario.yaml").string();
    l.data_dir = (dir / "node-0").string();
    l.p2p_ports = {1, 2};  // never bound: the runtime is not run
    l.rpc_ports = {3, 4};
    auto r = NodeRuntime::create(l);
    REQUIRE(r.ok());
    rt = std::move(r).value();
  }
  ~FaucetNode() {
    rt.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  FaucetNode(const FaucetNode&) = delete;
  FaucetNode& operator=(const FaucetNode&) = delete;

  json faucet(const json& params) const {
    const json req{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "mt_faucet"}, {"params", params}};
    return json::parse(rt->rpc().handle(req.dump()));
  }
};

Address addr(std::uint8_t b) {
  Address a;
  a.data.fill(b);
  return a;
}

int code(const json& r) { return r.contains("error") ? r["error"]["code"].get<int>() : 0; }
std::string message(const json& r) { return r.contains("error") ? r["error"]["message"].get<std::string>() : ""; }

TEST_CASE("the faucet limiter holds one payout per address and an overall count per window") {
  FaucetLimiter l(FaucetLimits{.payout = 1, .per_address_us = sec(60), .overall_max = 2, .overall_window_us = sec(10)});
  CHECK_FALSE(l.check(addr(1), 0));
  l.record(addr(1), 0);
  const auto again = l.check(addr(1), sec(5));
  REQUIRE(again);
  CHECK(again->find("per address") != std::string::npos);
  CHECK(again->find("retry in 55 s") != std::string::npos);
  CHECK_FALSE(l.check(addr(2), sec(6)));
  l.record(addr(2), sec(6));
  const auto full = l.check(addr(3), sec(7));
  REQUIRE(full);
  CHECK(full->find("overall") != std::string::npos);
  CHECK(full->find("retry in 3 s") != std::string::npos);
  CHECK_FALSE(l.check(addr(3), sec(10)));  // the payout at 0 has left the 10 s window
  CHECK(l.check(addr(1), sec(59)));        // the first address's minute has not passed yet
  CHECK_FALSE(l.check(addr(1), sec(60)));  // now it has
}

TEST_CASE("mt_faucet pays from the genesis faucet account with consecutive nonces, then rate-limits") {
  const FaucetNode n(kWithFaucet);
  const Address faucet = sim::derive_key(1, "account", kFaucetAccountName).public_key();
  const json first = n.faucet(json::array({addr(7).hex()}));
  REQUIRE(code(first) == 0);
  CHECK(first["result"]["nonce"] == 0);
  CHECK(first["result"]["amount"] == "1000000");
  const json second = n.faucet(json::array({"0x" + addr(8).hex()}));
  REQUIRE(code(second) == 0);
  CHECK(second["result"]["nonce"] == 1);
  const auto pending = n.rt->node().mempool().pending_of(faucet);
  REQUIRE(pending.size() == 2);
  CHECK(pending[0]->hash().hex() == first["result"]["txHash"].get<std::string>());
  const auto& t = std::get<Transfer>(pending[0]->tx().payload);
  CHECK(t.to == addr(7));
  CHECK(t.amount == 1'000'000);

  const json again = n.faucet(json::array({addr(7).hex()}));
  CHECK(code(again) == kServerError);
  CHECK(message(again).find("rate limited") != std::string::npos);
  CHECK(n.rt->node().mempool().pending_of(faucet).size() == 2);
}

TEST_CASE("mt_faucet rejects a bad address and explains a testnet without a faucet") {
  const FaucetNode n(kWithFaucet);
  for (const json& bad : {json::array({"0x12"}), json::array({std::string(64, 'z')}), json::array({42}), json::array()}) {
    CAPTURE(bad);
    CHECK(code(n.faucet(bad)) == kInvalidParams);
  }
  const Address faucet = sim::derive_key(1, "account", kFaucetAccountName).public_key();
  CHECK(code(n.faucet(json::array({faucet.hex()}))) == kInvalidParams);
  CHECK(code(n.faucet(json::array({addr(1).hex(), 1}))) == kInvalidParams);

  const FaucetNode none(kWithoutFaucet);
  const json r = none.faucet(json::array({addr(1).hex()}));
  CHECK(code(r) == kServerError);
  CHECK(message(r).find("no faucet") != std::string::npos);
}

}  // namespace
}  // namespace mt::testnet
