// A hostile JSON-RPC client cannot crash a node: every method answered in-process (no socket) with
// out-of-range heights, extra params, bad hashes and huge numbers gets an error object or null;
// raw-byte chain strings that are not UTF-8 serialise (lossy text plus exact hex) instead of
// throwing out of the process.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "testnet/admin_token.hpp"
#include "testnet/node_runtime.hpp"

namespace mt::testnet {
namespace {

namespace fs = std::filesystem;

constexpr const char* kScenario = R"(version: 1
name: rpc-hostile
seed: 1
duration: 1min
validators:
  - { group: val, count: 2, stake: 1000000 }
)";

struct InProcessNode {
  fs::path dir;
  std::unique_ptr<NodeRuntime> rt;
  InProcessNode() : dir(fs::temp_directory_path() / ("mtsim-rpc-" + std::to_string(::getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "scenario.yaml") << kScenario;
    NodeLaunch l;
    l.scenario_path = (dir / "scenario.yaml").string();
    l.data_dir = (dir / "node-0").string();
    l.p2p_ports = {1, 2};  // never bound: the runtime is not run
    l.rpc_ports = {3, 4};
    auto r = NodeRuntime::create(l);
    REQUIRE(r.ok());
    rt = std::move(r).value();
  }
  ~InProcessNode() {
    rt.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  InProcessNode(const InProcessNode&) = delete;
  InProcessNode& operator=(const InProcessNode&) = delete;

  json call(const std::string& method, const json& params, bool admin = true) const {
    const json req{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
    return json::parse(rt->rpc().handle(req.dump(), admin));
  }
};

int code(const json& r) { return r.contains("error") ? r["error"]["code"].get<int>() : 0; }

TEST_CASE("a height at or beyond 2^63 is an invalid-params error, not an assertion") {
  const InProcessNode n;
  CHECK(code(n.call("mt_getBlockByNumber", json::array({std::uint64_t{1} << 63}))) == kInvalidParams);
  CHECK(code(n.call("mt_getBlockByNumber", json::array({UINT64_MAX, true}))) == kInvalidParams);
  const json top = n.call("mt_getBlockByNumber", json::array({std::uint64_t{INT64_MAX}}));
  CHECK(code(top) == 0);
  CHECK(top["result"].is_null());
  CHECK(code(n.call("mt_getCommits", json::array({UINT64_MAX, UINT64_MAX, true}))) == 0);
}

TEST_CASE("every node method refuses more params than it takes, and mistyped ones") {
  const InProcessNode n;
  const json junk = json::array({1, 2, 3, 4, 5});
  for (const char* m : {"mt_chainId", "mt_blockNumber", "mt_getBlockByNumber", "mt_getBlockByHash", "mt_getBalance",
                        "mt_getNonce", "mt_sendRawTransaction", "mt_getTransactionReceipt", "mt_validators",
                        "mt_getValidator", "mt_getDelegation", "mt_status", "mt_getCommits", "mt_setLinkRules",
                        "mt_subnetCount", "mt_getSubnet", "mt_getNeurons", "mt_getNeuron", "mt_getUid"}) {
    CAPTURE(m);
    CHECK(code(n.call(m, junk)) == kInvalidParams);
  }
  CHECK(code(n.call("mt_getBalance", json::array({"0xzz"}))) == kInvalidParams);
  CHECK(code(n.call("mt_getNeuron", json::array({0, 1u << 20}))) == kInvalidParams);
  CHECK(code(n.call("mt_getSubnet", json::array({std::uint64_t{1} << 40}))) == kInvalidParams);
  CHECK(code(n.call("mt_getBlockByNumber", json::array({1e300}))) == kInvalidParams);
  CHECK(code(n.call("mt_sendRawTransaction", json::array({"00ff"}))) == kInvalidParams);
  CHECK(code(n.call("mt_setLinkRules", json::array({{{"blockedOut", {7}}}}))) == kInvalidParams);
}

TEST_CASE("mt_setLinkRules needs the admin token; the node keeps it in a 0600 file in its folder") {
  const InProcessNode n;
  const json rules = json::array({{{"blockedOut", {1}}}});
  CHECK(code(n.call("mt_setLinkRules", rules, /*admin=*/false)) == kUnauthorized);
  CHECK(n.rt->transport().rules().blocked_out.empty());
  CHECK(code(n.call("mt_setLinkRules", rules, /*admin=*/true)) == 0);
  CHECK(n.rt->transport().rules().blocked_out.contains(1));
  auto token = read_admin_token(n.rt->launch().data_dir);
  REQUIRE(token.ok());
  CHECK(token.value().size() == 64);
  const auto perms = fs::status(fs::path(n.rt->launch().data_dir) / kAdminTokenFile).permissions();
  CHECK((perms & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
  auto again = load_or_create_admin_token(n.rt->launch().data_dir);  // a restart keeps it
  REQUIRE(again.ok());
  CHECK(again.value() == token.value());
}

TEST_CASE("subnet names and endpoints that are not UTF-8 serialise as lossy text plus exact hex") {
  state::SubnetInfo s;
  s.name = std::string("ab\xff\xfe", 4);
  state::NeuronInfo nr;
  nr.endpoint = std::string("\xc3", 1);  // a truncated two-byte sequence
  JsonRpc rpc;
  rpc.add("subnet", [&s](const json&) { return RpcReply::ok(subnet_json(s)); });
  rpc.add("neuron", [&nr](const json&) { return RpcReply::ok(neuron_json(nr)); });
  const json a = json::parse(rpc.handle(R"({"jsonrpc":"2.0","id":1,"method":"subnet"})"));
  CHECK(a["result"]["name"] == "ab\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(a["result"]["nameHex"] == "6162fffe");
  const json b = json::parse(rpc.handle(R"({"jsonrpc":"2.0","id":1,"method":"neuron"})"));
  CHECK(b["result"]["endpoint"] == "\xef\xbf\xbd");
  CHECK(b["result"]["endpointHex"] == "c3");
}

}  // namespace
}  // namespace mt::testnet
