// mt_faucet [address] -> {txHash, amount, nonce}: a transfer from the genesis faucet account,
// signed by this node with the faucet's derived key and admitted to its mempool (then gossiped
// like any transaction). Errors: -32602 for an address that is not 64 hex digits (or the faucet
// itself); -32000 when the testnet has no faucet account, a rate limit holds, or the transfer is
// not admitted (an empty faucet says insufficient_balance).
#include "testnet/faucet.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/chain/transaction.hpp"
#include "sim/run/chain_setup.hpp"
#include "testnet/node_runtime.hpp"

namespace mt::testnet {

void FaucetLimiter::forget_before(TimeUs now) {
  while (!recent_.empty() && now - recent_.front() >= limits_.overall_window_us) recent_.pop_front();
  std::erase_if(last_paid_, [&](const auto& e) { return now - e.second >= limits_.per_address_us; });
}

std::optional<std::string> FaucetLimiter::check(const Address& to, TimeUs now) {
  forget_before(now);
  auto secs = [](TimeUs us) { return (us + kUsPerSec - 1) / kUsPerSec; };
  if (auto it = last_paid_.find(to); it != last_paid_.end()) {
    return fmt::format("rate limited: this address was paid {} s ago; one payout per address per {} s (retry in {} s)",
                       (now - it->second) / kUsPerSec, limits_.per_address_us / kUsPerSec,
                       secs(it->second + limits_.per_address_us - now));
  }
  if (recent_.size() >= limits_.overall_max) {
    return fmt::format("rate limited: the faucet paid {} times in the last {} s, its overall limit (retry in {} s)",
                       recent_.size(), limits_.overall_window_us / kUsPerSec,
                       secs(recent_.front() + limits_.overall_window_us - now));
  }
  return std::nullopt;
}

void FaucetLimiter::record(const Address& to, TimeUs now) {
  last_paid_[to] = now;
  recent_.push_back(now);
}

namespace {

std::optional<Address> parse_address(const json& params) {
  auto s = param_string(params, 0);
  if (!s) return std::nullopt;
  std::string_view hex = *s;
  if (hex.starts_with("0x")) hex.remove_prefix(2);
  Bytes b;
  if (hex.size() != 64 || !from_hex(hex, b)) return std::nullopt;
  Address a;
  std::copy(b.begin(), b.end(), a.data.begin());
  return a;
}

// The next nonce the faucet can use: after its committed nonce and every payout still pending here.
std::uint64_t next_nonce(const Node& node, const Address& faucet) {
  std::uint64_t nonce = node.state()->account(faucet).nonce;
  for (const auto& tx : node.mempool().pending_of(faucet)) nonce = std::max(nonce, tx->tx().nonce + 1);
  return nonce;
}

TxPtr faucet_transfer(const NodeRuntime& rt, const crypto::KeyPair& key, const Address& to, Amount amount) {
  Transaction tx;
  tx.chain_id = rt.chain().chain_id;
  tx.sender = key.public_key();
  tx.nonce = next_nonce(rt.node(), tx.sender);
  tx.fee = rt.chain().setup.genesis.params.min_fee;
  tx.payload = Transfer{to, amount};
  tx.sign(key, rt.chain().setup.backend);
  return SignedTx::make(std::move(tx));
}

bool in_genesis(const TestnetChain& chain, const Address& a) {
  const auto& accounts = chain.setup.genesis.accounts;
  return std::any_of(accounts.begin(), accounts.end(), [&](const auto& g) { return g.address == a && g.balance > 0; });
}

}  // namespace

void register_faucet_method(JsonRpc& rpc, NodeRuntime& rt, FaucetLimits limits) {
  auto key = std::make_shared<crypto::KeyPair>(sim::derive_key(rt.launch().seed, "account", kFaucetAccountName));
  const bool present = in_genesis(rt.chain(), key->public_key());
  auto limiter = std::make_shared<FaucetLimiter>(limits);
  rpc.add("mt_faucet", [&rt, key, present, limiter](const json& p) {
    if (!present) {
      return RpcReply::fail(kServerError, "this testnet has no faucet: its scenario needs a genesis account named "
                                          "faucet (genesis: {accounts: [{name: faucet, balance: ...}]})");
    }
    auto to = parse_address(p);
    if (!to) return RpcReply::fail(kInvalidParams, "expected [address (64 hex digits)]");
    if (*to == key->public_key()) return RpcReply::fail(kInvalidParams, "the faucet cannot pay itself");
    if (auto why = limiter->check(*to, rt.now())) return RpcReply::fail(kServerError, *why);
    const TxPtr tx = faucet_transfer(rt, *key, *to, limiter->limits().payout);
    const Admission a = rt.node().on_transaction(tx);
    if (!admitted(a)) return RpcReply::fail(kServerError, fmt::format("faucet transfer not admitted: {}", admission_name(a)));
    limiter->record(*to, rt.now());
    return RpcReply::ok(json{{"txHash", tx->hash().hex()}, {"amount", amount_to_string(limiter->limits().payout)},
                             {"nonce", tx->tx().nonce}});
  }, 1);
}

}  // namespace mt::testnet
