// The AI layer's state records: subnets, neurons, the hotkey -> uid index, weight rows and weight
// commitments. They live in the one MerkleMap beside accounts and validators (records.hpp lays out
// their keys), so the state root commits to every score and weight.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/chain/transaction.hpp"
#include "core/codec/codec.hpp"
#include "core/util/amount.hpp"
#include "core/util/bytes.hpp"
#include "core/util/result.hpp"

namespace mt::state {

struct SubnetInfo {
  std::uint32_t netuid = 0;
  Address owner;
  std::string name;
  Amount min_stake = 0;                 // validator permit: stake >= min_stake (and > 0)
  std::uint16_t max_neurons = 0;
  std::uint64_t tempo_blocks = 0;
  std::uint64_t created_at = 0;         // height
  std::uint64_t last_epoch_height = 0;  // the step runs when height >= last_epoch_height + tempo
  std::uint16_t neuron_count = 0;       // uids [0, neuron_count) are taken; a uid is replaced, never freed
  std::uint64_t epochs = 0;             // epoch steps run
  // Cumulative emission accounting: emitted == to_neurons + to_owner + to_infrastructure + burned + to_treasury.
  Amount emitted = 0;
  Amount to_neurons = 0;
  Amount to_owner = 0;
  Amount to_infrastructure = 0;
  Amount burned = 0;
  Amount to_treasury = 0;
  bool operator==(const SubnetInfo&) const = default;
};

// Scores are fixed point with kYumaOne (yuma_scoring.hpp) == 1.0.
struct NeuronInfo {
  std::uint32_t netuid = 0;
  std::uint16_t uid = 0;
  Address hotkey;
  Address owner;                   // locked the stake, receives the emission
  std::string endpoint;
  Amount stake = 0;
  std::uint64_t registered_at = 0; // height; weights set before it do not count for this uid
  std::uint64_t rank = 0, trust = 0, consensus = 0, incentive = 0, dividends = 0;  // last epoch step
  Amount last_emission = 0;
  Amount total_emission = 0;
  bool operator==(const NeuronInfo&) const = default;
};

struct WeightRow {
  std::uint64_t set_at = 0;             // height of the set_weights / reveal
  std::vector<WeightEntry> weights;     // uids strictly ascending
  bool operator==(const WeightRow&) const = default;
};

struct WeightCommit {
  Hash32 commitment;
  std::uint64_t committed_at = 0;
  bool operator==(const WeightCommit&) const = default;
};

namespace records {

Bytes encode_subnet(const SubnetInfo& s);
Bytes encode_neuron(const NeuronInfo& n);
Bytes encode_uid(std::uint16_t uid);
Bytes encode_weight_row(const WeightRow& w);
Bytes encode_weight_commit(const WeightCommit& c);
Bytes encode_count(std::uint32_t n);

Result<SubnetInfo> decode_subnet(ByteView payload);
Result<NeuronInfo> decode_neuron(ByteView payload);
Result<std::uint16_t> decode_uid(ByteView payload);
Result<WeightRow> decode_weight_row(ByteView payload);
Result<WeightCommit> decode_weight_commit(ByteView payload);
Result<std::uint32_t> decode_count(ByteView payload);

}  // namespace records
}  // namespace mt::state
