// End to end with real processes: four mtnode validators on loopback finalize blocks; a transfer
// sent through JSON-RPC lands in a finalized block and every node reports the same balances and
// receipt; a validator killed with SIGKILL keeps the other three finalizing (3 of 4 > 2/3), and
// restarted from its SQLite file it catches up with them. Takes ~10-20 s, so it lives in the
// "testnet" suite:  build/bin/mtsim-tests --test-suite=testnet
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/chain/transaction.hpp"
#include "core/util/amount.hpp"
#include "sim/run/chain_setup.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "testnet/node_launch.hpp"
#include "testnet/node_process.hpp"
#include "testnet/port_picker.hpp"
#include "testnet/realtime_context.hpp"
#include "testnet/rpc_client.hpp"

#ifndef MTNODE_BINARY
#define MTNODE_BINARY "mtnode"
#endif

namespace mt::testnet {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kScenario = R"(version: 1
name: e2e-four
seed: 1
duration: 10min
chain: { block_time: 1s }
validators:
  - { group: val, count: 4, stake: 1000000 }
genesis:
  accounts:
    - { name: alice, balance: 1000000 }
    - { name: bob, balance: 5000 }
)";

struct Testnet {
  fs::path dir;
  std::vector<NodeProcess> procs;
  std::vector<std::unique_ptr<RpcClient>> rpc;
  std::vector<std::string> launch_files;

