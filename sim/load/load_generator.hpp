// Open-loop load: arrivals follow the scenario's segments and never wait for replies, so a slow
// chain shows up as latency and pending transactions, not as a politely lower offered rate.
// Transactions are real: signed by funded accounts (keys derived from the seed), exact nonces.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/chain/transaction.hpp"
#include "core/crypto/keys.hpp"
#include "core/util/time.hpp"
#include "sim/engine/random.hpp"
#include "sim/load/load_kinds.hpp"
#include "sim/load/size_mix.hpp"
#include "sim/load/subnet_plan.hpp"

namespace mt::sim {

// One load segment, resolved from the scenario (rates in transactions per second, milli-units so
// no rounding hides in parsing: 80/s == 80000).
struct LoadSegment {
  LoadKind kind = LoadKind::constant;
  LoadTx tx = LoadTx::transfer;
  std::uint64_t rate_milli_per_s = 0;     // start rate
  std::uint64_t to_rate_milli_per_s = 0;  // ramp: end rate
  TimeUs ramp_over_us = 0;                // ramp: time to reach to_rate
  std::uint64_t burst_count = 0;          // burst: txs per burst
  TimeUs burst_every_us = 0;              // burst: period (0: one burst at `from`)
  TimeUs from_us = 0;
  TimeUs until_us = -1;                   // -1: until the end of the run
  std::uint32_t accounts = 1000;          // how many funded accounts sign this segment's txs
  SizeMix size_mix;                       // empty: natural sizes (no memo, no draw)
  // set_weights / register_neuron: the subnets (the same plan for every segment of a run).
  std::shared_ptr<const SubnetPlan> subnets;
};

struct LoadAccount {
  crypto::KeyPair key;
  std::uint64_t next_nonce = 0;
};

// The load accounts' key pairs, account i at index i. Deriving a key costs a scalar
// multiplication, so the world builder derives them once (to fund them at genesis) and hands
// the same keys to the run's generator.
using LoadKeys = std::shared_ptr<const std::vector<crypto::KeyPair>>;

class LoadGenerator {
 public:
  // `keys`, when given, must be derive_keys() for at least account_count() accounts (anything
  // else is derived on first use, to the same keys).
  LoadGenerator(std::vector<LoadSegment> segments, std::string chain_id, crypto::Backend backend,
                Amount fee, std::uint64_t seed, std::vector<Address> validators, LoadKeys keys = nullptr);

  // Accounts that genesis must fund: enough for the largest segment.
  [[nodiscard]] std::vector<Address> funded_accounts() const;
  // The key pairs of those accounts (the generator signs with exactly these).
  [[nodiscard]] LoadKeys derive_keys() const;
  [[nodiscard]] std::uint32_t account_count() const { return account_count_; }

  // The next arrival at or after `now_us` for any segment, or nullopt when the load is over.
  [[nodiscard]] std::optional<TimeUs> next_arrival(TimeUs end_us);
  // Builds the transaction for the arrival just returned by next_arrival.
  TxPtr make_tx();

  [[nodiscard]] std::uint64_t generated() const { return generated_; }

  // The weights validator `i` of `subnet` would send now (exposed for tests): honest = quality
  // plus noise, colluding = all on the favoured miner, lazy = the subnet's last honest row.
  std::vector<WeightEntry> weights_for(std::size_t subnet, std::size_t i);

 private:
  // Account i's key pair: the one given to the constructor, else derived.
  [[nodiscard]] crypto::KeyPair key_of(std::uint32_t i) const;

  struct SegmentState {
    LoadSegment seg;
    TimeUs next_us = 0;
    std::uint64_t burst_left = 0;
    bool done = false;
  };
  [[nodiscard]] double rate_at(const LoadSegment& s, TimeUs t) const;
  void advance(SegmentState& st);
  LoadAccount& account(std::uint32_t i);
  // set_weights from a random validator neuron of a random subnet, signed with its own key.
  Transaction weights_tx(const SizeMix& mix);
  // Pads unsigned `tx` with a memo up to a size drawn from `mix` (nothing, and no draw, when empty).
  void pad_to_mix(Transaction& tx, const SizeMix& mix);
  // register_neuron of a fresh hotkey (stake 0) into a random subnet, paid by load account `from`.
  TxPayload register_payload();

  std::vector<SegmentState> segments_;
  std::string chain_id_;
  crypto::Backend backend_;
  Amount fee_;
  Rng rng_;
  std::vector<Address> validators_;
  std::uint32_t account_count_ = 0;
  LoadKeys keys_;                                      // given at construction, or null
  std::vector<std::optional<LoadAccount>> accounts_;  // derived lazily
  std::size_t current_ = 0;                           // segment of the pending arrival
  std::shared_ptr<const SubnetPlan> plan_;
  std::vector<std::vector<std::uint64_t>> neuron_nonces_;          // [subnet][validator]
  std::vector<std::vector<WeightEntry>> last_honest_;               // [subnet]
  std::uint64_t registered_ = 0;                                    // fresh hotkeys handed out
  std::uint64_t generated_ = 0;
};

}  // namespace mt::sim
