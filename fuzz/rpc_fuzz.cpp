// libFuzzer target for the node's JSON-RPC dispatcher with every real method registered (an
// in-process NodeRuntime on a 2-validator scenario, never run). The first input byte picks a
// method (or, past the list, sends the rest as a raw request body); the rest is parsed as the
// params array, or passed as one string param when it is not JSON. handle() never throws,
// crashes or asserts, and always answers valid JSON (or nothing, for a notification).
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "testnet/node_runtime.hpp"

namespace {

using mt::testnet::json;

constexpr std::array<const char*, 19> kMethods{
    "mt_chainId",        "mt_blockNumber",    "mt_getBlockByNumber", "mt_getBlockByHash",     "mt_getBalance",
    "mt_getNonce",       "mt_sendRawTransaction", "mt_getTransactionReceipt", "mt_validators", "mt_getValidator",
    "mt_getDelegation",  "mt_status",         "mt_getCommits",       "mt_setLinkRules",       "mt_subnetCount",
    "mt_getSubnet",      "mt_getNeurons",     "mt_getNeuron",        "mt_getUid"};

mt::testnet::NodeRuntime& runtime() {
  static std::unique_ptr<mt::testnet::NodeRuntime> rt = [] {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("mtsim-fuzz-rpc-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "scenario.yaml") << "version: 1\nname: fuzz-rpc\nseed: 1\nduration: 1min\n"
                                            "validators:\n  - { group: val, count: 2, stake: 1000000 }\n";
    mt::testnet::NodeLaunch l;
    l.scenario_path = (dir / "scenario.yaml").string();
    l.data_dir = (dir / "node-0").string();
    l.p2p_ports = {1, 2};
    l.rpc_ports = {3, 4};
    auto r = mt::testnet::NodeRuntime::create(l);
    if (!r.ok()) {
      std::fprintf(stderr, "fuzz-rpc: %s\n", r.error().message.c_str());
      std::abort();
    }
    return std::move(r).value();
  }();
  return *rt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string body;
  if (data[0] >= kMethods.size()) {
    body = rest;
  } else {
    json params = json::parse(rest, nullptr, false);
    if (params.is_discarded()) params = json::array({rest});  // raw bytes: the serialiser must cope
    json req{{"jsonrpc", "2.0"}, {"id", 1}, {"method", kMethods[data[0]]}, {"params", params}};
    body = mt::testnet::dump_json(req);
  }
  const std::string answer = runtime().rpc().handle(body);
  if (!answer.empty() && json::parse(answer, nullptr, false).is_discarded()) {
    std::fprintf(stderr, "fuzz property violated: the answer is not JSON\n");
    std::abort();
  }
  return 0;
}
