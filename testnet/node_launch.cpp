#include "testnet/node_launch.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>


namespace mt::testnet {

using json = nlohmann::json;

Status write_launch(const std::string& path, const NodeLaunch& l) {
  const json j{{"scenario", l.scenario_path}, {"overrides", l.overrides}, {"seed", l.seed},
               {"index", l.index},            {"data_dir", l.data_dir},   {"epoch_ns", l.epoch_ns},
               {"host", l.host},              {"p2p_ports", l.p2p_ports}, {"rpc_ports", l.rpc_ports}};
  std::ofstream f(path, std::ios::trunc);
  if (!f) return make_error("cannot write " + path);
  f << j.dump(2) << "\n";
  return f ? Status{} : Status{make_error("cannot write " + path)};
}

Result<NodeLaunch> read_launch(const std::string& path) {
  std::ifstream f(path);
  if (!f) return make_error("cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  json j = json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error(path + ": not a JSON object");
  NodeLaunch l;
  try {
    l.scenario_path = j.at("scenario").get<std::string>();
    l.overrides = j.value("overrides", std::vector<std::string>{});
    l.seed = j.at("seed").get<std::uint64_t>();
    l.index = j.at("index").get<std::uint32_t>();
    l.data_dir = j.at("data_dir").get<std::string>();
    l.epoch_ns = j.at("epoch_ns").get<std::int64_t>();
    l.host = j.value("host", std::string("127.0.0.1"));
    l.p2p_ports = j.at("p2p_ports").get<std::vector<std::uint16_t>>();
    l.rpc_ports = j.at("rpc_ports").get<std::vector<std::uint16_t>>();
  } catch (const json::exception& e) {
    return make_error(path + ": " + e.what());
  }
  if (l.p2p_ports.size() != l.rpc_ports.size() || l.index >= l.p2p_ports.size()) {
    return make_error(path + ": index and port tables disagree");
  }
  return l;
}

Result<TestnetChain> build_testnet_chain(const sim::Scenario& scenario, std::uint64_t seed) {
  auto setup = sim::make_chain_setup(scenario, seed);
  if (!setup.ok()) return setup.error();
  auto genesis = sim::make_genesis_state(setup.value());
  if (!genesis.ok()) return genesis.error();
  TestnetChain c;
  c.setup = std::move(setup).value();
  c.genesis = std::move(genesis.value().state);
  c.chain_id = c.setup.chain_id();
  c.genesis_hash = genesis.value().hash;
  return c;
}

}  // namespace mt::testnet
