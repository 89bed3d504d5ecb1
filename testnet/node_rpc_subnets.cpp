// The AI layer's JSON-RPC queries (read-only, from the node's finalized state):
//   mt_subnetCount                       -> number of subnets (netuids 0..n-1)
//   mt_getSubnet   [netuid]              -> subnet record or null
//   mt_getNeurons  [netuid]              -> every neuron of the subnet, by uid (bounded by max_neurons)
//   mt_getNeuron   [netuid, uid]         -> neuron record or null
//   mt_getUid      [netuid, hotkey]      -> uid or null
// A subnet name and a neuron endpoint are raw bytes from a transaction: "name" / "endpoint" carry
// them as UTF-8 with each invalid byte replaced by U+FFFD, and "nameHex" / "endpointHex" the exact
// bytes as lowercase hex.
#include <algorithm>

#include "core/state/subnet/store.hpp"
#include "core/util/amount.hpp"
#include "testnet/node_runtime.hpp"

namespace mt::testnet {

json subnet_json(const state::SubnetInfo& s) {
  return json{{"netuid", s.netuid},         {"owner", s.owner.hex()},       {"name", utf8_lossy(s.name)}, {"nameHex", to_hex(as_bytes(s.name))},
              {"minStake", amount_to_string(s.min_stake)}, {"maxNeurons", s.max_neurons},
              {"tempoBlocks", s.tempo_blocks}, {"createdAt", s.created_at}, {"lastEpochHeight", s.last_epoch_height},
              {"neuronCount", s.neuron_count}, {"epochs", s.epochs},       {"emitted", amount_to_string(s.emitted)}};
}

json neuron_json(const state::NeuronInfo& n) {
  return json{{"netuid", n.netuid},       {"uid", n.uid},
              {"hotkey", n.hotkey.hex()}, {"owner", n.owner.hex()},
              {"endpoint", utf8_lossy(n.endpoint)}, {"endpointHex", to_hex(as_bytes(n.endpoint))},   {"stake", amount_to_string(n.stake)},
              {"registeredAt", n.registered_at}, {"rank", n.rank},
              {"trust", n.trust},         {"consensus", n.consensus},
              {"incentive", n.incentive}, {"dividends", n.dividends},
              {"lastEmission", amount_to_string(n.last_emission)}, {"totalEmission", amount_to_string(n.total_emission)}};
}

namespace {

std::optional<std::uint32_t> param_u32(const json& p, std::size_t i) {
  auto v = param_u64(p, i);
  if (!v || *v > UINT32_MAX) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}

}  // namespace

void register_subnet_methods(JsonRpc& rpc, NodeRuntime& rt) {
  rpc.add("mt_subnetCount", [&rt](const json&) { return RpcReply::ok(state::SubnetView(*rt.node().state()).subnet_count()); }, 0);
  rpc.add("mt_getSubnet", [&rt](const json& p) {
    auto netuid = param_u32(p, 0);
    if (!netuid) return RpcReply::fail(kInvalidParams, "expected [netuid]");
    auto s = state::SubnetView(*rt.node().state()).subnet(*netuid);
    return RpcReply::ok(s ? subnet_json(*s) : json(nullptr));
  }, 1);
  rpc.add("mt_getNeurons", [&rt](const json& p) {
    auto netuid = param_u32(p, 0);
    if (!netuid) return RpcReply::fail(kInvalidParams, "expected [netuid]");
    json out = json::array();
    for (const auto& n : state::SubnetView(*rt.node().state()).neurons(*netuid)) out.push_back(neuron_json(n));
    return RpcReply::ok(std::move(out));
  }, 1);
  rpc.add("mt_getNeuron", [&rt](const json& p) {
    auto netuid = param_u32(p, 0);
    auto uid = param_u64(p, 1);
    if (!netuid || !uid || *uid > UINT16_MAX) return RpcReply::fail(kInvalidParams, "expected [netuid, uid]");
    auto n = state::SubnetView(*rt.node().state()).neuron(*netuid, static_cast<std::uint16_t>(*uid));
    return RpcReply::ok(n ? neuron_json(*n) : json(nullptr));
  }, 2);
  rpc.add("mt_getUid", [&rt](const json& p) {
    auto netuid = param_u32(p, 0);
    auto hex = param_string(p, 1);
    Bytes b;
    if (!netuid || !hex || hex->size() != 64 || !from_hex(*hex, b)) return RpcReply::fail(kInvalidParams, "expected [netuid, hotkey]");
    Address a;
    std::copy(b.begin(), b.end(), a.data.begin());
    auto uid = state::SubnetView(*rt.node().state()).uid_of(*netuid, a);
    return RpcReply::ok(uid ? json(*uid) : json(nullptr));
  }, 2);
}

}  // namespace mt::testnet
