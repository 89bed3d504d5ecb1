// A copy-on-write view of a parent State that collects typed writes and turns them into one
// sorted MerkleMap batch (finish). Used by genesis and by the block executor; never shared.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/state/state.hpp"

namespace mt::state {

class StateBuilder {
 public:
  // `parent` null: an empty state (genesis).
  explicit StateBuilder(StatePtr parent);

  [[nodiscard]] Account account(const Address& a) const;
  // Brings the records of these accounts into cache (and their map keys into the memo) ahead of
  // reading them: a hint, with no effect on any result.
  void prefetch_accounts(std::span<const Address> accounts) const;
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
  void write_record(const Bytes& logical_key, const std::optional<Bytes>& payload) {
    write(logical_key, payload ? std::optional<ByteView>(*payload) : std::nullopt);
  }

  // Writes every change and the singletons; the new State carries `last_block_hash`.
  [[nodiscard]] std::shared_ptr<State> finish(const Hash32& last_block_hash);
  // Sets the hash of the block that produced `s` (known only once its header, which carries
  // the root, is complete).
  static void seal(State& s, const Hash32& block_hash) { s.last_block_hash_ = block_hash; }

 private:
  [[nodiscard]] std::optional<ByteView> read(ByteView logical_key) const;
  void write(ByteView logical_key, std::optional<ByteView> payload);
  // map_key(logical_key) through a small direct-mapped memo: a transaction reads a record and
  // then writes it, and each BLAKE2b saved is most of a read's cost. A miss only recomputes.
  [[nodiscard]] Hash32 key_of(ByteView logical_key) const;
  // Index into pending_ of the write to `key`, or -1.
  [[nodiscard]] std::int64_t find_pending(const Hash32& key) const;
  void grow_slots();

  MerkleMap base_;
  struct Pending {
    Hash32 key;
    std::uint32_t logical_key_len = 0;
    bool erased = false;
    Bytes value;  // logical key || payload (the stored map value); empty when erased
  };
  std::vector<Pending> pending_;      // one per written key, in first-write order (sorted in finish)
  std::vector<std::uint32_t> slots_;  // open addressing on key.prefix64(): pending_ index + 1, 0 = free
  static constexpr std::size_t kMemoKeyBytes = 72;  // the longest logical key is 65 bytes
  static constexpr std::size_t kMemoEntries = 512;
  struct KeyMemo {
    std::uint32_t len = 0;  // 0: empty (no logical key is empty)
    std::array<std::uint8_t, kMemoKeyBytes> logical_key{};
    Hash32 key;
  };
  mutable std::vector<KeyMemo> key_memo_;
  Params params_;
  bool params_dirty_ = false;
  ChainMeta meta_;
  ValidatorSet validator_set_;
  ValidatorSet last_validator_set_;
  std::vector<Address> validator_index_;
  bool index_dirty_ = false;
};

}  // namespace mt::state
