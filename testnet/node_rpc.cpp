// The node's JSON-RPC methods (params are positional arrays; hashes, addresses and raw bytes are
// lowercase hex; amounts are decimal strings because they are 128-bit):
//   mt_chainId, mt_genesisHash, mt_blockNumber
//   mt_getBlockByNumber [height, raw?]   mt_getBlockByHash [hash, raw?]      -> block or null
//   mt_getBalance [address]  mt_getNonce [address]
//   mt_sendRawTransaction [hex]                                             -> tx hash
//   mt_getTransactionReceipt [hash]                                         -> receipt or null
//   mt_validators  mt_getValidator [address]  mt_getDelegation [delegator, validator]
//   mt_status                                                               -> height, peers, syncing, ...
//   mt_getCommits [from_height, max, raw?]   blocks this process committed, with its commit clock;
//                 at most 256 entries and about 4 MiB of JSON (raw blocks count): page on from the
//                 last height returned + 1 until the answer is empty
// Params are range-checked: more params than a method takes, a height beyond 2^63-1, a hash that
// is not 64 hex digits or an out-of-range peer is -32602, never a crash.
//   mt_setLinkRules [{blockedOut, blockedIn, delayOut: [[peer, us], ...]}]  partition/latency faults
//                   (admin: needs the admin token, json_rpc.hpp)
//   mt_faucet [address]  a payout from the genesis faucet account, rate-limited (faucet.hpp)
//   subnets: node_rpc_subnets.cpp
#include <fmt/format.h>

#include <algorithm>

#include "core/chain/transaction.hpp"
#include "core/util/amount.hpp"
#include "testnet/faucet.hpp"
#include "testnet/node_runtime.hpp"

