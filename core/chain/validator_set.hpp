// The active validator set of one height: addresses, voting power, and Tendermint-style proposer
// priorities. Proposer rotation is stake weighted and a pure function of this value, which the
// chain state carries from block to block, so every honest node agrees on it.
//
// Rotation: each step adds every validator's power to its priority, picks the highest priority
// (ties: lowest address) and subtracts the total power from it. Over many heights each validator
// proposes in proportion to its power.
#pragma once

#include <cstdint>
#include <vector>

#include "core/codec/codec.hpp"
#include "core/util/bytes.hpp"

namespace mt {

struct ValidatorEntry {
  Address address;
  std::uint64_t power = 0;
  std::int64_t priority = 0;
  bool operator==(const ValidatorEntry&) const = default;
};

class ValidatorSet {
 public:
  ValidatorSet() = default;
  // Builds a fresh set (all priorities start at zero, then one rotation step so proposer() is the
  // proposer for round 0). Entries with zero power are dropped. Precondition: distinct addresses.
  static ValidatorSet genesis(std::vector<std::pair<Address, std::uint64_t>> powers);

  [[nodiscard]] const std::vector<ValidatorEntry>& entries() const { return entries_; }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  [[nodiscard]] std::uint64_t total_power() const { return total_power_; }
  [[nodiscard]] const ValidatorEntry* find(const Address& a) const;
  [[nodiscard]] std::ptrdiff_t index_of(const Address& a) const;

  // The proposer for round 0 of the height this set belongs to.
  [[nodiscard]] const Address& proposer() const;
  // The proposer for a given round: the set rotated `round` more steps.
  [[nodiscard]] Address proposer_for_round(std::uint32_t round) const;
  // The set for the next height: one rotation step.
  [[nodiscard]] ValidatorSet advanced() const;
  // The set after a validator-set change: powers replaced (0 removes), newcomers start with a low
  // priority (-1.125 * total power) so they do not propose immediately; priorities re-centred.
  [[nodiscard]] ValidatorSet with_powers(const std::vector<std::pair<Address, std::uint64_t>>& powers) const;

  // Smallest power strictly above num/den of the total.
  [[nodiscard]] std::uint64_t quorum_power(std::uint32_t num, std::uint32_t den) const;
  [[nodiscard]] bool has_quorum(std::uint64_t power, std::uint32_t num, std::uint32_t den) const {
    return power >= quorum_power(num, den);
  }
  // Strictly more than 1/3: enough to block any quorum >= 2/3 (the "f+1" threshold).
  [[nodiscard]] bool exceeds_one_third(std::uint64_t power) const { return power * 3 > total_power_; }

  [[nodiscard]] Hash32 hash() const;
  void encode(codec::Writer& w) const;
  static ValidatorSet decode(codec::Reader& r);
  bool operator==(const ValidatorSet&) const = default;

 private:
  void recompute_total();
  void rescale_and_center();
  void rotate_once();
  void index_keys();  // rebuilds keys_ from entries_ (after any change of addresses)
  std::vector<ValidatorEntry> entries_;  // sorted by address
  // entries_[i].address's first 8 bytes, big-endian, and an open-addressed table over them
  // (index + 1; 0 is empty; at most half full): a lookup (every vote, several times per node)
  // is one multiply and usually one probe, then one full address compare.
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> table_;
  unsigned table_shift_ = 64;
  std::uint64_t total_power_ = 0;
  std::size_t proposer_index_ = 0;
};

}  // namespace mt
