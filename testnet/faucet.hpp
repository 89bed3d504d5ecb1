// The testnet faucet: `mt_faucet [address]` pays a fixed amount from a genesis account named
// "faucet" (a scenario's `genesis: {accounts: [{name: faucet, balance: ...}]}`; its key is derived
// from the seed like every named account's, sim::derive_key(seed, "account", "faucet"), so every
// node of the testnet holds it without a key file). Rate-limited per address and overall, on the
// node's monotonic clock: a refused request says which limit and for how long.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>

#include "core/crypto/keys.hpp"
#include "core/util/amount.hpp"
#include "core/util/time.hpp"

namespace mt::testnet {

inline constexpr const char* kFaucetAccountName = "faucet";

struct FaucetLimits {
  Amount payout = 1'000'000;                 // per request
  TimeUs per_address_us = 60 * kUsPerSec;    // one payout per address per minute
  std::size_t overall_max = 30;              // payouts of this node ...
  TimeUs overall_window_us = 60 * kUsPerSec; // ... per sliding minute
};

// The two rate limits. Memory stays bounded: at most overall_max payouts are remembered per
// window, and addresses older than per_address_us are forgotten on the next request.
class FaucetLimiter {
 public:
  explicit FaucetLimiter(FaucetLimits limits = {}) : limits_(limits) {}
  // nullopt when a payout to `to` may go now; else why not (which limit, seconds to wait).
  [[nodiscard]] std::optional<std::string> check(const Address& to, TimeUs now);
  // Records a payout that went out.
  void record(const Address& to, TimeUs now);
  [[nodiscard]] const FaucetLimits& limits() const { return limits_; }

 private:
  void forget_before(TimeUs now);

  FaucetLimits limits_;
  std::map<Address, TimeUs> last_paid_;  // by address
  std::deque<TimeUs> recent_;            // payout times within the overall window, oldest first
};

class JsonRpc;
class NodeRuntime;
// Registers mt_faucet on a node (node_rpc.cpp calls it).
void register_faucet_method(JsonRpc& rpc, NodeRuntime& runtime, FaucetLimits limits = {});

}  // namespace mt::testnet