namespace mt::testnet {

namespace {

constexpr std::uint64_t kMaxCommitsPerCall = 256;
constexpr std::size_t kMaxCommitsResponseBytes = 4u << 20;  // then the client pages on
constexpr std::uint64_t kMaxHeight = static_cast<std::uint64_t>(INT64_MAX);  // the store's integer range

std::optional<Hash32> param_hash(const json& params, std::size_t i) {
  auto s = param_string(params, i);
  if (!s) return std::nullopt;
  std::string_view hex = *s;
  if (hex.starts_with("0x")) hex.remove_prefix(2);
  Bytes b;
  if (hex.size() != 64 || !from_hex(hex, b)) return std::nullopt;
  Hash32 h;
  std::copy(b.begin(), b.end(), h.data.begin());
  return h;
}

json block_json(const Block& b, bool raw) {
  json txs = json::array();
  for (const auto& tx : b.txs) txs.push_back(tx->hash().hex());
  json j{{"height", b.header.height},
         {"hash", b.hash().hex()},
         {"parentHash", b.header.parent_hash.hex()},
         {"timestamp", b.header.timestamp_ms},
         {"proposer", b.header.proposer.hex()},
         {"stateRoot", b.header.state_root.hex()},
         {"txRoot", b.header.tx_root.hex()},
         {"transactions", std::move(txs)},
         {"evidenceCount", b.evidence.size()}};
  if (raw) j["raw"] = to_hex(b.encode());
  return j;
}

RpcReply stored_block(const Result<std::optional<storage::StoredBlock>>& stored, bool raw) {
  if (!stored.ok()) return RpcReply::fail(kServerError, "store: " + stored.error().message);
  if (!stored.value()) return RpcReply::ok(nullptr);
  auto block = Block::decode(stored.value()->bytes);
  if (!block.ok()) return RpcReply::fail(kServerError, "stored block does not decode");
  return RpcReply::ok(block_json(block.value(), raw));
}

json commit_json(const CommitRecord& r, bool raw) {
  const BlockCommitted& c = r.event;
  json txs = json::array();
  for (const auto& h : c.tx_hashes) txs.push_back(h.hex());
  json j{{"height", c.height},         {"round", c.round},           {"hash", c.block_hash.hex()},
         {"stateRoot", c.state_root.hex()}, {"proposer", c.proposer.hex()}, {"timestamp", c.timestamp_ms},
         {"transactions", std::move(txs)}, {"evidenceCount", c.evidence_count}, {"viaSync", c.via_sync},
         {"commitUs", r.commit_us}};
  if (raw && c.block) j["raw"] = to_hex(c.block->encode());
  return j;
}

void add_chain_methods(JsonRpc& rpc, NodeRuntime& rt) {
  rpc.add("mt_chainId", [&rt](const json&) { return RpcReply::ok(rt.chain().chain_id); }, 0);
  rpc.add("mt_genesisHash", [&rt](const json&) { return RpcReply::ok(rt.chain().genesis_hash.hex()); }, 0);
  rpc.add("mt_blockNumber", [&rt](const json&) { return RpcReply::ok(rt.node().height()); }, 0);
  rpc.add("mt_getBlockByNumber", [&rt](const json& p) {
    auto h = param_u64(p, 0);
    if (!h || *h > kMaxHeight) return RpcReply::fail(kInvalidParams, "expected [height (0..2^63-1), raw?]");
    return stored_block(rt.store().block_at(*h), param_bool(p, 1, false));
  }, 2);
  rpc.add("mt_getBlockByHash", [&rt](const json& p) {
    auto h = param_hash(p, 0);
    if (!h) return RpcReply::fail(kInvalidParams, "expected [block hash (64 hex digits), raw?]");
    return stored_block(rt.store().block_by_hash(*h), param_bool(p, 1, false));
  }, 2);
  rpc.add("mt_getTransactionReceipt", [&rt](const json& p) {
    auto h = param_hash(p, 0);
    if (!h) return RpcReply::fail(kInvalidParams, "expected [tx hash (64 hex digits)]");
    auto height = rt.tx_height(*h);
    if (!height) return RpcReply::ok(nullptr);
    auto stored = rt.store().block_at(*height);
    json r{{"transactionHash", h->hex()}, {"blockNumber", *height}, {"status", "finalized"}};
    if (stored.ok() && stored.value()) r["blockHash"] = stored.value()->hash.hex();
    return RpcReply::ok(std::move(r));
  }, 1);
  rpc.add("mt_sendRawTransaction", [&rt](const json& p) {
    auto hex = param_string(p, 0);
    Bytes bytes;
    if (!hex || !from_hex(*hex, bytes)) return RpcReply::fail(kInvalidParams, "expected [signed tx bytes as hex]");
    auto tx = SignedTx::decode(bytes);
    if (!tx.ok()) return RpcReply::fail(kInvalidParams, "transaction does not decode: " + tx.error().message);
    const Admission a = rt.node().on_transaction(tx.value());
    if (!admitted(a)) return RpcReply::fail(kServerError, "transaction not admitted: " + std::string(admission_name(a)));
    return RpcReply::ok(tx.value()->hash().hex());
  }, 1);
}

void add_state_methods(JsonRpc& rpc, NodeRuntime& rt) {
  rpc.add("mt_getBalance", [&rt](const json& p) {
    auto a = param_hash(p, 0);
    if (!a) return RpcReply::fail(kInvalidParams, "expected [address (64 hex digits)]");
    return RpcReply::ok(amount_to_string(rt.node().state()->account(*a).balance));
  }, 1);
  rpc.add("mt_getNonce", [&rt](const json& p) {
    auto a = param_hash(p, 0);
    if (!a) return RpcReply::fail(kInvalidParams, "expected [address (64 hex digits)]");
    return RpcReply::ok(rt.node().state()->account(*a).nonce);
  }, 1);
  rpc.add("mt_validators", [&rt](const json&) {
    json out = json::array();
    const auto& s = *rt.node().state();
    for (const auto& e : s.validator_set().entries()) {
      json v{{"address", e.address.hex()}, {"power", e.power}};
      if (auto info = s.validator(e.address)) {
        v["selfStake"] = amount_to_string(info->self_stake);
        v["delegated"] = amount_to_string(info->delegated);
        v["jailed"] = info->jailed;
      }
      out.push_back(std::move(v));
    }
    return RpcReply::ok(std::move(out));
  }, 0);
  rpc.add("mt_getValidator", [&rt](const json& p) {
    auto a = param_hash(p, 0);
    if (!a) return RpcReply::fail(kInvalidParams, "expected [address (64 hex digits)]");
    auto info = rt.node().state()->validator(*a);
    if (!info) return RpcReply::ok(nullptr);
    return RpcReply::ok(json{{"address", a->hex()},
                             {"selfStake", amount_to_string(info->self_stake)},
                             {"delegated", amount_to_string(info->delegated)},
                             {"jailed", info->jailed},
                             {"jailedUntil", info->jailed_until},
                             {"tombstoned", info->tombstoned},
                             {"missedBlocks", info->missed_blocks}});
  }, 1);
  rpc.add("mt_getDelegation", [&rt](const json& p) {
    auto d = param_hash(p, 0);
    auto v = param_hash(p, 1);
    if (!d || !v) return RpcReply::fail(kInvalidParams, "expected [delegator, validator]");
    return RpcReply::ok(amount_to_string(rt.node().state()->delegation(*d, *v)));
  }, 2);
}

json status_json(NodeRuntime& rt) {
  const auto& n = rt.node();
  const auto& st = n.stats();
  const auto& ts = rt.transport().stats();
  json by_kind = json::object();
  for (std::uint8_t k = 1; k <= kMsgKindMax; ++k) {
    const auto& c = rt.transport().by_kind()[k];
    by_kind[std::string(msg_kind_name(static_cast<MsgKind>(k)))] =
        json{{"sent", c.sent}, {"received", c.received}, {"dropped", c.dropped}, {"bytes", c.bytes}};
  }
  json scores = json::object();
  for (const auto& [peer, score] : rt.transport().peer_scores()) scores[std::to_string(peer)] = score;
  return json{{"index", rt.launch().index},
              {"height", n.height()},
              {"lastBlockHash", n.state()->last_block_hash().hex()},
              {"started", n.started()},
              {"syncing", n.syncing()},
              {"peers", rt.transport().connected_peers()},
              {"inbound", rt.transport().inbound_connections()},
              {"nowUs", rt.now()},
              {"mempool", n.mempool().size()},
              {"stats", {{"messagesReceived", st.messages_received}, {"messagesRejected", st.messages_rejected},
                         {"txsAdmitted", st.txs_admitted}, {"blocksCommitted", st.blocks_committed},
                         {"blocksSynced", st.blocks_synced}, {"blocksReplayed", st.blocks_replayed}}},
              {"transport", {{"framesSent", ts.frames_sent}, {"framesReceived", ts.frames_received},
                             {"droppedQueueFull", ts.dropped_queue_full}, {"droppedByRules", ts.dropped_by_rules},
                             {"handshakesRefused", ts.handshakes_refused}, {"badFrames", ts.bad_frames}}},
              {"byKind", std::move(by_kind)},
              {"peerScores", std::move(scores)}};
}

// [{blockedOut: [peer...], blockedIn: [peer...], delayOut: [[peer, us]...]}] -> rules, or nullopt.
std::optional<LinkRules> parse_link_rules(const json& p, std::uint32_t peer_count) {
  if (!p.is_array() || p.size() != 1 || !p[0].is_object()) return std::nullopt;
  const json& r = p[0];
  LinkRules rules;
  auto peer_list = [peer_count](const json& j, std::set<PeerId>& out) {
    if (!j.is_array()) return false;
    for (const auto& e : j) {
      if (!e.is_number_unsigned() || e.get<std::uint64_t>() >= peer_count) return false;
      out.insert(e.get<PeerId>());
    }
    return true;
  };
  if (!peer_list(r.value("blockedOut", json::array()), rules.blocked_out) ||
      !peer_list(r.value("blockedIn", json::array()), rules.blocked_in)) {
    return std::nullopt;
  }
  const json delays = r.value("delayOut", json::array());
  if (!delays.is_array()) return std::nullopt;
  for (const auto& d : delays) {
    if (!d.is_array() || d.size() != 2 || !d[0].is_number_unsigned() || d[0].get<std::uint64_t>() >= peer_count ||
        !d[1].is_number_unsigned() || d[1].get<std::uint64_t>() > 60 * static_cast<std::uint64_t>(kUsPerSec)) {
      return std::nullopt;
    }
    rules.delay_out[d[0].get<PeerId>()] = static_cast<TimeUs>(d[1].get<std::uint64_t>());
  }
  return rules;
}

void add_testnet_methods(JsonRpc& rpc, NodeRuntime& rt) {
  rpc.add("mt_status", [&rt](const json&) { return RpcReply::ok(status_json(rt)); }, 0);
  rpc.add("mt_getCommits", [&rt](const json& p) {
    auto from = param_u64(p, 0);
    if (!from) return RpcReply::fail(kInvalidParams, "expected [from_height, max?, raw?]");
    const std::uint64_t max = std::clamp<std::uint64_t>(param_u64(p, 1).value_or(kMaxCommitsPerCall), 1, kMaxCommitsPerCall);
    const bool raw = param_bool(p, 2, false);
    json out = json::array();
    std::size_t bytes = 0;
    for (auto it = rt.commits().lower_bound(*from); it != rt.commits().end() && out.size() < max; ++it) {
      json one = commit_json(it->second, raw);
      bytes += dump_json(one).size();
      if (!out.empty() && bytes > kMaxCommitsResponseBytes) break;  // the client pages on
      out.push_back(std::move(one));
    }
    return RpcReply::ok(std::move(out));
  }, 3);
  rpc.add_admin("mt_setLinkRules", [&rt](const json& p) {
    auto rules = parse_link_rules(p, rt.transport().peer_count());
    if (!rules) {
      return RpcReply::fail(kInvalidParams, fmt::format("expected [{{blockedOut: [peer...], blockedIn: [peer...], "
                                                        "delayOut: [[peer, us <= 60s]...]}}] with peers below {}",
                                                        rt.transport().peer_count()));
    }
    rt.transport().set_rules(std::move(*rules));
    return RpcReply::ok(true);
  }, 1);
}

}  // namespace

void register_node_methods(JsonRpc& rpc, NodeRuntime& rt) {
  add_chain_methods(rpc, rt);
  add_state_methods(rpc, rt);
  add_testnet_methods(rpc, rt);
  register_subnet_methods(rpc, rt);
  register_faucet_method(rpc, rt);
}

}  // namespace mt::testnet
