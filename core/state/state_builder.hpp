// A copy-on-write view of a parent State that collects typed writes and turns them into one
// sorted MerkleMap batch (finish). Used by genesis and by the block executor; never shared.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "core/state/state.hpp"

namespace mt::state {

class StateBuilder {
 public:
  // `parent` null: an empty state (genesis).
  explicit StateBuilder(StatePtr parent);

  [[nodiscard]] Account account(const Address& a) const;
  void put_account(const Address& a, const Account& acc);  // the zero account is deleted
  [[nodiscard]] std::optional<ValidatorInfo> validator(const Address& a) const;
  void put_validator(const ValidatorInfo& v);
  [[nodiscard]] Amount delegation_shares(const Address& delegator, const Address& validator) const;
  void put_delegation_shares(const Address& delegator, const Address& validator, Amount shares);  // 0 deletes
  [[nodiscard]] std::vector<UnbondingEntry> unbonding_at(std::uint64_t height) const;
  void put_unbonding(std::uint64_t height, const std::vector<UnbondingEntry>& entries);  // empty deletes

  Params& params() { params_dirty_ = true; return params_; }
  [[nodiscard]] const Params& params_view() const { return params_; }
  ChainMeta& meta() { return meta_; }
  ValidatorSet& validator_set() { return validator_set_; }
  ValidatorSet& last_validator_set() { return last_validator_set_; }
  [[nodiscard]] const std::vector<Address>& validator_index() const { return validator_index_; }
  void add_to_index(const Address& a);  // keeps it sorted; no-op if present

  // Raw record access by logical key (records.hpp), for record families kept in their own files
  // (subnet_store.hpp): the payload, or nullopt when absent; nullopt payload deletes.
  [[nodiscard]] std::optional<ByteView> read_record(const Bytes& logical_key) const { return read(logical_key); }
  void write_record(Bytes logical_key, std::optional<Bytes> payload) { write(std::move(logical_key), std::move(payload)); }

  // Writes every change and the singletons; the new State carries `last_block_hash`.
  [[nodiscard]] std::shared_ptr<State> finish(const Hash32& last_block_hash);
  // Sets the hash of the block that produced `s` (known only once its header, which carries
  // the root, is complete).
  static void seal(State& s, const Hash32& block_hash) { s.last_block_hash_ = block_hash; }

 private:
  [[nodiscard]] std::optional<ByteView> read(const Bytes& logical_key) const;
  void write(Bytes logical_key, std::optional<Bytes> payload);

  MerkleMap base_;
  struct Pending {
    Bytes logical_key;
    std::optional<Bytes> payload;  // nullopt: delete
  };
  std::map<Hash32, Pending, KeyLess> overlay_;  // by map key, in the map's key order
  Params params_;
  bool params_dirty_ = false;
  ChainMeta meta_;
  ValidatorSet validator_set_;
  ValidatorSet last_validator_set_;
  std::vector<Address> validator_index_;
  bool index_dirty_ = false;
};

}  // namespace mt::state