  Testnet() : dir(fs::temp_directory_path() / ("mtsim-e2e-" + std::to_string(::getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "scenario.yaml") << kScenario;
  }
  ~Testnet() {
    procs.clear();  // kills and reaps every node, on every path out of the test
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  Testnet(const Testnet&) = delete;
  Testnet& operator=(const Testnet&) = delete;

  void start(std::size_t n) {
    auto ports = pick_free_ports(2 * n);
    REQUIRE(ports.ok());
    NodeLaunch l;
    l.scenario_path = (dir / "scenario.yaml").string();
    l.epoch_ns = mono_now_ns();
    l.p2p_ports.assign(ports.value().begin(), ports.value().begin() + static_cast<std::ptrdiff_t>(n));
    l.rpc_ports.assign(ports.value().begin() + static_cast<std::ptrdiff_t>(n), ports.value().end());
    procs.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      l.index = static_cast<std::uint32_t>(i);
      l.data_dir = (dir / ("node-" + std::to_string(i))).string();
      fs::create_directories(l.data_dir);
      launch_files.push_back(l.data_dir + "/launch.json");
      REQUIRE(write_launch(launch_files.back(), l).ok());
      rpc.push_back(std::make_unique<RpcClient>("127.0.0.1", l.rpc_ports[i], 2 * kUsPerSec));
      spawn(i);
    }
  }
  void spawn(std::size_t i) {
    REQUIRE(procs[i].spawn({MTNODE_BINARY, "--config", launch_files[i]}, launch_files[i] + ".log").ok());
  }
  std::uint64_t height(std::size_t i) {
    auto r = rpc[i]->call("mt_blockNumber");
    return r.ok() ? r.value().get<std::uint64_t>() : 0;
  }
  // Waits until pred() holds; false after `seconds`.
  template <class F>
  bool wait_for(F pred, int seconds) {
    const auto until = Clock::now() + std::chrono::seconds(seconds);
    while (Clock::now() < until) {
      if (pred()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return pred();
  }
};

std::string balance(RpcClient& rpc, const Address& a) {
  auto r = rpc.call("mt_getBalance", json::array({a.hex()}));
  return r.ok() ? r.value().get<std::string>() : "?";
}

TEST_SUITE("testnet") {
TEST_CASE("four mtnode processes finalize, agree on a JSON-RPC transfer, and a SIGKILLed node catches up") {
  const auto t0 = Clock::now();
  Testnet net;
  net.start(4);
  REQUIRE(net.wait_for([&] { for (std::size_t i = 0; i < 4; ++i) if (net.height(i) < 2) return false; return true; }, 60));

  auto scenario = sim::load_scenario((net.dir / "scenario.yaml").string());
  REQUIRE(scenario.ok());
  auto chain = build_testnet_chain(scenario.value(), 1);
  REQUIRE(chain.ok());
  const auto alice = sim::derive_key(1, "account", "alice");
  const auto bob = sim::derive_key(1, "account", "bob");
  Transaction tx;
  tx.chain_id = chain.value().chain_id;
  tx.sender = alice.public_key();
  tx.nonce = 0;
  tx.fee = chain.value().setup.genesis.params.min_fee;
  tx.payload = Transfer{bob.public_key(), 1234};
  tx.sign(alice, chain.value().setup.backend);
  const TxPtr signed_tx = SignedTx::make(tx);
  auto sent = net.rpc[0]->call("mt_sendRawTransaction", json::array({to_hex(signed_tx->encoded())}));
  REQUIRE(sent.ok());
  CHECK(sent.value() == signed_tx->hash().hex());

  // Every node finalizes it, with the same receipt and the same balances.
  const json hash = json::array({signed_tx->hash().hex()});
  REQUIRE(net.wait_for([&] { for (auto& r : net.rpc) { auto x = r->call("mt_getTransactionReceipt", hash); if (!x.ok() || x.value().is_null()) return false; } return true; }, 30));
  const auto receipt = net.rpc[0]->call("mt_getTransactionReceipt", hash).value();
  const std::string expected_alice = amount_to_string(Amount(1000000 - 1234) - tx.fee);
  for (auto& r : net.rpc) {
    CHECK(r->call("mt_getTransactionReceipt", hash).value()["blockHash"] == receipt["blockHash"]);
    CHECK(balance(*r, bob.public_key()) == "6234");
    CHECK(balance(*r, alice.public_key()) == expected_alice);
    CHECK(r->call("mt_getNonce", json::array({alice.public_key().hex()})).value() == 1);
  }
  // Staking and AI-layer queries read the same finalized state.
  auto validators = net.rpc[2]->call("mt_validators");
  REQUIRE(validators.ok());
  CHECK(validators.value().size() == 4);
  CHECK(net.rpc[2]->call("mt_subnetCount").value() == 0);
  CHECK(net.rpc[2]->call("mt_getSubnet", json::array({0})).value().is_null());
  auto block = net.rpc[1]->call("mt_getBlockByNumber", json::array({receipt["blockNumber"]}));
  REQUIRE(block.ok());
  CHECK(block.value()["transactions"].dump().find(signed_tx->hash().hex()) != std::string::npos);

  // SIGKILL one validator: the other three keep finalizing.
  net.procs[3].kill_and_reap();
  const std::uint64_t at_kill = net.height(0);
  REQUIRE(net.wait_for([&] { return net.height(0) >= at_kill + 3 && net.height(1) >= at_kill + 3; }, 30));
  // Restarted from its store, it catches up with the others.
  net.spawn(3);
  const std::uint64_t target = net.height(0);
  REQUIRE(net.wait_for([&] { return net.height(3) >= target; }, 30));
  CHECK(balance(*net.rpc[3], bob.public_key()) == "6234");
  auto status = net.rpc[3]->call("mt_status");
  REQUIRE(status.ok());
  CHECK(status.value()["stats"]["blocksReplayed"].get<std::uint64_t>() > 0);
  // Every node still agrees on the block at the target height.
  auto h0 = net.rpc[0]->call("mt_getBlockByNumber", json::array({target}));
  auto h3 = net.rpc[3]->call("mt_getBlockByNumber", json::array({target}));
  REQUIRE((h0.ok() && h3.ok()));
  CHECK(h0.value()["hash"] == h3.value()["hash"]);
  MESSAGE("4-node testnet end to end took "
          << std::chrono::duration<double>(Clock::now() - t0).count() << " s");
}
}

}  // namespace
}  // namespace mt::testnet
