// How typed state records are laid out in the MerkleMap.
//
// Every record has a logical key: a kind byte then the kind's fixed-size fields. The map key is
// BLAKE2b-256("mt/state/key", logical key); the map value is logical key || payload, so a leaf
// (in a proof or a snapshot) says what it is and can be checked against its map key.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "core/chain/params.hpp"
#include "core/chain/validator_set.hpp"
#include "core/codec/codec.hpp"
#include "core/state/state.hpp"

namespace mt::state::records {

enum class Kind : std::uint8_t {
  params = 1,
  chain_meta = 2,
  validator_set = 3,       // for the next height
  last_validator_set = 4,  // for the current height
  validator_index = 5,     // sorted list of every registered validator
  subnet_count = 6,        // optional (absent: no subnet yet); the next netuid
  account = 16,            // + address
  validator = 17,          // + address
  delegation = 18,         // + delegator + validator
  unbonding = 19,          // + release height (u64 big-endian)
  subnet = 32,             // + netuid (u32 big-endian)
  neuron = 33,             // + netuid + uid (u16 big-endian)
  neuron_hotkey = 34,      // + netuid + hotkey: the hotkey's uid
  weights = 35,            // + netuid + uid: the validator's weight row
  weight_commit = 36,      // + netuid + uid: a pending commitment
};

Bytes singleton_key(Kind k);
Bytes account_key(const Address& a);
// The same bytes as account_key, without a heap allocation (read on every transaction).
std::array<std::uint8_t, 33> account_key_fixed(const Address& a);
Bytes validator_key(const Address& a);
Bytes delegation_key(const Address& delegator, const Address& validator);
Bytes unbonding_key(std::uint64_t height);
Bytes subnet_key(std::uint32_t netuid);
Bytes neuron_key(std::uint32_t netuid, std::uint16_t uid);
Bytes neuron_hotkey_key(std::uint32_t netuid, const Address& hotkey);
Bytes weights_key(std::uint32_t netuid, std::uint16_t uid);
Bytes weight_commit_key(std::uint32_t netuid, std::uint16_t uid);

Hash32 map_key(ByteView logical_key);
// logical key || payload.
Bytes make_value(ByteView logical_key, ByteView payload);
// Length of the logical key at the front of a stored value; nullopt for an unknown kind or short value.
std::optional<std::size_t> logical_key_len(ByteView value);

Bytes encode_account(const Account& a);
Bytes encode_validator(const ValidatorInfo& v);
Bytes encode_amount(Amount a);
Bytes encode_unbonding(const std::vector<UnbondingEntry>& entries);
Bytes encode_meta(const ChainMeta& m);
Bytes encode_params(const Params& p);
Bytes encode_valset(const ValidatorSet& vs);
Bytes encode_index(const std::vector<Address>& index);

// Strict payload decoders (every byte used, values in range).
Result<Account> decode_account(ByteView payload);
Result<ValidatorInfo> decode_validator(ByteView payload);
Result<Amount> decode_amount(ByteView payload);
Result<std::vector<UnbondingEntry>> decode_unbonding(ByteView payload);
Result<ChainMeta> decode_meta(ByteView payload);
Result<Params> decode_params(ByteView payload);
Result<ValidatorSet> decode_valset(ByteView payload);
Result<std::vector<Address>> decode_index(ByteView payload);

// Checks a stored value fully: known kind, payload decodes, and map_key(logical key) == key.
Status check_record(const Hash32& key, ByteView value);

}  // namespace mt::state::records
